//! Configuration: the file format ([`ConfigFile`], raw, as written by users)
//! and the validated [`Config`] the daemon runs with.
//!
//! Lookup order: `--config FILE`, else `$SITREP_CONFIG`, else
//! `config/sitrep.toml` if it exists, else built-in defaults. Command-line
//! flags override the file. Every struct denies unknown fields so a typo is an
//! error that names the key. Relative paths are relative to the working
//! directory the daemon is started in (systemd: `WorkingDirectory=`).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::normalize::{NormalizeConfig, Normalizer};
use crate::split::SplitConfig;

/// Errors that make the configuration unusable (fatal: exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("invalid ignore glob {glob:?}: {source}")]
    Glob {
        glob: String,
        #[source]
        source: globset::Error,
    },
    #[error("invalid [normalize] section: {0}")]
    Normalize(#[from] crate::normalize::NormalizeConfigError),
    #[error("invalid [extract] section: {0}")]
    Extract(#[from] crate::extract::ExtractConfigError),
    #[error("invalid value for {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

/// The whole config file. See `config/sitrep.toml` for a commented copy.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConfigFile {
    /// Where bundles arrive and when a file counts as complete.
    pub inbox: InboxConfig,
    /// Where records, rejects and state are written.
    pub output: OutputConfig,
    /// Limits for splitting a bundle into articles.
    pub split: SplitConfig,
    /// Cleaning, dating and boilerplate rules.
    pub normalize: NormalizeConfig,
    /// Near-duplicate wire copies and story clusters.
    pub dedupe: crate::dedupe::NearDupConfig,
    /// Event extraction.
    pub extract: crate::extract::ExtractConfig,
    /// The rolling incident timeline.
    pub timeline: crate::timeline::TimelineConfig,
    /// Worker counts and buffer sizes between stages.
    pub pipeline: PipelineConfig,
    /// Logging.
    pub log: LogConfig,
}

/// `[inbox]`: the watched folder.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct InboxConfig {
    /// Folder watched recursively for bundles.
    pub path: PathBuf,
    /// File-name globs that are never bundles (matched against the file name
    /// and the path relative to the inbox). Replaces the default list.
    pub ignore: Vec<String>,
    /// A file whose size and mtime have not changed for this long is complete.
    pub settle_ms: u64,
    /// Treat a close-after-write or a rename into the inbox as "complete" at once.
    pub ready_on_close: bool,
    /// Full reconciliation scan period; notify events are only hints.
    pub scan_interval_ms: u64,
    /// Largest bundle file accepted, in bytes, before decompression.
    pub max_bundle_bytes: u64,
}

impl Default for InboxConfig {
    fn default() -> Self {
        InboxConfig {
            path: PathBuf::from("seeds"),
            ignore: default_ignore(),
            settle_ms: 2000,
            ready_on_close: true,
            scan_interval_ms: 30_000,
            max_bundle_bytes: 256 * 1024 * 1024,
        }
    }
}

/// The default ignore globs: hidden files and editors' / downloaders' temporaries.
pub fn default_ignore() -> Vec<String> {
    [".*", "*.tmp", "*.part", "*.swp", "*~", "*.crdownload"].iter().map(|s| s.to_string()).collect()
}

/// `[output]`: records and state.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Folder for `articles.ndjson` and `rejects.ndjson`.
    pub dir: PathBuf,
    /// Folder for the ledger and quarantine; default `<dir>/state`.
    pub state_dir: Option<PathBuf>,
    /// Include the cleaned article text in article records.
    pub include_text: bool,
    /// Include sentence spans in article records.
    pub include_sentences: bool,
    /// Include the list of removed boilerplate lines in article records.
    pub include_removed: bool,
    /// fsync output files before recording progress. Turn off only for benchmarks.
    pub fsync: bool,
    /// Copy rejected files into `<state_dir>/quarantine/`.
    pub quarantine: bool,
    /// Rotate each output `.ndjson` file once it reaches this many KiB
    /// (`articles.ndjson` → `articles-000001.ndjson`, …); 0 never rotates.
    pub rotate_kib: u64,
    /// Rotated files kept per output; older ones are deleted. 0 keeps all.
    pub keep_rotated: u32,
    /// Output lines are written to their files once this many KiB of them
    /// wait, not held until the group commit: the commit then only syncs
    /// them and records them in the ledger. Bounds the line buffers.
    pub write_buffer_kib: usize,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            dir: PathBuf::from("out"),
            state_dir: None,
            include_text: true,
            include_sentences: true,
            include_removed: true,
            fsync: true,
            quarantine: true,
            rotate_kib: 0,
            keep_rotated: 0,
            write_buffer_kib: 1024,
        }
    }
}

