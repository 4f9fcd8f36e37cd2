//! A library card: what the library shows of a scenario and filters by, without its dialogue.
//! The first screen (the library module, #17) reads only these (`scenarios/cards.json`, a
//! `Cards`, written by `kefu bundle --cards`), so it holds no deserializer of whole scenarios;
//! a scenario in full comes on its own when it is played (`bundle::one_url`), or with the whole
//! bundle (`library.json`) for the pages that name any scenario.

use super::bundle::Checked;
use super::Library;
use crate::judgement::ScenarioKind;
use crate::principles::Lang;
use crate::scenario::{Loc, Scenario};
use serde::{Deserialize, Serialize};

/// What a library card shows of a scenario, and what the library filters by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// The scenario's id (`#/play/ID`).
    pub id: String,
    /// What kind of customer it plays (the kind filter).
    pub kind: ScenarioKind,
    /// The languages the scenario is written in (`play_lang`).
    pub languages: Vec<Lang>,
    /// The product it is about, if any (the product filter).
    #[serde(default)]
    pub product: Option<String>,
    /// 1 (easy) to 3 (hard).
    pub difficulty: u8,
    /// The estimated time to play, in minutes.
    pub minutes: u16,
    /// The title.
    pub title: Loc,
    /// The brief.
    pub brief: Loc,
    /// The principles some turn of the scenario expects (its weights, or its kind's defaults
    /// for a turn without weights: what the judge asks of the turn), for `#/practise/ID`.
    #[serde(default)]
    pub expects: Vec<String>,
}

impl Card {
    /// The card of a scenario.
    pub fn of(s: &Scenario) -> Card {
        let mut expects: Vec<String> = Vec::new();
        for t in &s.turns {
            let w: &[(String, f32)] = if t.weights.is_empty() {
                s.kind.default_weights()
            } else {
                &t.weights
            };
            for (k, w) in w {
                if *w > 0.0 && !expects.contains(k) {
                    expects.push(k.clone());
                }
            }
        }
        expects.sort();
        Card {
            id: s.id.clone(),
            kind: s.kind,
            languages: s.languages.clone(),
            product: s.product.clone(),
            difficulty: s.difficulty,
            minutes: s.minutes,
            title: s.title.clone(),
            brief: s.brief.clone(),
            expects,
        }
    }

    /// Whether some turn of the scenario expects the principle.
    pub fn expects(&self, principle: &str) -> bool {
        self.expects.iter().any(|p| p == principle)
    }

    /// The language the scenario is played in for a UI language (`Scenario::play_lang`).
    pub fn play_lang(&self, ui: Lang) -> Lang {
        crate::scenario::play_lang(&self.languages, ui)
    }
}

/// The library's cards as shipped (`scenarios/cards.json`, `kefu bundle --cards`): the first
/// screen. No exams and no scenario bodies: those come with the whole `Bundle`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cards {
    /// Format version (`BUNDLE_VERSION`).
    pub version: u32,
    /// Every scenario file the bundle covers, clean or broken.
    pub files: Vec<String>,
    /// A card per scenario that checked clean.
    pub cards: Vec<Card>,
    /// `(file, diagnostic lines)` for the scenario files that did not.
    pub broken: Vec<(String, Vec<String>)>,
}

impl Cards {
    /// The cards of a checked bundle.
    pub fn of(b: &super::Bundle) -> Cards {
        Cards {
            version: b.version,
            files: b.files.clone(),
            cards: b.scenarios.iter().map(Card::of).collect(),
            broken: b.broken.clone(),
        }
    }
}

/// A checked file as the library module reads it from the checker: its card, not its
/// scenario (the `scenario` field is skipped), so the first load has no scenario deserializer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CheckedCard {
    /// The file's name as given.
    pub file: String,
    /// The scenario's card, when the file checked clean.
    #[serde(default)]
    pub card: Option<Card>,
    /// Every diagnostic as a `FILE:LINE:COL: error: …` line.
    pub diagnostics: Vec<String>,
}

impl From<CheckedCard> for Checked {
    fn from(c: CheckedCard) -> Checked {
        Checked {
            file: c.file,
            scenario: None,
            card: c.card,
            diagnostics: c.diagnostics,
        }
    }
}

impl Library {
    /// The library's cards alone, from `scenarios/cards.json` (JSON): listed, not playable. A
    /// newer format or one that does not parse is an error the app shows.
    pub fn from_cards(json: &str) -> Result<(Library, Vec<String>), String> {
        let c: Cards = crate::json::from_str(json)?;
        super::bundle::readable(c.version)?;
        let mut lib = Library {
            broken: c.broken,
            ..Library::default()
        };
        for card in c.cards {
            lib.put_card(card);
        }
        Ok((lib, c.files))
    }
}
