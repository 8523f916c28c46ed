//! Command-line interface (clap). `main` parses [`Cli`] and calls [`execute`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, ConfigSource, LogFormat, Overrides};
use crate::daemon::{self, Mode};

/// sitrep: turn a folder of news bundles into a deduplicated stream of
/// article records (append-only NDJSON), crash-safe and exactly-once.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// Config file (TOML). Default: $SITREP_CONFIG, else config/sitrep.toml if present, else built-in defaults.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Log format: auto (journald under systemd, else human), human, json, journald.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,

    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "\
Outputs (in the output folder): articles.ndjson, events.ndjson, incidents.ndjson, rejects.ndjson,
timeline.json, state/ (ledger, quarantine).
Exit codes: 0 success; 1 fatal runtime error (unwritable output, ledger failure); 2 bad configuration or usage.
A bad bundle is never fatal: it becomes a record in rejects.ndjson.
Logging: RUST_LOG overrides the level (e.g. RUST_LOG=sitrep=debug).";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Watch the inbox and process bundles as they arrive, until SIGTERM/SIGINT.
    ///
    /// Files present at start-up are processed first. SIGHUP forces a rescan.
    /// On SIGTERM/SIGINT sitrep stops watching, finishes in-flight bundles,
    /// flushes and exits 0; a second signal exits at once.
    Run(RunArgs),
    /// Process what is in the inbox now, then exit (backfill).
    ///
    /// Shows progress (files done/total, articles/s, ETA) on a terminal.
    Once(OnceArgs),
    /// Validate the configuration and print the effective config as TOML.
    CheckConfig(PathArgs),
    /// Show, for each article of the given bundles, what the extractor sees:
    /// sentences, time expressions, places, actors, casualty counts and events (JSON, one object per article).
    ///
    /// Nothing is written to the output folder and no state is touched.
    Inspect(InspectArgs),
    /// Show the current incident timeline (OUT/timeline.json): one row per
    /// open incident with date, type, place, actors, killed (range),
    /// independent sources / articles and headline.
    ///
    /// Reads the file the daemon keeps current, so it works while `run` is running.
    Timeline(TimelineArgs),
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Output folder holding timeline.json (overrides output.dir).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// table (terminal), markdown or json.
    #[arg(long, value_enum, default_value = "table")]
    pub format: crate::timeline::render::Format,
    /// Only incidents dated on or after this day (YYYY-MM-DD); undated ones
    /// first seen on or after it.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Bundle files (any supported format).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Publication date (YYYY-MM-DD) for articles whose bundle gives none.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
}

/// Flags shared by `run`, `once` and `check-config`; they override the config file.
#[derive(Debug, Args, Clone, Default)]
pub struct PathArgs {
    /// Inbox folder to watch (overrides inbox.path).
    #[arg(long, value_name = "DIR")]
    pub inbox: Option<PathBuf>,
    /// Output folder for NDJSON records (overrides output.dir).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// State folder for the ledger and quarantine (default: OUT/state).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Milliseconds a file must stay unchanged before it counts as complete.
    #[arg(long, value_name = "MS")]
    pub settle_ms: Option<u64>,
    /// Milliseconds between reconciliation scans.
    #[arg(long, value_name = "MS")]
    pub scan_interval_ms: Option<u64>,
    /// Workers for the parallel stages (0 = one per core).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Do not fsync outputs (benchmarks only: a crash may lose recent records).
    #[arg(long)]
    pub no_fsync: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub paths: PathArgs,
}

#[derive(Debug, Args)]
pub struct OnceArgs {
    #[command(flatten)]
    pub paths: PathArgs,
    /// Never show the progress bar.
    #[arg(long)]
    pub no_progress: bool,
}

/// Errors `main` maps to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Daemon(#[from] crate::daemon::DaemonError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    #[error("{0}")]
    Inspect(String),
    #[error("{0}")]
    Timeline(String),
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Config(_) => 2,
            _ => 1,
        }
    }
}

fn overrides(p: &PathArgs, log_format: Option<LogFormat>) -> Overrides {
    Overrides {
        inbox: p.inbox.clone(),
        out: p.out.clone(),
        state_dir: p.state_dir.clone(),
        log_format,
        settle_ms: p.settle_ms,
        scan_interval_ms: p.scan_interval_ms,
        workers: p.workers,
        no_fsync: p.no_fsync,
    }
}

/// Run a parsed command line.
pub fn execute(cli: Cli) -> Result<(), CliError> {
    let (paths, mode) = match &cli.command {
        Command::Run(a) => (a.paths.clone(), Some(Mode::Run)),
        Command::Once(a) => (a.paths.clone(), Some(Mode::Once { progress: !a.no_progress && daemon::want_progress() })),
        Command::CheckConfig(p) => (p.clone(), None),
        Command::Timeline(args) => {
            let paths = PathArgs { out: args.out.clone(), ..PathArgs::default() };
            let cfg = Config::load(cli.config.as_deref(), &overrides(&paths, cli.log_format))?;
            return timeline(&cfg.file.output.dir, args);
        }
        Command::Inspect(args) => {
            let cfg = Config::load(cli.config.as_deref(), &overrides(&PathArgs::default(), cli.log_format))?;
            return crate::inspect::run(&cfg, &args.files, args.published.as_deref()).map_err(CliError::Inspect);
        }
    };
    let cfg = Config::load(cli.config.as_deref(), &overrides(&paths, cli.log_format))?;
    let Some(mode) = mode else {
        let src = match &cfg.source {
            ConfigSource::File(p) => format!("# config: {}\n", p.display()),
            ConfigSource::Defaults => "# config: built-in defaults (no file found)\n".to_string(),
        };
        print!("{src}# effective configuration (file + flags), validated OK\n{}", cfg.to_toml());
        return Ok(());
    };
    crate::telemetry::init(cfg.file.log.format, &cfg.file.log.level);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cfg.workers.clamp(1, 4))
        .max_blocking_threads(cfg.workers.max(1) * 2 + 2)
        .enable_all()
        .thread_name("sitrep")
        .build()
        .map_err(CliError::Runtime)?;
    rt.block_on(daemon::run(cfg, mode))?;
    Ok(())
}

/// `sitrep timeline`: read, filter and render `timeline.json`.
fn timeline(out: &std::path::Path, args: &TimelineArgs) -> Result<(), CliError> {
    let path = out.join("timeline.json");
    let bytes = std::fs::read(&path).map_err(|e| {
        CliError::Timeline(format!(
            "cannot read {}: {e} (sitrep writes it once it has processed articles with extract and timeline enabled)",
            path.display()
        ))
    })?;
    let mut t: crate::timeline::TimelineFile = serde_json::from_slice(&bytes)
        .map_err(|e| CliError::Timeline(format!("{}: not a sitrep timeline: {e}", path.display())))?;
    if let Some(since) = &args.since {
        since
            .parse::<jiff::civil::Date>()
            .map_err(|e| CliError::Timeline(format!("--since {since}: expected YYYY-MM-DD ({e})")))?;
        crate::timeline::render::filter_since(&mut t, since);
    }
    print!("{}", crate::timeline::render::render(&t, args.format));
    Ok(())
}