/// `[pipeline]`: concurrency and buffering.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PipelineConfig {
    /// Parallel workers for the stateless stages (split, normalize); 0 = one per core.
    pub workers: usize,
    /// Capacity, in messages, of each bounded channel between stages.
    pub channel_capacity: usize,
    /// Articles per message between split and normalize.
    pub batch_articles: usize,
    /// Commit the ledger at least every this many articles within a large bundle.
    pub commit_max_articles: usize,
    /// Commit the ledger at least every time this many KiB of output lines
    /// were produced: bounds the uncommitted tail (what recovery re-reads
    /// after a crash) and the ledger rows a commit holds.
    pub commit_max_kib: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            workers: 0,
            channel_capacity: 64,
            batch_articles: 64,
            commit_max_articles: 2048,
            commit_max_kib: 8192,
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// journald under systemd, else human-readable.
    Auto,
    /// Human-readable lines (colour on a terminal).
    Human,
    /// One JSON object per line.
    Json,
    /// Native journald fields.
    Journald,
}

/// `[log]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// auto | human | json | journald.
    pub format: LogFormat,
    /// Default filter when `RUST_LOG` is not set, e.g. `info` or `sitrep=debug`.
    pub level: String,
    /// Period of the one-line progress summary at info level; 0 = never.
    pub stats_interval_ms: u64,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { format: LogFormat::Auto, level: "info".into(), stats_interval_ms: 60_000 }
    }
}

/// Command-line overrides, applied on top of the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub inbox: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub state_dir: Option<PathBuf>,
    pub log_format: Option<LogFormat>,
    pub settle_ms: Option<u64>,
    pub scan_interval_ms: Option<u64>,
    pub workers: Option<usize>,
    pub no_fsync: bool,
}

/// Where the effective config came from (printed by `check-config`).
#[derive(Debug, Clone)]
pub enum ConfigSource {
    File(PathBuf),
    Defaults,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub file: ConfigFile,
    pub source: ConfigSource,
    pub ignore: GlobSet,
    pub state_dir: PathBuf,
    pub workers: usize,
}

impl Config {
    /// Find, read, override and validate the configuration.
    pub fn load(explicit: Option<&Path>, ov: &Overrides) -> Result<Config, ConfigError> {
        let (file, source) = match locate(explicit) {
            Some(path) => (read_file(&path)?, ConfigSource::File(path)),
            None => (ConfigFile::default(), ConfigSource::Defaults),
        };
        Config::from_file(file, source, ov)
    }

    /// Validate a parsed file with overrides applied.
    pub fn from_file(mut file: ConfigFile, source: ConfigSource, ov: &Overrides) -> Result<Config, ConfigError> {
        if let Some(p) = &ov.inbox {
            file.inbox.path = p.clone();
        }
        if let Some(p) = &ov.out {
            file.output.dir = p.clone();
        }
        if let Some(p) = &ov.state_dir {
            file.output.state_dir = Some(p.clone());
        }
        if let Some(f) = ov.log_format {
            file.log.format = f;
        }
        if let Some(v) = ov.settle_ms {
            file.inbox.settle_ms = v;
        }
        if let Some(v) = ov.scan_interval_ms {
            file.inbox.scan_interval_ms = v;
        }
        if let Some(v) = ov.workers {
            file.pipeline.workers = v;
        }
        if ov.no_fsync {
            file.output.fsync = false;
        }
        let mut b = GlobSetBuilder::new();
        for g in &file.inbox.ignore {
            let glob = Glob::new(g).map_err(|source| ConfigError::Glob { glob: g.clone(), source })?;
            b.add(glob);
        }
        let ignore = b.build().map_err(|source| ConfigError::Glob { glob: "<set>".into(), source })?;
        // Compile the rules now so a bad regex is a config error, not a runtime one.
        Normalizer::new(&file.normalize)?;
        crate::extract::Extractor::validate(&file.extract)?;
        file.dedupe.validate().map_err(|message| ConfigError::Invalid { key: "dedupe", message })?;
        file.timeline.validate().map_err(|message| ConfigError::Invalid { key: "timeline", message })?;
        if file.pipeline.channel_capacity == 0 {
            return Err(ConfigError::Invalid {
                key: "pipeline.channel_capacity",
                message: "must be at least 1".into(),
            });
        }
        if file.pipeline.batch_articles == 0 {
            return Err(ConfigError::Invalid { key: "pipeline.batch_articles", message: "must be at least 1".into() });
        }
        if file.pipeline.commit_max_articles == 0 {
            return Err(ConfigError::Invalid {
                key: "pipeline.commit_max_articles",
                message: "must be at least 1".into(),
            });
        }
        if file.pipeline.commit_max_kib == 0 {
            return Err(ConfigError::Invalid { key: "pipeline.commit_max_kib", message: "must be at least 1".into() });
        }
        if file.output.write_buffer_kib == 0 {
            return Err(ConfigError::Invalid { key: "output.write_buffer_kib", message: "must be at least 1".into() });
        }
        if file.inbox.scan_interval_ms < 100 {
            return Err(ConfigError::Invalid { key: "inbox.scan_interval_ms", message: "must be at least 100".into() });
        }
        if file.inbox.path.as_os_str().is_empty() {
            return Err(ConfigError::Invalid { key: "inbox.path", message: "must not be empty".into() });
        }
        let state_dir = file.output.state_dir.clone().unwrap_or_else(|| file.output.dir.join("state"));
        let workers = match file.pipeline.workers {
            0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            n => n,
        };
        Ok(Config { file, source, ignore, state_dir, workers })
    }

