//! Event extraction (issue 5, in progress): pure text → events logic.
//!
//! * [`casualties`] — killed / injured counts with hedges.
//!
//! Not wired into the pipeline yet.

pub mod casualties;
