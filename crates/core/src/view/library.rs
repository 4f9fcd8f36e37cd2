//! The library model: the scenarios that checked clean and the files that did not, filters,
//! and a random pick.

use crate::judgement::ScenarioKind;
use crate::scenario::Scenario;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::rc::Rc;

/// The scenario library: the files that checked clean, and the others with their messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// The scenarios, sorted by id (one per id: a later file replaces an earlier one).
    pub scenarios: Vec<Rc<Scenario>>,
    /// `(file, diagnostics as "FILE:LINE:COL: error: …" lines)` for files that failed.
    pub broken: Vec<(String, Vec<String>)>,
    /// The exams shipped with the library (`exams/*.toml`, checked by `kefu bundle`).
    pub exams: Vec<crate::exam::Exam>,
    /// Exam files that failed their check, with their messages.
    pub broken_exams: Vec<(String, Vec<String>)>,
}

impl Library {
    /// Add a scenario that checked clean, replacing one with the same id; its id.
    pub(super) fn put(&mut self, s: Scenario) -> String {
        let id = s.id.clone();
        self.scenarios.retain(|x| x.id != id);
        self.scenarios.push(Rc::new(s));
        self.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        id
    }

    /// The scenario with this id.
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
