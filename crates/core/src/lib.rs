//! Kefu Dojo's pure model (`kefu-core`): the principles and UI languages, what a judgement is,
//! the scenario model, the dialogue state machine, saved progress and what the app shows.
//!
//! It has no scorer (that is `kefu-judge`), no TOML parser (`kefu-check`) and no browser
//! dependency: the app links this crate and nothing that judges.

pub mod built;
pub mod chart;
pub mod cohort;
pub mod data;
pub mod dialogue;
pub mod exam;
pub mod i18n;
pub mod json;
pub mod judgement;
pub mod lang;
pub mod principles;
pub mod progress;
pub mod scenario;
pub mod spelling;
pub mod view;
pub mod width;
pub mod xapi;
