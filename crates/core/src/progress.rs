//! The trainee's saved results: attempts in a versioned store, merged without duplicates, and
//! exported as JSON, CSV and xAPI statements. Pure: the browser shell does the storing.

#![warn(missing_docs)]

use crate::judgement::ScenarioKind;
use crate::principles::Lang;
use crate::scenario::Outcome;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The store format written today. Older formats are migrated on load.
pub const CURRENT_VERSION: u32 = 1;

/// One reply of an attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// The turn's id.
    pub turn: String,
    /// What the customer said.
    pub customer: String,
    /// The trainee's reply as typed.
    pub reply: String,
    #[serde(default)]
    /// Seconds the trainee took, if measured.
    pub secs: Option<f64>,
    /// The reply's score, 0–100.
    pub score: u8,
    /// Principle id → shown (for violations: committed).
    #[serde(default)]
    pub principles: BTreeMap<String, bool>,
    /// The principles this turn expected (weighted). Missing in records written before it was
    /// kept: such a turn counts for every principle it recorded, as it used to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Vec<String>>,
}

impl TurnRecord {
    /// Did this turn ask for `principle`? (Unknown for old records: yes.)
    pub fn expects(&self, principle: &str) -> bool {
        self.expected
            .as_ref()
            .is_none_or(|e| e.iter().any(|x| x == principle))
    }
}

/// One play of one scenario, finished or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// Unique: `{scenario}-{seed}-{started_ms}`.
    pub id: String,
    /// The scenario's id.
    pub scenario: String,
    /// The scenario's title in the UI language, as shown when it was played.
    pub title: String,
    /// Stored as `angry`, `objection`, `product` or `general` (an unknown word reads as general).
    #[serde(default, deserialize_with = "lenient_kind")]
    pub kind: ScenarioKind,
    /// Stored as `zh-Hans`, `zh-Hant` or `en` (tags such as `zh-CN` are read too).
    #[serde(deserialize_with = "lenient_lang")]
    pub lang: Lang,
    /// The session's seed (replays its random choices).
    pub seed: u64,
    /// Read leniently: a non-finite time is written by serde_json as `null`, which would
    /// otherwise make the whole store unreadable.
    #[serde(default, deserialize_with = "lenient_ms")]
    pub started_ms: f64,
    #[serde(default)]
    /// When the attempt ended (ms since the epoch), if it did.
    pub finished_ms: Option<f64>,
    /// `resolved`, `escalated` or `lost` once finished (anything else reads as none).
    #[serde(default, deserialize_with = "lenient_outcome")]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    /// Played as part of an exam.
    pub exam: bool,
    /// The exam run this attempt was part of (none for practice, and in records written
    /// before runs were kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exam_run: Option<crate::exam::ExamTag>,
    /// How the replies were timed: a `dialogue::Pace` id, absent when as the scenario sets it
    /// (text, not the enum: every stored attempt is read by the library module, #17's first
    /// load, where an enum's reader cost more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pace: Option<String>,
    #[serde(default)]
    /// Every reply, in order.
    pub turns: Vec<TurnRecord>,
}

fn lenient_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<ScenarioKind, D::Error> {
    let s = Option::<String>::deserialize(d)?.unwrap_or_default();
    Ok(kind_of(&s))
}

/// A scenario kind from its stored word (`general` when unknown).
fn kind_of(s: &str) -> ScenarioKind {
    match s.to_ascii_lowercase().as_str() {
        "angry" => ScenarioKind::Angry,
        "objection" => ScenarioKind::Objection,
        "product" => ScenarioKind::Product,
        _ => ScenarioKind::General,
    }
}

fn lenient_lang<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
    let s = String::deserialize(d)?;
    Lang::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown language `{s}`")))
}

fn lenient_outcome<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Outcome>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.and_then(|s| Outcome::parse(&s)))
}

fn lenient_ms<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(0.0))
}

/// Whether `id` is a violation (blame, jargon, rudeness): recorded `true` when committed.
fn is_violation(id: &str) -> bool {
    crate::principles::get(id).is_some_and(|p| p.violation)
}

use crate::xapi::{X_ATTEMPT, X_EXAM, X_EXPECTED, X_OUTCOME, X_PRINCIPLES};

/// The score a finished attempt needs to pass.
pub const PASS_SCORE: u8 = 60;

impl Attempt {
    /// The mean of the turn scores, rounded (0 with no turns).
    pub fn score(&self) -> u8 {
        if self.turns.is_empty() {
            return 0;
        }
        let sum: u32 = self.turns.iter().map(|t| u32::from(t.score)).sum();
        (sum as f64 / self.turns.len() as f64).round() as u8
    }
    /// Has the attempt ended?
    pub fn finished(&self) -> bool {
        self.finished_ms.is_some()
    }
    /// Passed: finished with the customer's problem resolved and a score of at least 60.
    pub fn passed(&self) -> bool {
        self.finished() && self.outcome == Some(Outcome::Resolved) && self.score() >= PASS_SCORE
    }
    /// For each principle, the share of the turns that asked for it in which it was `true`
    /// (shown; for a violation such as `blame`: committed, over every turn). A principle no
    /// turn asked for has no rate.
    pub fn principle_rates(&self) -> BTreeMap<String, f32> {
        let mut n: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for t in &self.turns {
            for (id, hit) in &t.principles {
                if !is_violation(id) && !t.expects(id) {
                    continue;
                }
                let e = n.entry(id.clone()).or_default();
                e.1 += 1;
                if *hit {
                    e.0 += 1;
                }
            }
        }
        n.into_iter()
            .map(|(k, (h, all))| (k, h as f32 / all.max(1) as f32))
            .collect()
    }
}

/// Why stored or imported data could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// Not JSON of the expected shape (serde's message).
    Corrupt(String),
    /// Written by a newer version of the app.
    TooNew(u32),
}

/// What `Store::import_for` makes of a file.
#[derive(Debug, PartialEq)]
pub enum Imported {
    /// The results it holds, to merge.
    Read(Store),
    /// Not read: it names another trainee (this name) than the one the results are kept for.
    Theirs(String),
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The catalogue key of the message a trainee sees.
    pub fn key(&self) -> &'static str {
        match self {
            // serde_json's "EOF while parsing …": the file ends mid-value (a copy cut short).
            LoadError::Corrupt(m) if m.starts_with("EOF while parsing") => "import.cut_short",
            LoadError::Corrupt(_) => "import.corrupt",
            LoadError::TooNew(_) => "import.too_new",
        }
    }
    /// The message for the trainee, in their language (serde's detail is for logs, not them).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoadError::Corrupt(_) => crate::i18n::t(lang, self.key()),
            LoadError::TooNew(v) => crate::i18n::tf(
                lang,
                self.key(),
                &[
                    ("version", &v.to_string()),
                    ("current", &CURRENT_VERSION.to_string()),
                ],
            ),
        }
    }
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Corrupt(m) => write!(f, "the saved results are not readable: {m}"),
            LoadError::TooNew(v) => write!(
                f,
                "the saved results are version {v}, newer than this app ({CURRENT_VERSION}): update the app"
            ),
        }
    }
}

