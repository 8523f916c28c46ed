//! Integration tests: drive the real `sitrep` binary on temp inboxes.
//! One test binary (faster to link); modules by theme.

mod cli;
mod crash;
mod daemon;
mod once;
mod rotate;
mod schema;
mod seeds;
mod timeline;
mod util;
mod web;
