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

/// A bundle or cards file of `version` is one this app reads (not from a newer app); else the
/// error the app shows.
pub(super) fn readable(version: u32) -> Result<(), String> {
    if version > BUNDLE_VERSION {
        return Err(format!(
            "bundle version {version} is newer than this app ({BUNDLE_VERSION})"
        ));
    }
    Ok(())
}

/// Where a shipped scenario is on its own (`kefu bundle --each`, at `make dist`): a bundle of
/// that scenario alone, which play fetches instead of the whole library (#17). `None` for an
/// id that is not a plain file name (`is_file_id`): none is written for it.
pub fn one_url(id: &str) -> Option<String> {
    is_file_id(id).then(|| format!("scenarios/one/{id}.json"))
}

/// Whether a scenario id is safe as a file name and in a URL as it is: ASCII letters, digits,
/// `-` and `_`, not empty. The checker's rule for a scenario's id (it is part of the page
/// address), so every clean scenario has a file of its own.
pub fn is_file_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// One scenario file, checked: its scenario when it checked clean, else every diagnostic line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// The file's name as given.
    pub file: String,
    /// The scenario, when the file checked clean.
    pub scenario: Option<Scenario>,
    /// Its card (`Card::of`), when the file checked clean: what the library module reads of a
    /// checked file (`CheckedCard`).
    #[serde(default)]
    pub card: Option<super::Card>,
    /// Every diagnostic as a `FILE:LINE:COL: error: …` line.
    pub diagnostics: Vec<String>,
}

impl Library {
    /// The shipped library from its bundle (JSON). A bundle from a newer version or one that
    /// does not parse is an error the app shows; the trainer's own files still load.
    pub fn from_bundle(json: &str) -> Result<(Library, Vec<String>), String> {
        let b: Bundle = crate::json::from_str(json)?;
        readable(b.version)?;
        let mut lib = Library {
            broken: b.broken,
            exams: b.exams,
            broken_exams: b.broken_exams,
            ..Library::default()
        };
        for s in b.scenarios {
            lib.put(s);
        }
        Ok((lib, b.files))
    }

    /// The scenarios `from` holds in full, here as `from` has them (shared, not copied): one this
    /// library holds too is replaced by `from`'s (the same scenario: a page playing it is not
    /// handed a new value); any other is added where this library lists its card, and with
    /// `cards` with its card too. A scenario on its own (`one_url`) joins the shipped library
    /// so, only where the cards list it (a scenario the shipped library does not list is not
    /// taken from a file of its own); and what was there to play stays when the library is set
    /// again (the cards once more, the whole library, or one that could not be read: `cards`).
    pub fn keep_from(&mut self, from: &Library, cards: bool) {
        let mut added = false;
        for s in &from.scenarios {
            if let Some(here) = self.scenarios.iter_mut().find(|x| x.id == s.id) {
                *here = s.clone();
                continue;
            }
            if self.card(&s.id).is_none() {
                match from.card(&s.id).filter(|_| cards) {
                    Some(c) => self.cards.push(c.clone()),
                    None => continue,
                }
            }
            self.scenarios.push(s.clone());
            added = true;
        }
        if added {
            self.cards.sort_by(|a, b| a.id.cmp(&b.id));
            self.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }

    /// Add a checked file; returns the scenario id when it checked clean (its scenario, or only
    /// its card as the library module reads it). A later file with the same id replaces an
    /// earlier one (a trainer's local copy wins); a broken file never stops the others.
    pub fn add_checked(&mut self, c: Checked) -> Option<String> {
        self.broken.retain(|(f, _)| *f != c.file);
        match (c.scenario, c.card) {
            (Some(s), _) => Some(self.put(s)),
            (None, Some(card)) => Some(self.put_card(card)),
            (None, None) => {
                self.broken.push((c.file, c.diagnostics));
                None
            }
        }
    }
}

/// The message for a scenario file whose id `other` (an earlier file of the same folder)
/// already uses: what `kefu check` says of a folder, and the app of the files a deployed
/// `scenarios/index.json` lists.
pub fn id_taken(file: &str, src: &str, id: &str, other: &str) -> String {
    let (line, col) = id_position(src);
    format!("{file}:{line}:{col}: error: scenario id `{id}` is already used by {other}: give each scenario its own id (a copy keeps its original's id until you change it)")
}

/// Where a scenario file's `id = "…"` value starts (1-based line and column in chars): the
/// line the duplicate-id error points at. `(1, 1)` when the file has no such line before its
/// first table.
pub fn id_position(src: &str) -> (usize, usize) {
    for (i, line) in src.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            break;
        }
        let Some(rest) = t.strip_prefix("id") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let col = line.chars().count() - value.chars().count() + 1;
        return (i + 1, col);
    }
    (1, 1)
}

