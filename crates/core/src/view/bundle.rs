//! The bundle format: the shipped library checked ahead of time (`kefu bundle`), and one
//! trainer's file checked by the engine module (`Checked`), into the `Library`.

use super::Library;
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};

/// The library as shipped, checked ahead of time (`kefu bundle`, run by `make dist`): the app
/// lists it without a TOML parser or the checker.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    /// Format version (`BUNDLE_VERSION`).
    pub version: u32,
    /// Every file it covers, clean or broken.
    pub files: Vec<String>,
    /// The scenarios that checked clean.
    pub scenarios: Vec<Scenario>,
    /// `(file, diagnostic lines)` for the files that did not.
    pub broken: Vec<(String, Vec<String>)>,
    /// Exam files (missing in bundles written before exams were shipped).
    #[serde(default)]
    pub exams: Vec<crate::exam::Exam>,
    /// Exam files that failed their check, with their messages.
    #[serde(default)]
    pub broken_exams: Vec<(String, Vec<String>)>,
}

/// The bundle format this app reads; a newer bundle is refused with a message.
pub const BUNDLE_VERSION: u32 = 1;

/// One scenario file, checked: its scenario when it checked clean, else every diagnostic line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// The file's name as given.
    pub file: String,
    /// The scenario, when the file checked clean.
    pub scenario: Option<Scenario>,
    /// Every diagnostic as a `FILE:LINE:COL: error: …` line.
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
}
