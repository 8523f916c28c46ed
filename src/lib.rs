//! sitrep turns a folder of news bundles into a deduplicated, append-only
//! stream of article, event and incident records.
//!
//! The pipeline, in the order data flows:
//! * [`watch`]     — notify hints + reconciliation scans decide when a file is complete;
//! * [`split`]     — one bundle → raw articles with byte ranges (pure); web pages
//!   through [`extract_html`] (main text and metadata), WARC archives streamed;
//! * [`normalize`] — clean, fold, date, attribute, sentence-split (pure);
//! * [`dedupe`]    — article identity, exact and near duplicates, story clusters;
//! * [`extract`]   — events: type, date, place, actors, casualties (pure);
//! * [`timeline`]  — incidents: event mentions merged across outlets and days (pure);
//! * [`sink`]      — NDJSON journals, output records, the commit protocol;
//! * [`ledger`]    — the crash-safe store (redb) behind exactly-once output.
//!
//! [`pipeline`] wires the stages with bounded channels, [`daemon`] runs the
//! service (signals, systemd), [`config`] and [`cli`] are the user surface,
//! [`model`] is the shared data model, [`internal_events`] logs and counts,
//! [`clock`] says what "today" is for the rolling windows.

pub mod alloc;
pub mod cli;
pub mod clock;
pub mod config;
pub mod daemon;
pub mod dedupe;
pub mod extract;
pub mod extract_html;
#[doc(hidden)]
pub mod failpoint;
pub mod fasthash;
pub mod inspect;
pub mod internal_events;
pub mod ledger;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod sink;
pub mod split;
pub mod telemetry;
pub mod timeline;
pub mod watch;