/// The files a deployed `scenarios/index.json` lists are one folder, read as `kefu check` reads
/// one: a file whose scenario id an earlier listed file took is that error, not a second
/// scenario of the id silently replacing the first. `taken` holds the ids so far (id → file).
pub fn one_id_per_file(
    c: Checked,
    src: &str,
    taken: &mut std::collections::BTreeMap<String, String>,
) -> Checked {
    let id = c
        .card
        .as_ref()
        .map(|k| k.id.clone())
        .or_else(|| c.scenario.as_ref().map(|s| s.id.clone()));
    let Some(id) = id else { return c };
    match taken.get(&id) {
        Some(other) if *other != c.file => Checked {
            diagnostics: vec![id_taken(&c.file, src, &id, other)],
            file: c.file,
            scenario: None,
            card: None,
        },
        _ => {
            taken.insert(id, c.file.clone());
            c
        }
    }
}

/// The most files `scenarios/index.json` may have the app fetch beyond its bundle (a trainer's
/// files copied into a deployed site): 2,000 listed files must not fire 2,000 requests.
pub const MAX_LISTED_FILES: usize = 50;

/// What a deployed `scenarios/index.json` asks the app to fetch beyond its bundle, and what is
/// wrong with it: a garbage file, entries that are not file names, or too many to fetch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listed {
    /// The files to fetch (at most `MAX_LISTED_FILES`), in the order listed, each once.
    pub fetch: Vec<String>,
    /// What the app tells the visitor about the list.
    pub problems: Vec<IndexProblem>,
}

/// Something wrong with `scenarios/index.json`; each maps to a message in the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexProblem {
    /// Not a JSON list: the reason.
    Unreadable(String),
    /// Entries that are not a scenario file's name (`NAME.toml`, no folder), as written (the
    /// first few, each escaped on one line).
    BadNames(Vec<String>),
    /// More files listed beyond the bundle than are fetched.
    TooMany {
        /// Listed beyond the bundle.
        listed: usize,
        /// Fetched (`MAX_LISTED_FILES`).
        fetched: usize,
    },
}

/// Read a deployed `scenarios/index.json` (a JSON list of the scenario folder's file names):
/// the names not `covered` by the bundle, to fetch, at most `MAX_LISTED_FILES` of them; entries
/// that are not a plain `NAME.toml` (a folder, `..`, a URL, not a string) are skipped and named.
pub fn read_index(json: &str, covered: &[String]) -> Listed {
    let mut out = Listed::default();
    let entries: Vec<serde_json::Value> = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(IndexProblem::Unreadable(e.to_string()));
            return out;
        }
    };
    let (mut bad, mut extra) = (Vec::new(), Vec::new());
    for e in entries {
        match e.as_str().filter(|n| is_file_name(n)) {
            Some(n) if covered.iter().any(|c| c == n) || extra.iter().any(|x| x == n) => {}
            Some(n) => extra.push(n.to_string()),
            None => bad.push(match &e {
                serde_json::Value::String(s) => format!("{s:?}"),
                other => other.to_string(),
            }),
        }
    }
    if !bad.is_empty() {
        let n = bad.len();
        bad.truncate(3);
        bad.iter_mut()
            .for_each(|b| *b = b.chars().take(80).collect());
        if n > 3 {
            bad.push(format!("… ({n})"));
        }
        out.problems.push(IndexProblem::BadNames(bad));
    }
    if extra.len() > MAX_LISTED_FILES {
        out.problems.push(IndexProblem::TooMany {
            listed: extra.len(),
            fetched: MAX_LISTED_FILES,
        });
        extra.truncate(MAX_LISTED_FILES);
    }
    out.fetch = extra;
    out
}