    /// The effective configuration as TOML (for `check-config`).
    pub fn to_toml(&self) -> String {
        let mut f = self.file.clone();
        f.output.state_dir = Some(self.state_dir.clone());
        toml::to_string_pretty(&f).unwrap_or_else(|e| format!("# cannot render config: {e}\n"))
    }
}

fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SITREP_CONFIG").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let default = PathBuf::from("config/sitrep.toml");
    default.is_file().then_some(default)
}

fn read_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
    parse(&text).map_err(|message| ConfigError::Parse { path: path.into(), message })
}

/// Parse TOML text into a [`ConfigFile`]; the error names the offending key and line.
pub fn parse(text: &str) -> Result<ConfigFile, String> {
    toml::from_str::<ConfigFile>(text).map_err(|e| e.to_string().trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named() {
        let err = parse("[inbox]\nsettle_msec = 5\n").unwrap_err();
        assert!(err.contains("settle_msec"), "{err}");
    }

    #[test]
    fn unknown_section_is_named() {
        let err = parse("[inbox]\n[outptu]\n").unwrap_err();
        assert!(err.contains("outptu"), "{err}");
    }

    #[test]
    fn defaults_validate_and_state_dir_follows_output() {
        let c = Config::from_file(
            ConfigFile::default(),
            ConfigSource::Defaults,
            &Overrides { out: Some("x/out".into()), ..Default::default() },
        )
        .unwrap();
        assert_eq!(c.state_dir, PathBuf::from("x/out/state"));
        assert!(c.ignore.is_match("a.tmp"));
        assert!(c.ignore.is_match(".hidden"));
        assert!(!c.ignore.is_match("a.jsonl"));
    }

    #[test]
    fn shipped_config_parses_and_matches_defaults() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/sitrep.toml")).unwrap();
        let f = parse(&text).unwrap();
        let d = ConfigFile::default();
        assert_eq!(f.inbox.settle_ms, d.inbox.settle_ms);
        assert_eq!(f.inbox.ignore, d.inbox.ignore);
        assert_eq!(f.output.fsync, d.output.fsync);
        assert_eq!(f.normalize.boilerplate.len(), d.normalize.boilerplate.len());
        Config::from_file(f, ConfigSource::Defaults, &Overrides::default()).unwrap();
    }

    #[test]
    fn bad_values_are_rejected_with_key() {
        let mut f = ConfigFile::default();
        f.pipeline.channel_capacity = 0;
        let e = Config::from_file(f, ConfigSource::Defaults, &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("pipeline.channel_capacity"));
        let mut f = ConfigFile::default();
        f.pipeline.commit_max_kib = 0;
        let e = Config::from_file(f, ConfigSource::Defaults, &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("pipeline.commit_max_kib"));
        let mut f = ConfigFile::default();
        f.output.write_buffer_kib = 0;
        let e = Config::from_file(f, ConfigSource::Defaults, &Overrides::default()).unwrap_err();
        assert!(e.to_string().contains("output.write_buffer_kib"));
        let mut f = ConfigFile::default();
        f.inbox.ignore = vec!["a[".into()];
        assert!(Config::from_file(f, ConfigSource::Defaults, &Overrides::default()).is_err());
    }
}
