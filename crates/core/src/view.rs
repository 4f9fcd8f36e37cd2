//! What the practice room shows, computed without a browser: the library built from scenario
//! files, filters, exam plans, the UI language, mood bands and evidence highlighting. The Yew
//! shell (`app`) only renders these; the logic is tested natively here.

use crate::judgement::{Judgement, ScenarioKind};
use crate::principles::{self, Lang, PrincipleId};
use crate::scenario::Scenario;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// The scenario library: the files that checked clean, and the others with their messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    pub scenarios: Vec<Rc<Scenario>>,
    /// `(file, diagnostics as "FILE:LINE:COL: error: …" lines)` for files that failed.
    pub broken: Vec<(String, Vec<String>)>,
    /// The exams shipped with the library (`exams/*.toml`, checked by `kefu bundle`).
    pub exams: Vec<crate::exam::Exam>,
    /// Exam files that failed their check, with their messages.
    pub broken_exams: Vec<(String, Vec<String>)>,
}

/// The library as shipped, checked ahead of time (`kefu bundle`, run by `make dist`): the app
/// lists it without a TOML parser or the checker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Format version (`BUNDLE_VERSION`).
    pub version: u32,
    /// Every file it covers, clean or broken.
    pub files: Vec<String>,
    pub scenarios: Vec<Scenario>,
    pub broken: Vec<(String, Vec<String>)>,
    /// Exam files (missing in bundles written before exams were shipped).
    #[serde(default)]
    pub exams: Vec<crate::exam::Exam>,
    #[serde(default)]
    pub broken_exams: Vec<(String, Vec<String>)>,
}

pub const BUNDLE_VERSION: u32 = 1;

/// One scenario file, checked: its scenario when it checked clean, else every diagnostic line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    pub file: String,
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<String>,
}

impl Library {
    /// The shipped library from its bundle (JSON). A bundle from a newer version or one that
    /// does not parse is an error the app shows; the trainer's own files still load.
    pub fn from_bundle(json: &str) -> Result<(Library, Vec<String>), String> {
        let b: Bundle = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if b.version > BUNDLE_VERSION {
            return Err(format!(
                "bundle version {} is newer than this app ({BUNDLE_VERSION})",
                b.version
            ));
        }
        let mut lib = Library {
            scenarios: Vec::new(),
            broken: b.broken,
            exams: b.exams,
            broken_exams: b.broken_exams,
        };
        for s in b.scenarios {
            lib.put(s);
        }
        Ok((lib, b.files))
    }

    /// Add a checked file; returns the scenario id when it checked clean. A later file with the
    /// same id replaces an earlier one (a trainer's local copy wins); a broken file never stops
    /// the others.
    pub fn add_checked(&mut self, c: Checked) -> Option<String> {
        self.broken.retain(|(f, _)| *f != c.file);
        match c.scenario {
            Some(s) => Some(self.put(s)),
            None => {
                self.broken.push((c.file, c.diagnostics));
                None
            }
        }
    }

    fn put(&mut self, s: Scenario) -> String {
        let id = s.id.clone();
        self.scenarios.retain(|x| x.id != id);
        self.scenarios.push(Rc::new(s));
        self.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        id
    }
}

impl Library {
    pub fn get(&self, id: &str) -> Option<&Rc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// Scenarios matching a kind and a product filter (`None` = all).
    pub fn filtered(
        &self,
        kind: Option<ScenarioKind>,
        product: Option<&str>,
    ) -> Vec<&Rc<Scenario>> {
        self.scenarios
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .filter(|s| product.is_none_or(|p| s.product.as_deref() == Some(p)))
            .collect()
    }

    /// A seeded random pick among `ids` (random practice).
    pub fn random_pick<'a>(ids: &[&'a Rc<Scenario>], seed: u64) -> Option<&'a Rc<Scenario>> {
        if ids.is_empty() {
            return None;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Some(ids[rng.random_range(0..ids.len())])
    }
}

/// The UI language: `?lang=` wins, then the browser's languages in order, then English.
pub fn ui_lang(query: Option<&str>, browser: &[String]) -> Lang {
    if let Some(l) = query.and_then(Lang::parse) {
        return l;
    }
    for b in browser {
        let b = b.to_ascii_lowercase();
        if b.starts_with("zh") {
            let hant = ["hant", "-tw", "-hk", "-mo"].iter().any(|m| b.contains(m));
            return if hant { Lang::ZhHant } else { Lang::ZhHans };
        }
        if b.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::En
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

/// A run of the reply with the principle whose evidence covers it (violations win).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub principle: Option<&'static str>,
    pub violation: bool,
}

/// Cut `text` into pieces marked with the principle whose evidence covers them. Spans are char
/// offsets from the judgement; out-of-range or empty spans are ignored, never a panic.
pub fn highlight(text: &str, j: &Judgement) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut owner: Vec<Option<(&'static str, bool)>> = vec![None; chars.len()];
    // Shown principles first, violations last so they win where both cover a char.
    let mut marks: Vec<(&'static str, bool, (usize, usize))> = Vec::new();
    for p in principles::all() {
        let id = p.id.as_str();
        let Some(f) = j.principles.get(id) else {
            continue;
        };
        let facts = p.id == PrincipleId::Facts;
        let violation = if facts { !f.hit } else { p.violation };
        if !(f.hit || facts && violation) {
            continue;
        }
        marks.extend(f.evidence.iter().map(|&sp| (id, violation, sp)));
    }
    // The first principle in the rulebook's order keeps a char; a violation takes it from any.
    for (id, v, (s, e)) in marks {
        for o in owner.iter_mut().take(e.min(chars.len())).skip(s) {
            if o.is_none() || (v && !o.is_some_and(|x| x.1)) {
                *o = Some((id, v));
            }
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    for (c, o) in chars.into_iter().zip(owner) {
        match out.last_mut() {
            Some(last) if last.principle.zip(Some(last.violation)) == o => last.text.push(c),
            _ => out.push(Piece {
                text: c.to_string(),
                principle: o.map(|x| x.0),
                violation: o.is_some_and(|x| x.1),
            }),
        }
    }
    out
}