/// A scenario file's plain name in the site's `scenarios/` folder: `NAME.toml`, no folder, no
/// leading dot, no control characters, at most 200 bytes.
fn is_file_name(n: &str) -> bool {
    n.len() <= 200
        && n.len() > ".toml".len()
        && n.ends_with(".toml")
        && !n.starts_with('.')
        && !n.contains(['/', '\\', '?', '#', '%', ':'])
        && !n.chars().any(char::is_control)
}

#[cfg(test)]
mod index_tests {
    use super::*;

    #[test]
    fn a_garbage_index_is_a_problem_not_silence() {
        for junk in ["<html>404</html>", "{\"files\": []}", "\"a.toml\"", ""] {
            let l = read_index(junk, &[]);
            assert!(l.fetch.is_empty());
            assert!(
                matches!(l.problems.as_slice(), [IndexProblem::Unreadable(_)]),
                "{junk}: {l:?}"
            );
        }
        assert_eq!(read_index("[]", &[]), Listed::default());
    }

    #[test]
    fn only_plain_file_names_beyond_the_bundle_are_fetched_once() {
        let covered = vec!["a.toml".to_string()];
        let l = read_index(
            r#"["a.toml", "b.toml", "b.toml", "../secret.toml", "https://x/y.toml", 5, "c.txt", "sub/d.toml", "e.toml"]"#,
            &covered,
        );
        assert_eq!(l.fetch, ["b.toml", "e.toml"]);
        let [IndexProblem::BadNames(bad)] = l.problems.as_slice() else {
            panic!("{l:?}");
        };
        assert_eq!(bad.len(), 4, "three named and a count: {bad:?}");
        assert_eq!(bad[0], r#""../secret.toml""#);
        assert_eq!(bad[3], "… (5)");
    }

    #[test]
    fn at_most_the_cap_is_fetched_and_the_rest_is_told() {
        let names: Vec<String> = (0..2000).map(|i| format!("missing-{i}.toml")).collect();
        let l = read_index(&serde_json::to_string(&names).unwrap(), &[]);
        assert_eq!(l.fetch.len(), MAX_LISTED_FILES);
        assert_eq!(l.fetch[0], "missing-0.toml");
        assert_eq!(
            l.problems,
            [IndexProblem::TooMany {
                listed: 2000,
                fetched: MAX_LISTED_FILES
            }]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(file: &str, id: &str) -> Checked {
        let card: super::super::Card = crate::json::from_str(&format!(
            r#"{{"id":"{id}","kind":"angry","languages":["en"],"difficulty":1,"minutes":5,
            "title":{{"en":"T"}},"brief":{{"en":"B"}},"expects":["apology"]}}"#
        ))
        .expect("a card");
        Checked {
            file: file.into(),
            scenario: None,
            card: Some(card),
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn a_listed_file_whose_id_an_earlier_one_took_is_an_error_as_kefu_check_says() {
        let mut taken = std::collections::BTreeMap::new();
        let src = "# A copy.\nid = \"twin\"\n[customer]\nid = \"x\"\n";
        let a = one_id_per_file(clean("twin-a.toml", "twin"), src, &mut taken);
        assert!(a.card.is_some(), "the first keeps its id");
        let b = one_id_per_file(clean("twin-b.toml", "twin"), src, &mut taken);
        assert!(
            b.card.is_none() && b.scenario.is_none(),
            "the second is not a scenario"
        );
        assert_eq!(
            b.diagnostics,
            ["twin-b.toml:2:6: error: scenario id `twin` is already used by twin-a.toml: give each scenario its own id (a copy keeps its original's id until you change it)"]
        );
        // Another id, and a broken file, pass as they are.
        assert!(
            one_id_per_file(clean("other.toml", "other"), src, &mut taken)
                .card
                .is_some()
        );
        let broken = Checked {
            file: "bad.toml".into(),
            scenario: None,
            card: None,
            diagnostics: vec!["bad.toml:1:1: error: x".into()],
        };
        assert_eq!(one_id_per_file(broken.clone(), src, &mut taken), broken);
        assert_eq!(id_position("title = 1\n  id   =  \"a\""), (2, 11));
        assert_eq!(
            id_position("[customer]\nid = \"a\""),
            (1, 1),
            "only before the first table"
        );
    }
}
