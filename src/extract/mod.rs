//! Event extraction (issue 5, in progress): pure text → events logic.
//!
//! * [`actors`] — actor dictionary (config/actors.toml) with aliases and types;
//! * [`casualties`] — killed / injured counts with hedges;
//! * [`events`] — sentence-level assembly of events from triggers, dates, places, actors;
//! * [`taxonomy`] — ACLED event and sub-event types;
//! * [`lexicon`] — trigger phrases (config/events.toml) → sub-event types;
//! * [`modality`] — asserted / claimed / denied / threatened / planned, and tallies.
//!
//! Not wired into the pipeline yet.

pub mod actors;
pub mod casualties;
pub mod events;
pub mod lexicon;
pub mod modality;
pub mod taxonomy;
