//! What the practice room shows, computed without a browser: the library built from scenario
//! files, filters, exam plans, the UI language, mood bands and evidence highlighting. The Yew
//! shell (`app`) only renders these; the logic is tested natively here.
//!
//! - [`library`]: the library model (`Library`), filters, random pick, exam plan;
//! - [`bundle`]: the bundle format (`Bundle`, `Checked`) into the library;
//! - [`card`]: a library card (`Card`) and the first screen's cards (`Cards`);
//! - [`lang`]: language negotiation (`ui_lang`);
//! - [`highlight`]: evidence highlighting (`highlight`, `Piece`).

#![warn(missing_docs)]

pub mod bundle;
pub mod card;
pub mod highlight;
pub mod lang;
pub mod library;

pub use bundle::{
    id_position, id_taken, is_file_id, one_id_per_file, one_url, read_index, Bundle, Checked,
    IndexProblem, Listed, BUNDLE_VERSION,
};
pub use card::{Card, Cards, CheckedCard};
pub use highlight::{highlight, Piece};
pub use lang::ui_lang;
pub use library::Library;

use crate::judgement::ScenarioKind;

/// The kinds a scenario file names, in the order the library's kind filter lists them (the
/// app's library page and `kefu prerender` alike).
pub const LISTED_KINDS: [ScenarioKind; 3] = [
    ScenarioKind::Angry,
    ScenarioKind::Objection,
    ScenarioKind::Product,
];

/// The catalogue key of a scenario kind's name (`kind.angry`, …).
pub fn kind_key(k: ScenarioKind) -> &'static str {
    match k {
        ScenarioKind::Angry => "kind.angry",
        ScenarioKind::Objection => "kind.objection",
        ScenarioKind::Product => "kind.product",
        ScenarioKind::General => "kind.general",
    }
}

/// The catalogue key of the mood band a 0–100 mood falls in.
pub fn mood_key(mood: i32) -> &'static str {
    match mood {
        i32::MIN..=24 => "play.mood.angry",
        25..=49 => "play.mood.upset",
        50..=74 => "play.mood.neutral",
        _ => "play.mood.happy",
    }
}
