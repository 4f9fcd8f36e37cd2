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

pub use bundle::{read_index, Bundle, Checked, IndexProblem, Listed, BUNDLE_VERSION};
pub use card::{Card, Cards, CheckedCard};
pub use highlight::{highlight, Piece};
pub use lang::ui_lang;
pub use library::Library;

/// The catalogue key of the mood band a 0–100 mood falls in.
pub fn mood_key(mood: i32) -> &'static str {
    match mood {
        i32::MIN..=24 => "play.mood.angry",
        25..=49 => "play.mood.upset",
        50..=74 => "play.mood.neutral",
        _ => "play.mood.happy",
    }
}
