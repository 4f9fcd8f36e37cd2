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

/// xAPI extension IRIs (after the base IRI) that carry what an import back needs.
const X_ATTEMPT: &str = "/xapi/attempt";
const X_OUTCOME: &str = "/xapi/outcome";
const X_PRINCIPLES: &str = "/xapi/principles";
const X_EXPECTED: &str = "/xapi/expected";

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

impl std::error::Error for LoadError {}

impl LoadError {
    /// The catalogue key of the message a trainee sees.
    pub fn key(&self) -> &'static str {
        match self {
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
    /// Attempts already stored, replaced by the imported copy (finished where the stored one was not).
    pub updated: usize,
    /// Attempts already stored as they are.
    pub duplicates: usize,
}

impl Store {
    /// The store as JSON, the form `from_json` reads (and export writes).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"version\":1,\"attempts\":[]}".into())
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
        let is_xapi = v
            .as_array()
            .is_some_and(|a| a.first().is_some_and(|x| x.get("verb").is_some()));
        if is_xapi {
            Store::from_xapi(&v)
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
        let ext = |x: &Value, suffix: &str| -> Option<Value> {
            x.as_object()?
                .iter()
                .find(|(k, _)| k.ends_with(suffix))
                .map(|(_, v)| v.clone())
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
        for st in stmts {
            let ctx = &st["context"];
            let meta = ext(&ctx["extensions"], X_ATTEMPT).unwrap_or(Value::Null);
            let Some(key) = meta["id"]
                .as_str()
                .or_else(|| ctx["registration"].as_str())
                .map(str::to_string)
            else {
                continue;
            };
            let object_id = st["object"]["id"].as_str().unwrap_or_default();
            let Some(at) = object_id.find("/scenario/") else {
                continue;
            };
            let rest = &object_id[at + "/scenario/".len()..];
            let (scenario, turn) = match rest.split_once("/turn/") {
                Some((s, t)) => (s.to_string(), Some(t.to_string())),
                None => (rest.to_string(), None),
            };
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
                        turns: Vec::new(),
                    });
                    found.len() - 1
                }
            };
            let a = &mut found[i];
            let verb = st["verb"]["id"].as_str().unwrap_or_default();
            let result = &st["result"];
            match (verb.rsplit('/').next(), turn) {
                (Some("answered"), Some(turn)) => {
                    let rx = &result["extensions"];
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
        if found.is_empty() && !stmts.is_empty() {
            return Err(LoadError::Corrupt(
                "no Kefu Dojo statements in this xAPI file".into(),
            ));
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
        for a in other.attempts {
            match self.attempts.iter_mut().find(|x| x.id == a.id) {
                None => {
                    self.attempts.push(a);
                    r.added += 1;
                }
                Some(x)
                    if (!x.finished() && a.finished())
                        || (x.finished() == a.finished() && a.turns.len() > x.turns.len()) =>
                {
                    *x = a;
                    r.updated += 1;
                }
                Some(_) => r.duplicates += 1,
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
    /// like a formula. `hits`/`misses` are the positive principles shown/missed; the last
    /// column, `violations`, lists the violations committed (blame, jargon, rudeness).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "\u{feff}attempt_id,scenario,title,lang,exam,started,outcome,turn,score,secs,hits,misses,reply,violations\r\n",
        );
        for a in &self.attempts {
            for t in &a.turns {
                let ids = |hit: bool, violation: bool| -> String {
                    t.principles
                        .iter()
                        .filter(|(k, h)| **h == hit && is_violation(k) == violation)
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
                out.push_str("\r\n");
            }
        }
        out
    }

    /// xAPI 1.0.3 statements: per turn `answered` (long-fill-in, the reply as response, the
    /// scaled score), per finished attempt `completed` and `passed`/`failed`. Ids are
    /// deterministic, so re-exporting gives the same statements; every statement of one
    /// attempt shares `context.registration` (also derived from the attempt id).
    pub fn to_xapi(&self, actor_name: &str, base_iri: &str) -> Value {
        let base = base_iri.trim_end_matches('/');
        let actor = json!({
            "objectType": "Agent",
            "name": actor_name,
            "account": { "homePage": base, "name": actor_name },
        });
        let verb = |v: &str| json!({ "id": format!("http://adlnet.gov/expapi/verbs/{v}"), "display": { "en-US": v } });
        let mut out = Vec::new();
        for a in &self.attempts {
            let registration = uuid_of(&a.id);
            // What an LRS does not need but an import back into the app does.
            let attempt_ext = json!({
                format!("{base}{X_ATTEMPT}"): {
                    "id": a.id, "title": a.title, "kind": a.kind, "seed": a.seed, "exam": a.exam,
                    "started_ms": a.started_ms, "finished_ms": a.finished_ms,
                    "exam_run": a.exam_run,
                },
            });
            let scen_iri = format!("{base}/scenario/{}", a.scenario);
            let scen = json!({
                "objectType": "Activity",
                "id": scen_iri,
                "definition": {
                    "name": { lang_tag(a.lang): a.title },
                    "type": "http://adlnet.gov/expapi/activities/simulation",
                },
            });
            let mut t_ms = a.started_ms;
            for (i, t) in a.turns.iter().enumerate() {
                t_ms += t.secs.unwrap_or(0.0) * 1000.0;
                let mut result = json!({
                    "response": t.reply,
                    "score": { "scaled": f64::from(t.score) / 100.0, "raw": t.score, "min": 0, "max": 100 },
                });
                if let Some(s) = t.secs {
                    result["duration"] = json!(iso_duration(s));
                }
                result["extensions"] = json!({
                    format!("{base}{X_PRINCIPLES}"): t.principles,
                    format!("{base}{X_EXPECTED}"): t.expected,
                });
                out.push(json!({
                    "id": uuid_of(&format!("{}#{}", a.id, i)),
                    "actor": actor,
                    "verb": verb("answered"),
                    "object": {
                        "objectType": "Activity",
                        "id": format!("{scen_iri}/turn/{}", t.turn),
                        "definition": {
                            "name": { lang_tag(a.lang): t.customer },
                            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                            "interactionType": "long-fill-in",
                        },
                    },
                    "result": result,
                    "context": {
                        "registration": registration,
                        "contextActivities": { "parent": [ { "objectType": "Activity", "id": scen_iri } ] },
                        "language": lang_tag(a.lang),
                        "extensions": attempt_ext.clone(),
                    },
                    "timestamp": iso_time(t_ms),
                }));
            }
            if let Some(end) = a.finished_ms {
                let scaled = f64::from(a.score()) / 100.0;
                for v in ["completed", if a.passed() { "passed" } else { "failed" }] {
                    let mut result = json!({
                        "score": { "scaled": scaled, "raw": a.score(), "min": 0, "max": 100 },
                        "success": a.passed(),
                        "completion": true,
                        "duration": iso_duration((end - a.started_ms).max(0.0) / 1000.0),
                    });
                    if let Some(o) = &a.outcome {
                        result["extensions"] = json!({ format!("{base}{X_OUTCOME}"): o });
                    }
                    out.push(json!({
                        "id": uuid_of(&format!("{}#{v}", a.id)),
                        "actor": actor,
                        "verb": verb(v),
                        "object": scen,
                        "result": result,
                        "context": { "registration": registration, "language": lang_tag(a.lang), "extensions": attempt_ext.clone() },
                        "timestamp": iso_time(end),
                    }));
                }
            }
        }
        Value::Array(out)
    }
}

/// The attempt's language as an RFC 5646 tag for language maps.
fn lang_tag(l: Lang) -> &'static str {
    l.locale()
}

/// One CSV cell: quoted when needed; a leading `= + - @` is neutralised (formula injection),
/// also behind spaces or line breaks (a spreadsheet may skip them and still read a formula).
fn csv_cell(s: &str) -> String {
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

/// ISO 8601 duration (`PT12.5S`).
fn iso_duration(secs: f64) -> String {
    let s = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
    format!("PT{}S", (s * 100.0).round() / 100.0)
}

/// A deterministic UUID-shaped id (version 5 layout) from FNV-1a hashes of `key`.
fn uuid_of(key: &str) -> String {
    let h = |seed: u64| {
        key.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        })
    };
    let (a, b) = (h(0xcbf2_9ce4_8422_2325), h(0x8422_2325_cbf2_9ce4));
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-5{}-{}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        ["8", "9", "a", "b"][(b & 3) as usize],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(id: &str, finished: bool, reply: &str) -> Attempt {
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
