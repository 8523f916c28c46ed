//! Logging set-up: human lines on a terminal, JSON with `--log-format json`,
//! native journald fields under systemd. `RUST_LOG` overrides the level.

use std::io::IsTerminal;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Install the global subscriber. Safe to call once per process.
pub fn init(format: LogFormat, default_level: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let under_systemd = std::env::var_os("JOURNAL_STREAM").is_some();
    let format = match format {
        LogFormat::Auto if under_systemd => LogFormat::Journald,
        LogFormat::Auto => LogFormat::Human,
        f => f,
    };
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Journald => match tracing_journald::layer() {
            Ok(layer) => {
                let _ = registry.with(layer.with_syslog_identifier("sitrep".into())).try_init();
            }
            Err(_) => {
                let _ = registry
                    .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false))
                    .try_init();
            }
        },
        LogFormat::Json => {
            let _ = registry
                .with(tracing_subscriber::fmt::layer().json().flatten_event(true).with_writer(std::io::stderr))
                .try_init();
        }
        LogFormat::Human | LogFormat::Auto => {
            let ansi = std::io::stderr().is_terminal();
            let _ =
                registry.with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(ansi)).try_init();
        }
    }
}