/// Every attempt, versioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    /// Missing in the oldest objects: read as 0 and migrated.
    #[serde(default)]
    pub version: u32,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

/// The actor of an xAPI export made before the trainee gave a name in the settings.
pub const ANONYMOUS: &str = "Kefu Dojo trainee";

impl Default for Store {
    fn default() -> Self {
        Store {
            version: CURRENT_VERSION,
            attempts: Vec::new(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeReport {
    /// Attempts new to this store.
    pub added: usize,
    /// Attempts already stored, replaced by the imported copy, which continues them (more
    /// replies, or finished where the stored one was not).
    pub updated: usize,
    /// Attempts already stored as they are, or stored with more replies than the copy.
    pub duplicates: usize,
    /// A different play under an id already stored: both kept, the copy under a new id.
    pub kept_both: usize,
}

impl MergeReport {
    /// Count one record's fate.
    pub fn count(&mut self, v: Verdict) {
        match v {
            Verdict::Added => self.added += 1,
            Verdict::Newer => self.updated += 1,
            Verdict::Same | Verdict::Older => self.duplicates += 1,
            Verdict::Forked => self.kept_both += 1,
        }
    }
}

/// How a copy of an attempt relates to the one stored under its id: the one rule every write
/// follows (an import, another tab's save, this tab's own), so nothing is replaced silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing stored under the id: the copy is saved.
    Added,
    /// The same play with the same replies: nothing to do.
    Same,
    /// The copy continues the stored play (its replies and more, or finished where the stored
    /// one was not): it replaces it.
    Newer,
    /// The stored play continues the copy: the stored one stays.
    Older,
    /// Two different plays under one id: both are kept, the copy under a new id.
    Forked,
}

impl Verdict {
    /// The number the browser store passes around (`storage.rs`'s transaction).
    pub fn code(self) -> u8 {
        self as u8
    }
    /// Back from [`Verdict::code`].
    pub fn from_code(c: u8) -> Option<Verdict> {
        [
            Verdict::Added,
            Verdict::Same,
            Verdict::Newer,
            Verdict::Older,
            Verdict::Forked,
        ]
        .get(usize::from(c))
        .copied()
    }
}

/// Does `b` continue `a` (every reply of `a`, in order, then perhaps more)?
fn continues(a: &Attempt, b: &Attempt) -> bool {
    b.turns.len() >= a.turns.len()
        && a.turns
            .iter()
            .zip(&b.turns)
            .all(|(x, y)| x.turn == y.turn && x.reply == y.reply)
}

impl Attempt {
    /// One attempt from its JSON record. Read through `Value`, as a store is: the app's wasm
    /// then holds one copy of the attempt's deserializer, not two (first-load bytes).
    pub fn from_json(s: &str) -> Option<Attempt> {
        serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
    }

    /// How `copy` (an attempt with this id) relates to this stored one.
    pub fn verdict(&self, copy: &Attempt) -> Verdict {
        let rank = |a: &Attempt| (a.finished(), a.turns.len());
        match (continues(self, copy), continues(copy, self)) {
            // The same replies: the finished one is the later copy.
            (true, true) if rank(copy) > rank(self) => Verdict::Newer,
            (true, true) if rank(copy) < rank(self) => Verdict::Older,
            (true, true) => Verdict::Same,
            (true, false) if !self.finished() || copy.finished() => Verdict::Newer,
            (false, true) if !copy.finished() || self.finished() => Verdict::Older,
            _ => Verdict::Forked,
        }
    }

    /// The id a different play with this attempt's id is kept under: `{id}~{suffix}`, where
    /// the suffix is the tab's for its own writes and, for an import, a hash of the copy's
    /// replies (importing the same file again finds it there, a duplicate).
    pub fn fork_id(&self, tab: Option<&str>) -> String {
        match tab {
            Some(t) => format!("{}~{t}", self.id),
            None => {
                let h = self.turns.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, t| {
                    (t.turn.bytes().chain([0]).chain(t.reply.bytes()).chain([1]))
                        .fold(h, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
                });
                format!("{}~{:08x}", self.id, h as u32)
            }
        }
    }
}

/// Who writes a copy into the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer<'a> {
    /// An imported file (or the one-time migration of the old store).
    Import,
    /// The tab playing the attempt (its id given): it owns the attempt, so a copy with the
    /// same replies but other details (a language switch) replaces the stored one.
    Tab(&'a str),
}

/// What the store does with one copy: the browser store's transaction asks this for each
/// record it finds already stored (`stored`, its JSON) before writing `copy` (JSON).
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Write the copy over the stored one (`Verdict::Newer`, or the same replies from the tab
    /// that plays it).
    Put(Verdict),
    /// Leave the stored one.
    Keep(Verdict),
    /// Keep both: the copy is to be stored under this id (decided again there).
    Fork(String, String),
    /// The copy is not an attempt (never written).
    Bad,
}

/// Decide what to do with `copy` given what is stored under its id (both JSON). A stored
/// record that cannot be read is never overwritten: the copy is kept beside it.
pub fn decide(writer: Writer, stored: &str, copy: &str) -> Decision {
    let Some(c) = Attempt::from_json(copy) else {
        return Decision::Bad;
    };
    let tab = match writer {
        Writer::Tab(t) => Some(t),
        Writer::Import => None,
    };
    let fork = |c: Attempt| {
        let mut c = c;
        c.id = c.fork_id(tab);
        let json = serde_json::to_string(&c).unwrap_or_default();
        Decision::Fork(c.id, json)
    };
    let Some(s) = Attempt::from_json(stored) else {
        return fork(c);
    };
    match (s.verdict(&c), writer) {
        (Verdict::Newer, _) => Decision::Put(Verdict::Newer),
        (Verdict::Same, Writer::Tab(_)) if s != c => Decision::Put(Verdict::Newer),
        (Verdict::Forked, _) => fork(c),
        (v, _) => Decision::Keep(v),
    }
}

impl Store {
    /// The store as JSON, the form `from_json` reads (and export writes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"version\":1,\"attempts\":[]}".into())
    }

    /// The export file: [`Store::to_json`] naming the trainee (`who`, from the settings) as
    /// `"trainee": {"name", "id"}` (`id` only when set). `from_json` and `import` read it as
    /// before; the trainer's dashboard takes the trainee from it.
    pub fn to_json_as(&self, who: Option<&crate::xapi::Identity>) -> String {
        let Some(w) = who else {
            return self.to_json();
        };
        let mut t = json!({ "name": w.name });
        if !w.id.is_empty() {
            t["id"] = json!(w.id);
        }
        // Spliced into the store's own text (`to_json` is an object): no second serialiser
        // in the app's wasm.
        let store = self.to_json();
        match (store.strip_prefix('{'), serde_json::to_string(&t)) {
            (Some(rest), Ok(t)) => format!("{{\"trainee\":{t},{rest}"),
            _ => store,
        }
    }

    /// The trainee a file to import names: a JSON export's `trainee`, or the actor of an xAPI
    /// export's first statement (not the name an export without one carries, `ANONYMOUS`).
    fn named(v: &Value) -> Option<String> {
        let name = match v.as_array() {
            Some(a) => a.first()?["actor"]["name"].as_str()?.trim().to_string(),
            None => Store::trainee_of(v)?.0,
        };
        (!name.is_empty() && name != ANONYMOUS).then_some(name)
    }

    /// The trainee an export names (`to_json_as`): name and id (empty when not set).
    pub fn trainee_of(v: &Value) -> Option<(String, String)> {
        let t = v.get("trainee")?;
        let name = t["name"]
            .as_str()
            .map(str::trim)
            .filter(|n| !n.is_empty())?;
        let id = t["id"].as_str().unwrap_or_default().trim();
        Some((name.to_string(), id.to_string()))
    }

    /// Read a store; a bare array of attempts is the legacy version 0 and is migrated.
    pub fn from_json(s: &str) -> Result<Store, LoadError> {
        let v: Value = serde_json::from_str(s).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        if v.is_array() {
            let attempts: Vec<Attempt> =
                serde_json::from_value(v).map_err(|e| LoadError::Corrupt(e.to_string()))?;
            return Ok(Store {
                version: CURRENT_VERSION,
                attempts,
            });
        }
        if !v.is_object() {
            return Err(LoadError::Corrupt(
                "expected an object with `version` and `attempts`, or an array of attempts".into(),
            ));
        }
        let version = v.get("version").and_then(Value::as_u64).unwrap_or(0);
        if version > u64::from(CURRENT_VERSION) {
            return Err(LoadError::TooNew(
                u32::try_from(version).unwrap_or(u32::MAX),
            ));
        }
        let mut s: Store =
            serde_json::from_value(v).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        s.version = CURRENT_VERSION;
        Ok(s)
    }

    /// Read a file the trainee imports: our JSON export (or an older store), or our xAPI
    /// export (an array of statements).
    pub fn import(s: &str) -> Result<Store, LoadError> {
        let v: Value = serde_json::from_str(s).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        Store::read(&v, s)
    }

    /// [`Store::import`] into the results of the trainee named `me` (the settings' name, if
    /// set): a file that names someone else (a JSON export's `trainee`, an xAPI export's actor)
    /// is refused, so that a trainer who opens Li Na's export in their own history does not make
    /// her results theirs (the dashboard, #/team, reads a team's files). A file or a browser
    /// that names no one is read as before.
    pub fn import_for(s: &str, me: Option<&str>) -> Result<Imported, LoadError> {
        let v: Value = serde_json::from_str(s).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        let mine = me.map(str::trim).filter(|m| !m.is_empty());
        if let (Some(mine), Some(theirs)) = (mine, Store::named(&v)) {
            if theirs.to_lowercase() != mine.to_lowercase() {
                return Ok(Imported::Theirs(theirs));
            }
        }
        Store::read(&v, s).map(Imported::Read)
    }

    /// A file to import, `v` its JSON (`s` its text): an xAPI export, or our JSON.
    fn read(v: &Value, s: &str) -> Result<Store, LoadError> {
        let is_xapi = v
            .as_array()
            .is_some_and(|a| a.first().is_some_and(|x| x.get("verb").is_some()));
        if is_xapi {
            Store::from_xapi(v)
        } else {
            Store::from_json(s)
        }
    }

    /// Attempts back from the xAPI statements `to_xapi` writes (grouped by attempt; the
    /// extensions carry what a statement alone does not say).
    pub fn from_xapi(v: &Value) -> Result<Store, LoadError> {
        let stmts = v
            .as_array()
            .ok_or_else(|| LoadError::Corrupt("expected an array of xAPI statements".into()))?;
        Store::from_statements(stmts.iter())
    }

    /// [`Store::from_xapi`] over statements held elsewhere (a cohort's, grouped by trainee).
    pub fn from_statements<'a>(
        stmts: impl ExactSizeIterator<Item = &'a Value>,
    ) -> Result<Store, LoadError> {
        let any = stmts.len() > 0;
        static NULL: Value = Value::Null;
        let ext = |x: &'a Value, suffix: &str| -> Option<&'a Value> {
            x.as_object()?
                .iter()
                .find(|(k, _)| k.ends_with(suffix))
                .map(|(_, v)| v)
        };
        let first_name = |x: &Value| -> String {
            x["definition"]["name"]
                .as_object()
                .and_then(|m| m.values().next())
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut found: Vec<Attempt> = Vec::new();
        // Each attempt's turns' times (the statements' `timestamp`), to put them in order: an
        // LRS may answer newest first (Ralph on ClickHouse does).
        let mut when: Vec<Vec<f64>> = Vec::new();
        // Exam runs' verdicts (run id → total, passed), from the exam statements.
        let mut verdicts: BTreeMap<String, (u8, bool)> = BTreeMap::new();
        for st in stmts {
            let ctx = &st["context"];
            if let Some(run) = ext(&ctx["extensions"], X_EXAM).and_then(|x| x["run"].as_str()) {
                let r = &st["result"];
                if let (Some(total), Some(passed)) =
                    (r["score"]["raw"].as_f64(), r["success"].as_bool())
                {
                    verdicts.insert(
                        run.to_string(),
                        (total.clamp(0.0, 100.0).round() as u8, passed),
                    );
                }
                continue;
            }
            let meta = ext(&ctx["extensions"], X_ATTEMPT).unwrap_or(&NULL);
            let Some(key) = meta["id"]
                .as_str()
                .or_else(|| ctx["registration"].as_str())
                .map(str::to_string)
            else {
                continue;
            };
            let object_id = st["object"]["id"].as_str().unwrap_or_default();
            let Some(at) = object_id.rfind("/scenario/") else {
                continue;
            };
            // Ids are percent-encoded path segments (`xapi::iri_segment`).
            let rest = &object_id[at + "/scenario/".len()..];
            let (scenario, turn) = match rest.split_once("/turn/") {
                Some((s, t)) => (
                    crate::xapi::decode_segment(s),
                    Some(crate::xapi::decode_segment(t)),
                ),
                None => (crate::xapi::decode_segment(rest), None),
            };
            let scenario = meta["scenario"].as_str().map_or(scenario, str::to_string);
            let lang = ctx["language"]
                .as_str()
                .and_then(Lang::parse)
                .unwrap_or(Lang::En);
            let i = match found.iter().position(|a| a.id == key) {
                Some(i) => i,
                None => {
                    found.push(Attempt {
                        id: key.clone(),
                        scenario: scenario.clone(),
                        title: meta["title"].as_str().unwrap_or(&scenario).to_string(),
                        kind: kind_of(meta["kind"].as_str().unwrap_or_default()),
                        lang,
                        seed: meta["seed"].as_u64().unwrap_or(0),
                        started_ms: meta["started_ms"].as_f64().unwrap_or(0.0),
                        finished_ms: None,
                        outcome: None,
                        exam: meta["exam"].as_bool().unwrap_or(false),
                        exam_run: serde_json::from_value(meta["exam_run"].clone()).ok(),
                        pace: meta["pace"].as_str().map(str::to_string),
                        turns: Vec::new(),
                    });
                    when.push(Vec::new());
                    found.len() - 1
                }
            };
            let a = &mut found[i];
            let verb = st["verb"]["id"].as_str().unwrap_or_default();
            let result = &st["result"];
            match (verb.rsplit('/').next(), turn) {
                (Some("answered"), Some(turn)) => {
                    let rx = &result["extensions"];
                    when[i].push(
                        st["timestamp"]
                            .as_str()
                            .and_then(parse_iso_ms)
                            .unwrap_or(f64::INFINITY),
                    );
                    a.turns.push(TurnRecord {
                        turn,
                        customer: first_name(&st["object"]),
                        reply: result["response"].as_str().unwrap_or_default().to_string(),
                        secs: result["duration"].as_str().and_then(parse_duration),
                        score: result["score"]["raw"]
                            .as_f64()
                            .map_or(0, |r| r.clamp(0.0, 100.0).round() as u8),
                        // Read by hand, not through serde: this keeps the app's download small.
                        principles: ext(rx, X_PRINCIPLES)
                            .and_then(|p| {
                                p.as_object().map(|m| {
                                    m.iter()
                                        .filter_map(|(k, v)| v.as_bool().map(|b| (k.clone(), b)))
                                        .collect()
                                })
                            })
                            .unwrap_or_default(),
                        expected: ext(rx, X_EXPECTED).and_then(|p| {
                            p.as_array().map(|a| {
                                a.iter()
                                    .filter_map(|x| x.as_str().map(str::to_string))
                                    .collect()
                            })
                        }),
                    });
                }
                (Some("completed"), None) => {
                    if meta["title"].is_null() {
                        a.title = first_name(&st["object"]);
                    }
                    a.finished_ms = meta["finished_ms"].as_f64().or(Some(a.started_ms));
                    a.outcome = ext(&result["extensions"], X_OUTCOME)
                        .and_then(|o| o.as_str().and_then(Outcome::parse));
                }
                _ => {}
            }
        }
        if found.is_empty() && any {
            return Err(LoadError::Corrupt(
                "no Kefu Dojo statements in this xAPI file".into(),
            ));
        }
        for (a, times) in found.iter_mut().zip(when) {
            // Turns in time order; a stable sort, so turns of one instant keep the order read.
            let mut turns: Vec<(f64, TurnRecord)> = times
                .into_iter()
                .zip(std::mem::take(&mut a.turns))
                .collect();
            turns.sort_by(|x, y| x.0.total_cmp(&y.0));
            a.turns = turns.into_iter().map(|t| t.1).collect();
            // An exam run's verdict on each of its attempts, as the exam left them.
            if let Some(tag) = a.exam_run.as_mut() {
                if let Some(&(total, passed)) = verdicts.get(&tag.run) {
                    tag.total = Some(total);
                    tag.passed = Some(passed);
                }
            }
        }
        Ok(Store {
            version: CURRENT_VERSION,
            attempts: found,
        })
    }

    /// Insert or replace an attempt by id.
    pub fn upsert(&mut self, a: Attempt) {
        match self.attempts.iter_mut().find(|x| x.id == a.id) {
            Some(x) => *x = a,
            None => self.attempts.push(a),
        }
    }

    /// Merge another store (an import): new attempts are added, a finished copy replaces an
    /// unfinished one, anything else already present is a duplicate and ignored.
    pub fn merge(&mut self, other: Store) -> MergeReport {
        let mut r = MergeReport::default();
        let mut index: BTreeMap<String, usize> = self
            .attempts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for mut a in other.attempts {
            let mut forked = false;
            // A different play under a stored id is kept under its fork id (decided again).
            let fate = loop {
                let Some(&i) = index.get(&a.id) else {
                    break None;
                };
                match self.attempts[i].verdict(&a) {
                    Verdict::Forked if !forked => {
                        a.id = a.fork_id(None);
                        forked = true;
                    }
                    // The same replies' hash under a fork id: already kept.
                    Verdict::Forked => break Some((i, Verdict::Same)),
                    v => break Some((i, v)),
                }
            };
            match fate {
                None => {
                    r.count(if forked {
                        Verdict::Forked
                    } else {
                        Verdict::Added
                    });
                    index.insert(a.id.clone(), self.attempts.len());
                    self.attempts.push(a);
                }
                Some((i, Verdict::Newer)) => {
                    r.count(Verdict::Newer);
                    self.attempts[i] = a;
                }
                Some((_, v)) => r.count(v),
            }
        }
        self.attempts
            .sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
        r
    }

    /// Best score per scenario over finished attempts.
    pub fn best_scores(&self) -> BTreeMap<String, u8> {
        let mut best = BTreeMap::new();
        for a in self.attempts.iter().filter(|a| a.finished()) {
            let e = best.entry(a.scenario.clone()).or_insert(0);
            *e = (*e).max(a.score());
        }
        best
    }

    /// For one principle: `(started_ms, share of turns showing it)` per finished attempt that
    /// judged it, in time order.
    pub fn principle_trend(&self, principle: &str) -> Vec<(f64, f32)> {
        let mut v: Vec<(f64, f32)> = self
            .attempts
            .iter()
            .filter(|a| a.finished())
            .filter_map(|a| {
                a.principle_rates()
                    .get(principle)
                    .map(|r| (a.started_ms, *r))
            })
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    /// One row per turn (RFC 4180: CRLF, quoted cells), safe to open in a spreadsheet: a
    /// UTF-8 byte-order mark first (so Excel reads Chinese correctly) and no cell that starts
    /// like a formula. `hits`/`misses` are the positive principles shown / asked for and missed; the last
    /// column, `violations`, lists the violations committed (blame, jargon, rudeness).
    pub fn to_csv(&self) -> String {
        self.to_csv_as(None)
    }

    /// [`Store::to_csv`] naming the trainee (`who`, from the settings): two more columns,
    /// `trainee` and `trainee_id` (empty when no id is set), neutralised like every cell.
    pub fn to_csv_as(&self, who: Option<&crate::xapi::Identity>) -> String {
        let mut out = String::from(
            "\u{feff}attempt_id,scenario,title,lang,exam,started,outcome,turn,score,secs,hits,misses,reply,violations",
        );
        let who = who.map(|w| [csv_cell(&w.name), csv_cell(&w.id)]);
        if who.is_some() {
            out.push_str(",trainee,trainee_id");
        }
        out.push_str("\r\n");
        for a in &self.attempts {
            for t in &a.turns {
                // A miss is a principle the turn asked for (all of them in a record made
                // before the turn's `expected` was kept).
                let asked = |k: &str| t.expected.as_ref().is_none_or(|e| e.iter().any(|x| x == k));
                let ids = |hit: bool, violation: bool| -> String {
                    t.principles
                        .iter()
                        .filter(|(k, h)| **h == hit && is_violation(k) == violation)
                        .filter(|(k, _)| hit || violation || asked(k))
                        .map(|(k, _)| k.as_str())
                        .collect::<Vec<_>>()
                        .join(";")
                };
                let row = [
                    a.id.clone(),
                    a.scenario.clone(),
                    a.title.clone(),
                    a.lang.code().to_string(),
                    a.exam.to_string(),
                    iso_time(a.started_ms),
                    a.outcome.map(|o| o.id().to_string()).unwrap_or_default(),
                    t.turn.clone(),
                    t.score.to_string(),
                    t.secs.map(|s| format!("{s:.1}")).unwrap_or_default(),
                    ids(true, false),
                    ids(false, false),
                    t.reply.clone(),
                    ids(true, true),
                ];
                out.push_str(
                    &row.iter()
                        .map(|c| csv_cell(c))
                        .collect::<Vec<_>>()
                        .join(","),
                );
                if let Some([name, id]) = &who {
                    out.push_str(&format!(",{name},{id}"));
                }
                out.push_str("\r\n");
            }
        }
        out
    }

    /// xAPI 1.0.3 statements (`xapi::store_statements`): per turn `answered` (long-fill-in,
    /// the reply as response, the scaled score), per finished attempt `completed` and
    /// `passed`/`failed`, per finished exam run `passed`/`failed`. Ids are stable UUIDs, so
    /// re-exporting gives the same statements; every statement of one attempt shares
    /// `context.registration`. The actor is an `account` named `actor_name` on `base_iri`;
    /// see [`Store::to_xapi_as`] for a trainee's identity. An invalid `base_iri` is replaced
    /// by `https://kefu-dojo.invalid`.
    pub fn to_xapi(&self, actor_name: &str, base_iri: &str) -> Value {
        let base = crate::xapi::Base::new(base_iri).unwrap_or_else(|_| {
            crate::xapi::Base::new("https://kefu-dojo.invalid").expect("a valid IRI")
        });
        let actor = json!({
            "objectType": "Agent",
            "name": actor_name,
            "account": { "homePage": base.as_str(), "name": actor_name },
        });
        self.to_xapi_as(&actor, &base)
    }

    /// xAPI statements as `actor` (`xapi::Identity::actor`) under `base`.
    pub fn to_xapi_as(&self, actor: &Value, base: &crate::xapi::Base) -> Value {
        Value::Array(crate::xapi::store_statements(self, actor, base))
    }
}

/// One CSV cell: quoted when needed; a leading `= + - @` is neutralised (formula injection),
/// also behind spaces or line breaks (a spreadsheet may skip them and still read a formula).
pub(crate) fn csv_cell(s: &str) -> String {
    let formula = s
        .trim_start_matches(char::is_whitespace)
        .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']);
    let s = if formula || s.starts_with(['\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The longest trainee name put in an export's file name, in chars (a CJK char is 3 bytes of
/// the file system's 255).
const FILE_NAME_TRAINEE: usize = 40;

/// The name of an export file: `kefu-dojo-{what}-{trainee}-{date}.{ext}`, the trainee's name
/// (from the settings) made safe for any file system — letters and digits of any script kept
/// (王芳 stays 王芳), anything else (spaces, `/ \ : * ? " < > |`, dots, control characters)
/// one `-`, at most `FILE_NAME_TRAINEE` chars —, and without a name (or with nothing left of
/// it) only the date (`YYYY-MM-DD`, the day the trainee exported it). A trainer collecting a
/// team's files gets one name per trainee and day instead of the same name from everyone.
pub fn export_file_name(what: &str, trainee: Option<&str>, date: &str, ext: &str) -> String {
    let mut who = String::new();
    for c in trainee.unwrap_or_default().chars() {
        // Only ASCII has characters a file system refuses; elsewhere the punctuation a name
        // may hold (full-width brackets, 、。「」, dashes and quotes) is by its block, so
        // every script's letters are kept without Unicode's letter tables (#17: the full module).
        let kept = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c,
                    '\u{2000}'..='\u{206f}'
                    | '\u{3000}'..='\u{303f}'
                    | '\u{ff00}'..='\u{ff0f}'
                    | '\u{ff1a}'..='\u{ff20}'
                    | '\u{ff3b}'..='\u{ff40}'
                    | '\u{ff5b}'..='\u{ff65}')
        };
        if kept {
            who.push(c);
        } else if !who.is_empty() && !who.ends_with('-') {
            who.push('-');
        }
    }
    let who: String = who.chars().take(FILE_NAME_TRAINEE).collect();
    let who = who.trim_end_matches('-');
    if who.is_empty() {
        format!("kefu-dojo-{what}-{date}.{ext}")
    } else {
        format!("kefu-dojo-{what}-{who}-{date}.{ext}")
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` from milliseconds since the epoch (UTC).
pub fn iso_time(ms: f64) -> String {
    let ms = if ms.is_finite() {
        ms.max(0.0) as i64
    } else {
        0
    };
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Milliseconds since the epoch from an ISO 8601 timestamp as xAPI writes them
/// (`YYYY-MM-DDTHH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`; what `iso_time` writes
/// and what an LRS gives back). Digits by hand, as in `parse_duration`.
pub fn parse_iso_ms(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
        })
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hh, mm, ss) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let mut i = 19;
    let mut frac = 0.0;
    if b.get(i) == Some(&b'.') {
        let mut scale = 100.0;
        i += 1;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            frac += f64::from(c - b'0') * scale;
            scale /= 10.0;
            i += 1;
        }
    }
    let offset_min = match b.get(i) {
        None | Some(b'Z' | b'z') => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2).unwrap_or(0));
            (oh * 60 + om) * if sign == b'-' { -1 } else { 1 }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm), the inverse of `iso_time`'s.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss - offset_min * 60;
    Some(secs as f64 * 1000.0 + frac)
}

/// Seconds from the durations `iso_duration` writes (`PT12.5S`). Digits by hand: the float
/// parser of `str::parse` would add ~15 KB to the app's download.
fn parse_duration(d: &str) -> Option<f64> {
    let n = d.strip_prefix("PT")?.strip_suffix('S')?;
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    let digits = |s: &str| -> Option<f64> {
        s.bytes().try_fold(0.0, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10.0 + f64::from(b - b'0'))
        })
    };
    let whole = digits(int).filter(|_| !int.is_empty())?;
    let part = digits(frac)? / 10f64.powi(i32::try_from(frac.len()).ok()?);
    Some(whole + part)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::xapi::iso_duration;

    #[test]
    fn an_export_file_is_named_by_its_trainee_and_day() {
        let d = "2026-12-07";
        let name = |who: Option<&str>| export_file_name("results", who, d, "json");
        assert_eq!(name(Some("王芳")), "kefu-dojo-results-王芳-2026-12-07.json");
        assert_eq!(
            name(Some("陳大文")),
            "kefu-dojo-results-陳大文-2026-12-07.json"
        );
        assert_eq!(name(None), "kefu-dojo-results-2026-12-07.json");
        // Nothing a file system refuses or reads as a folder; runs of it are one `-`.
        assert_eq!(
            name(Some("  Li  Wei ")),
            "kefu-dojo-results-Li-Wei-2026-12-07.json"
        );
        assert_eq!(
            name(Some("a/b\\c:d*e?f\"g<h>i|j\u{0}k\tl")),
            "kefu-dojo-results-a-b-c-d-e-f-g-h-i-j-k-l-2026-12-07.json"
        );
        assert_eq!(name(Some("../..")), "kefu-dojo-results-2026-12-07.json");
        assert_eq!(
            name(Some("王芳（客服）")),
            "kefu-dojo-results-王芳-客服-2026-12-07.json"
        );
        assert_eq!(
            name(Some("【二组】李雷、韩梅梅…")),
            "kefu-dojo-results-二组-李雷-韩梅梅-2026-12-07.json"
        );
        assert_eq!(
            name(Some("Ｌｉ　Ｗｅｉ")),
            "kefu-dojo-results-Ｌｉ-Ｗｅｉ-2026-12-07.json"
        );
        assert_eq!(
            name(Some("José Ñúñez")),
            "kefu-dojo-results-José-Ñúñez-2026-12-07.json"
        );
        assert_eq!(
            name(Some("O'Brien_2")),
            "kefu-dojo-results-O-Brien_2-2026-12-07.json"
        );
        assert_eq!(name(Some("   ")), "kefu-dojo-results-2026-12-07.json");
        // A long name is cut (in chars, never inside one).
        let long = "长".repeat(300);
        let n = name(Some(&long));
        assert_eq!(
            n,
            format!("kefu-dojo-results-{}-2026-12-07.json", "长".repeat(40))
        );
        assert!(n.len() < 255);
        assert_eq!(
            export_file_name("results", Some("王芳"), d, "csv"),
            "kefu-dojo-results-王芳-2026-12-07.csv"
        );
    }

    #[test]
    fn timestamps_read_back_as_written_and_as_an_lrs_gives_them() {
        for ms in [
            0.0,
            1_764_000_123_456.0,
            951_782_400_000.0,
            4_107_542_399_999.0,
        ] {
            assert_eq!(parse_iso_ms(&iso_time(ms)), Some(ms), "{}", iso_time(ms));
        }
        let t = 1_764_000_123_456.0;
        assert_eq!(parse_iso_ms("2025-11-24T16:02:03.456+00:00"), Some(t));
        assert_eq!(parse_iso_ms("2025-11-24T16:02:03.456000Z"), Some(t));
        assert_eq!(parse_iso_ms("2025-11-25T00:02:03.456+08:00"), Some(t));
        assert_eq!(parse_iso_ms("2025-11-24T16:02:03Z"), Some(t - 456.0));
        assert_eq!(parse_iso_ms("2025-11-24"), None);
        assert_eq!(parse_iso_ms("yesterday at noon"), None);
    }

    /// An English attempt of two replies (also the xAPI tests' fixture).
    pub(crate) fn attempt(id: &str, finished: bool, reply: &str) -> Attempt {
        Attempt {
            id: id.into(),
            scenario: "angry-late-delivery".into(),
            title: "The late parcel".into(),
            kind: ScenarioKind::Angry,
            lang: Lang::En,
            seed: 7,
            started_ms: 1_764_000_000_000.0,
            finished_ms: finished.then_some(1_764_000_090_000.0),
            outcome: finished.then_some(Outcome::Resolved),
            exam: false,
            exam_run: None,
            pace: Default::default(),
            turns: vec![
                TurnRecord {
                    turn: "open".into(),
                    customer: "Where is it?".into(),
                    reply: reply.into(),
                    secs: Some(12.5),
                    score: 80,
                    principles: [("apology".to_string(), true), ("blame".to_string(), false)]
                        .into(),
                    expected: None,
                },
                TurnRecord {
                    turn: "calmer".into(),
                    customer: "When?".into(),
                    reply: "Tomorrow.".into(),
                    secs: None,
                    score: 61,
                    principles: [("apology".to_string(), false)].into(),
                    expected: None,
                },
            ],
        }
    }

    #[test]
    fn json_round_trip_and_legacy_migration() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "Sorry"));
        assert_eq!(Store::from_json(&s.to_json()).unwrap(), s);
        let legacy = serde_json::to_string(&s.attempts).unwrap();
        let m = Store::from_json(&legacy).unwrap();
        assert_eq!(m.version, CURRENT_VERSION);
        assert_eq!(m.attempts, s.attempts);
    }

    #[test]
    fn corrupt_and_future_data_are_reported() {
        assert!(matches!(
            Store::from_json("{\"version\":1,\"attempts\":[{oops"),
            Err(LoadError::Corrupt(_))
        ));
        assert!(matches!(
            Store::from_json("{\"version\":9,\"attempts\":[]}"),
            Err(LoadError::TooNew(9))
        ));
        assert!(matches!(Store::from_json("42"), Err(LoadError::Corrupt(_))));
        // A file cut short (its end lost) is told as such, not as another tool's file.
        let whole = "{\"version\":1,\"attempts\":[]}";
        for cut in [&whole[..whole.len() - 1], "{\"attempts\": [", "{"] {
            let e = Store::from_json(cut).unwrap_err();
            assert_eq!(e.key(), "import.cut_short", "{cut}: {e}");
            assert!(
                e.message(Lang::En).starts_with("This file is cut short"),
                "{e}"
            );
        }
        for other in ["{\"version\":1,\"attempts\":[{oops}]}", "42", "[1, 2]"] {
            assert_eq!(
                Store::from_json(other).unwrap_err().key(),
                "import.corrupt",
                "{other}"
            );
        }
    }

    #[test]
    fn merge_adds_new_replaces_unfinished_and_skips_duplicates() {
        let mut s = Store::default();
        s.upsert(attempt("a", false, "Sorry"));
        let mut other = Store::default();
        other.upsert(attempt("a", true, "Sorry"));
        other.upsert(attempt("b", true, "Hi"));
        let r = s.merge(other.clone());
        assert_eq!((r.added, r.updated, r.duplicates), (1, 1, 0));
        assert!(s.attempts.iter().all(Attempt::finished));
        let again = s.merge(other);
        assert_eq!((again.added, again.updated, again.duplicates), (0, 0, 2));
        assert_eq!(s.attempts.len(), 2);
    }

    /// The one rule of every write: a copy replaces the stored attempt only when it continues
    /// it; a different play under the same id is kept beside it; nothing is dropped.
    #[test]
    fn copies_replace_only_what_they_continue() {
        let stored = attempt("a", false, "Sorry");
        let mut shorter = stored.clone();
        shorter.turns.truncate(1);
        let finished = attempt("a", true, "Sorry");
        let other = attempt("a", false, "Not our fault");
        assert_eq!(stored.verdict(&stored.clone()), Verdict::Same);
        assert_eq!(stored.verdict(&finished), Verdict::Newer);
        assert_eq!(finished.verdict(&stored), Verdict::Older);
        assert_eq!(stored.verdict(&shorter), Verdict::Older);
        assert_eq!(shorter.verdict(&stored), Verdict::Newer);
        assert_eq!(stored.verdict(&other), Verdict::Forked);
        // A longer copy of a finished play that differs in the end is another play.
        let mut more = finished.clone();
        more.turns.push(more.turns[0].clone());
        more.finished_ms = None;
        assert_eq!(finished.verdict(&more), Verdict::Forked);
        for v in [
            Verdict::Added,
            Verdict::Same,
            Verdict::Newer,
            Verdict::Older,
            Verdict::Forked,
        ] {
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
        assert_eq!(Verdict::from_code(9), None);
    }

    #[test]
    fn decide_keeps_both_plays_and_lets_the_owner_tab_rewrite_its_own() {
        let j = |a: &Attempt| serde_json::to_string(a).unwrap();
        let stored = attempt("a", false, "Sorry");
        let other = attempt("a", false, "Not our fault");
        // An import of a different play: kept under a fork id that depends on its replies.
        let Decision::Fork(id, json) = decide(Writer::Import, &j(&stored), &j(&other)) else {
            panic!("forked")
        };
        assert!(id.starts_with("a~") && id.len() == 2 + 8, "{id}");
        let forked: Attempt = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (forked.id.as_str(), &forked.turns),
            (id.as_str(), &other.turns)
        );
        assert_eq!(
            other.fork_id(None),
            id,
            "the same file forks to the same id"
        );
        // Tab `t1`'s own diverging write goes to its own fork, every time.
        assert!(matches!(decide(Writer::Tab("t1"), &j(&stored), &j(&other)),
            Decision::Fork(id, _) if id == "a~t1"));
        // The same replies in another language: the owner tab rewrites, an import does not.
        let mut relabelled = stored.clone();
        relabelled.title = "包裹迟到".into();
        assert_eq!(
            decide(Writer::Tab("t1"), &j(&stored), &j(&relabelled)),
            Decision::Put(Verdict::Newer)
        );
        assert_eq!(
            decide(Writer::Import, &j(&stored), &j(&relabelled)),
            Decision::Keep(Verdict::Same)
        );
        // Another tab saved more of the play: this tab's shorter copy never overwrites it.
        let mut shorter = stored.clone();
        shorter.turns.truncate(1);
        assert_eq!(
            decide(Writer::Tab("t1"), &j(&stored), &j(&shorter)),
            Decision::Keep(Verdict::Older)
        );
        // An unreadable stored record is never written over; a copy that is not an attempt is
        // never written.
        assert!(matches!(
            decide(Writer::Import, "{oops", &j(&stored)),
            Decision::Fork(..)
        ));
        assert_eq!(decide(Writer::Import, &j(&stored), "[]"), Decision::Bad);
    }

    #[test]
    fn merge_keeps_both_plays_under_one_id_and_a_second_import_adds_nothing() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "Sorry"));
        let mut file = Store::default();
        file.upsert(attempt("a", true, "Not our fault"));
        file.upsert(attempt("b", false, "Hi"));
        let r = s.merge(file.clone());
        assert_eq!(
            (r.added, r.updated, r.duplicates, r.kept_both),
            (1, 0, 0, 1)
        );
        assert_eq!(s.attempts.len(), 3);
        assert!(s.attempts.iter().any(|a| a.turns[0].reply == "Sorry"));
        assert!(s
            .attempts
            .iter()
            .any(|a| a.turns[0].reply == "Not our fault"));
        let before = s.clone();
        let again = s.merge(file);
        assert_eq!((again.added, again.kept_both, again.duplicates), (0, 0, 2));
        assert_eq!(s, before);
    }

    #[test]
    fn scores_best_and_trend() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "x"));
        s.upsert(attempt("b", false, "x"));
        assert_eq!(s.attempts[0].score(), 71);
        assert!(s.attempts[0].passed());
        assert_eq!(s.best_scores()["angry-late-delivery"], 71);
        assert_eq!(
            s.principle_trend("apology"),
            vec![(1_764_000_000_000.0, 0.5)]
        );
    }

    #[test]
    fn csv_quotes_and_neutralises_formulas() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "Sorry, \"really\"\nsorry"));
        s.attempts[0].turns[1].reply = "=HYPERLINK(\"x\")".into();
        let csv = s.to_csv();
        assert!(csv.contains("\"Sorry, \"\"really\"\"\nsorry\""), "{csv}");
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
        assert!(csv.contains("2025-11-24T"), "{csv}");
        assert!(csv.starts_with("\u{feff}attempt_id,"), "{csv}");
        assert!(csv.contains(",80,12.5,apology,,"), "{csv}");
        assert!(csv.contains(",61,,,apology,"), "{csv}");
        assert_eq!(csv.matches("\r\n").count(), 3);
    }

    #[test]
    fn exports_name_the_trainee() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "Sorry"));
        let who = crate::xapi::Identity::new("=Li, \"Wei\"", "E-1024").unwrap();
        // JSON: the trainee beside the attempts; it reads back as the same store.
        let json = s.to_json_as(Some(&who));
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["trainee"],
            json!({ "name": "=Li, \"Wei\"", "id": "E-1024" })
        );
        assert_eq!(
            Store::trainee_of(&v),
            Some(("=Li, \"Wei\"".to_string(), "E-1024".to_string()))
        );
        assert_eq!(Store::import(&json).unwrap(), s);
        let no_id = crate::xapi::Identity::new("Ana", "").unwrap();
        let v: Value = serde_json::from_str(&s.to_json_as(Some(&no_id))).unwrap();
        assert_eq!(v["trainee"], json!({ "name": "Ana" }));
        assert_eq!(s.to_json_as(None), s.to_json());
        assert_eq!(
            Store::trainee_of(&serde_json::from_str(&s.to_json()).unwrap()),
            None
        );
        // CSV: two more columns on every row, the name neutralised and quoted.
        let csv = s.to_csv_as(Some(&who));
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(
            lines[0].ends_with(",reply,violations,trainee,trainee_id"),
            "{csv}"
        );
        assert_eq!(lines.len(), 3);
        for row in &lines[1..] {
            assert!(row.ends_with(",\"'=Li, \"\"Wei\"\"\",E-1024"), "{row}");
        }
        let csv = s.to_csv_as(Some(&no_id));
        assert!(
            csv.split("\r\n").nth(1).unwrap().ends_with(",Ana,"),
            "{csv}"
        );
        assert_eq!(s.to_csv_as(None), s.to_csv());
    }

    #[test]
    fn csv_neutralises_formulas_behind_spaces_and_line_breaks() {
        for evil in [
            " =1+1",
            "\n=HYPERLINK(\"x\")",
            " \r\n @SUM(A1)",
            "\u{3000}+cmd",
            "\t-1",
            "＝1+1",
        ] {
            let cell = csv_cell(evil);
            let inner = cell
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                .unwrap_or(&cell);
            assert!(inner.starts_with('\''), "{evil:?} → {cell:?}");
        }
        assert_eq!(csv_cell("  sorry = fine"), "  sorry = fine");
    }

    #[test]
    fn csv_puts_committed_violations_apart() {
        let mut s = Store::default();
        let mut a = attempt("a", true, "Not my fault");
        a.turns[0].principles = [
            ("apology".to_string(), false),
            ("blame".to_string(), true),
            ("empathy".to_string(), true),
            ("jargon".to_string(), false),
        ]
        .into();
        a.turns.truncate(1);
        s.upsert(a);
        let csv = s.to_csv();
        let row = csv.split("\r\n").nth(1).unwrap();
        assert!(
            row.ends_with(",empathy,apology,Not my fault,blame"),
            "{row}"
        );
        assert!(csv.lines().next().unwrap().ends_with(",reply,violations"));
    }

    #[test]
    fn lenient_reading() {
        // A store object without `version` is the legacy format.
        let s = Store::from_json("{\"attempts\":[]}").unwrap();
        assert_eq!(s.version, CURRENT_VERSION);
        // A version beyond u32 is still "too new", not truncated into an accepted one.
        assert_eq!(
            Store::from_json("{\"version\":4294967297,\"attempts\":[]}"),
            Err(LoadError::TooNew(u32::MAX))
        );
        // A non-finite start time (written as null) does not make the store unreadable.
        let mut st = Store::default();
        let mut a = attempt("a", true, "x");
        a.started_ms = f64::NAN;
        st.upsert(a);
        let back = Store::from_json(&st.to_json()).unwrap();
        assert_eq!(back.attempts[0].started_ms, 0.0);
        assert!(matches!(
            Store::from_json("\"x\""),
            Err(LoadError::Corrupt(_))
        ));
    }

    #[test]
    fn xapi_statements() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "I'm sorry"));
        let v = s.to_xapi("Trainee", "https://example.org/kefu/");
        let st = v.as_array().unwrap();
        assert_eq!(st.len(), 4);
        let ans = &st[0];
        assert_eq!(ans["verb"]["id"], "http://adlnet.gov/expapi/verbs/answered");
        assert_eq!(
            ans["object"]["definition"]["interactionType"],
            "long-fill-in"
        );
        assert_eq!(ans["result"]["response"], "I'm sorry");
        assert_eq!(ans["result"]["score"]["scaled"], 0.8);
        assert_eq!(ans["result"]["duration"], "PT12.5S");
        assert_eq!(
            ans["context"]["contextActivities"]["parent"][0]["id"],
            "https://example.org/kefu/scenario/angry-late-delivery"
        );
        assert_eq!(
            st[2]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/completed"
        );
        assert_eq!(st[3]["verb"]["id"], "http://adlnet.gov/expapi/verbs/passed");
        assert_eq!(st[3]["result"]["success"], true);
        let ids: Vec<&str> = st.iter().map(|x| x["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            s.to_xapi("Trainee", "https://example.org/kefu")
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap())
                .collect::<Vec<_>>()
        );
        let mut uniq = ids.clone();
        uniq.dedup();
        assert_eq!(uniq.len(), 4);
        assert!(ids
            .iter()
            .all(|i| i.len() == 36 && i.as_bytes()[14] == b'5'));
    }

    #[test]
    fn durations_read_back() {
        for secs in [0.0, 12.5, 3.25, 120.0] {
            assert_eq!(parse_duration(&iso_duration(secs)), Some(secs));
        }
        assert_eq!(parse_duration("PT1M"), None);
        assert_eq!(parse_duration("PTS"), None);
    }

    #[test]
    fn iso_time_is_utc() {
        assert_eq!(iso_time(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(951_782_400_000.0), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_time(f64::NAN), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn old_stores_with_string_fields_read_as_typed_values() {
        // As written before the fields were typed (kind from `format!("{:?}")` lower-cased).
        let old = r#"{"version":1,"attempts":[
          {"id":"a-1-2","scenario":"a","title":"A","kind":"objection","lang":"zh-Hant","seed":1,
           "started_ms":2,"finished_ms":3,"outcome":"escalated","turns":[]},
          {"id":"b-1-2","scenario":"b","title":"B","kind":"product","lang":"zh-CN","seed":1,
           "started_ms":2,"outcome":"","turns":[]},
          {"id":"c-1-2","scenario":"c","title":"C","kind":"Weird","lang":"en","seed":1,
           "started_ms":2,"turns":[]}]}"#;
        let s = Store::from_json(old).unwrap();
        let a = &s.attempts;
        assert_eq!(
            (a[0].kind, a[0].lang, a[0].outcome),
            (
                ScenarioKind::Objection,
                Lang::ZhHant,
                Some(Outcome::Escalated)
            )
        );
        assert_eq!(
            (a[1].kind, a[1].lang, a[1].outcome),
            (ScenarioKind::Product, Lang::ZhHans, None)
        );
        assert_eq!((a[2].kind, a[2].lang), (ScenarioKind::General, Lang::En));
        // Written back, the same words as before.
        let json = s.to_json();
        assert!(
            json.contains(r#""kind":"objection","lang":"zh-Hant""#),
            "{json}"
        );
        assert!(json.contains(r#""outcome":"escalated""#), "{json}");
        assert_eq!(Store::from_json(&json).unwrap(), s);
    }

    #[test]
    fn every_export_imports_back() {
        let mut s = Store::default();
        s.upsert(attempt("a", true, "I'm sorry"));
        let mut b = attempt("b", false, "Hello");
        b.lang = Lang::ZhHans;
        b.kind = ScenarioKind::Product;
        b.turns[0].expected = Some(vec!["apology".into()]);
        s.upsert(b);
        assert_eq!(Store::import(&s.to_json()).unwrap(), s);
        let x = serde_json::to_string(&s.to_xapi("T", "https://example.org/kefu")).unwrap();
        assert_eq!(Store::import(&x).unwrap(), s, "xAPI round trip");
        // Into a browser whose results are someone else's: refused, said with both names; the
        // trainee's own (any case) and a nameless export are read.
        assert_eq!(
            Store::import_for(&x, Some("Li Na")).unwrap(),
            Imported::Theirs("T".into())
        );
        assert_eq!(
            Store::import_for(&x, Some(" t ")).unwrap(),
            Imported::Read(s.clone())
        );
        let anon =
            serde_json::to_string(&s.to_xapi(ANONYMOUS, "https://example.org/kefu")).unwrap();
        assert_eq!(
            Store::import_for(&anon, Some("Li Na")).unwrap(),
            Imported::Read(s.clone())
        );
        // Not ours: a plain, translated message, never serde's text.
        let e = Store::import("[{\"verb\":{\"id\":\"x\"}}]").unwrap_err();
        assert!(matches!(e, LoadError::Corrupt(_)));
        let e = Store::import("{oops").unwrap_err();
        assert!(
            e.message(Lang::ZhHans).contains("客服道场"),
            "{}",
            e.message(Lang::ZhHans)
        );
        assert!(!e.message(Lang::En).contains("line 1"));
        assert!(LoadError::TooNew(3).message(Lang::En).contains('3'));
    }

    #[test]
    fn rates_count_only_the_turns_that_asked() {
        let mut a = attempt("a", true, "x");
        // Apology asked on the first turn only, and shown there.
        a.turns[0].expected = Some(vec!["apology".into()]);
        a.turns[1].expected = Some(vec!["empathy".into()]);
        a.turns[1].principles.insert("empathy".into(), false);
        let r = a.principle_rates();
        assert_eq!(r["apology"], 1.0);
        assert_eq!(r["empathy"], 0.0);
        // Blame (a violation) is over every turn that judged it.
        assert_eq!(r["blame"], 0.0);
        // Old records (no `expected`) count every turn, as before.
        assert_eq!(attempt("b", true, "x").principle_rates()["apology"], 0.5);
    }
}
