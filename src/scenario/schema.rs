//! The JSON Schema of the scenario format (`kefu schema`), for editor autocompletion.

/// The schema, as JSON text (kept in `data/scenario.schema.json`).
pub const SCHEMA: &str = include_str!("../../data/scenario.schema.json");
