//! Thin entry point: parse arguments, run, map errors to exit codes.

use clap::Parser;

#[global_allocator]
static GLOBAL: sitrep::alloc::Allocator = mimalloc::MiMalloc;

fn main() {
    sitrep::alloc::tune();
    let cli = sitrep::cli::Cli::parse();
    if let Err(e) = sitrep::cli::execute(cli) {
        let code = e.exit_code();
        let err = anyhow::Error::new(e);
        eprintln!("sitrep: error: {err:#}");
        std::process::exit(code);
    }
}
