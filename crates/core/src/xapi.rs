//! xAPI 1.0.3 for a Learning Record Store: who the trainee is (the actor), the statements we
//! write (one per reply, per scenario, per exam), the ids in them (activity IRIs, language
//! tags, stable statement UUIDs) and the outbox that holds statements until the LRS has them.
//! Pure: the browser shell stores the outbox and sends its batches. The scheme is documented
//! in `docs/xapi.md`.

#![warn(missing_docs)]

use crate::progress::{iso_time, Attempt, Store};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The namespace of our statement ids (a v5 UUID of the URL namespace over the project's name).
const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1c_2b3e_9a7d_5c41_8e20_d4b6_a1f3_0c57);

/// A stable statement (or registration) id: the RFC 4122 version-5 UUID of `key` (an attempt
/// id, `#` and what the statement is about). The same key always gives the same id, so a
/// statement sent twice is the same statement to the LRS.
pub fn statement_id(key: &str) -> String {
    uuid::Uuid::new_v5(&NAMESPACE, key.as_bytes()).to_string()
}

/// ADL verbs used in our statements.
pub const VERBS: [&str; 4] = ["answered", "completed", "passed", "failed"];

fn verb(v: &str) -> Value {
    json!({ "id": format!("http://adlnet.gov/expapi/verbs/{v}"), "display": { "en-US": v } })
}

/// Extension keys (after the activity base) that carry what an import back needs.
pub(crate) const X_ATTEMPT: &str = "/xapi/attempt";
pub(crate) const X_OUTCOME: &str = "/xapi/outcome";
pub(crate) const X_PRINCIPLES: &str = "/xapi/principles";
pub(crate) const X_EXPECTED: &str = "/xapi/expected";
pub(crate) const X_EXAM: &str = "/xapi/exam";

/// Is `s` an absolute IRI as xAPI needs it: a scheme (`ALPHA *(ALPHA / DIGIT / + - .)`), `:`,
/// then no space, control character or one of `<>"{}|\^` and backquote, and `%` only before
/// two hex digits.
pub fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut sc = scheme.chars();
    if !sc.next().is_some_and(|c| c.is_ascii_alphabetic())
        || !sc.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        || rest.is_empty()
    {
        return false;
    }
    let b = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        if c.is_control() || c.is_whitespace() || "<>\"{}|\\^`".contains(c) {
            return false;
        }
        if c == '%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            return false;
        }
    }
    true
}

/// An id (a scenario's, a turn's, an exam's: from a trainer's file or an import) as one path
/// segment of an IRI: every byte but `A–Z a–z 0–9 - . _ ~` percent-encoded, so no id can make
/// an invalid IRI or reach into another segment.
pub fn iri_segment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// The id back from an [`iri_segment`] (an invalid escape is kept as written).
pub fn decode_segment(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |j: usize| char::from(*b.get(j)?).to_digit(16);
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Is `s` a well-formed RFC 5646 language tag (the shape: a 2–3 or 5–8 letter language, then
/// subtags of 1–8 letters or digits)?
pub fn is_lang_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or_default();
    let ok_first =
        matches!(first.len(), 2 | 3 | 5..=8) && first.bytes().all(|c| c.is_ascii_alphabetic());
    ok_first
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_alphanumeric()))
}

/// The activity base: an absolute IRI without a trailing `/`, under which every activity id
/// and extension key of ours is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base(String);

/// Why an LRS setting (the trainee's, the dashboard's or the site's `config.json`) was not
/// taken: each a catalogue message ([`ConfigError::message`]); `Display` is the English one
/// for the command line and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// `config.json` is not JSON (the parser's detail, for logs).
    NotJson(String),
    /// Its `lrs` is not an LRS setting (a field missing or of the wrong kind; the detail).
    BadLrs(String),
    /// The endpoint (as written) is not an http(s) address.
    Endpoint(String),
    /// An activity base or home page (as written) is not an absolute IRI.
    NotIri(String),
    /// `config.json` answered with this HTTP status.
    Http(u16),
}

impl ConfigError {
    /// The catalogue key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            ConfigError::NotJson(_) => "xapi.err_json",
            ConfigError::BadLrs(_) => "xapi.err_lrs",
            ConfigError::Endpoint(_) => "xapi.err_endpoint",
            ConfigError::NotIri(_) => "xapi.err_iri",
            ConfigError::Http(_) => "xapi.err_http",
        }
    }
    /// The message, in `lang`.
    pub fn message(&self, lang: crate::principles::Lang) -> String {
        let value = match self {
            ConfigError::Endpoint(v) | ConfigError::NotIri(v) => v.clone(),
            ConfigError::Http(s) => s.to_string(),
            ConfigError::NotJson(_) | ConfigError::BadLrs(_) => String::new(),
        };
        crate::i18n::tf(lang, self.key(), &[("value", &value)])
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::NotJson(e) => write!(f, "config.json: {e}"),
            ConfigError::BadLrs(e) => write!(f, "config.json lrs: {e}"),
            ConfigError::Endpoint(e) => write!(f, "`{e}` is not an http(s) address of an LRS"),
            ConfigError::NotIri(s) => write!(
                f,
                "`{s}` is not an absolute IRI such as https://example.com/kefu-dojo"
            ),
            ConfigError::Http(s) => write!(f, "config.json: HTTP {s}"),
        }
    }
}

impl Base {
    /// The base, checked: an invalid IRI is refused.
    pub fn new(s: &str) -> Result<Base, ConfigError> {
        let s = s.trim().trim_end_matches('/');
        if !is_iri(s) || !s.contains("://") {
            return Err(ConfigError::NotIri(s.to_string()));
        }
        Ok(Base(s.to_string()))
    }
    /// The base as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// `BASE/scenario/ID`.
    pub fn scenario(&self, id: &str) -> String {
        format!("{}/scenario/{}", self.0, iri_segment(id))
    }
    /// `BASE/scenario/ID/turn/TURN`.
    pub fn turn(&self, scenario: &str, turn: &str) -> String {
        format!("{}/turn/{}", self.scenario(scenario), iri_segment(turn))
    }
    /// `BASE/exam/ID`.
    pub fn exam(&self, id: &str) -> String {
        format!("{}/exam/{}", self.0, iri_segment(id))
    }
    fn ext(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.0)
    }
}

/// Who the trainee is: a name, and optionally an email (the actor's `mbox`) or an employee id
/// (the actor's `account`). Entered once in the settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Identity {
    /// The name shown to the trainer.
    pub name: String,
    /// An email address, an employee id, or empty.
    #[serde(default)]
    pub id: String,
}

/// Why an identity was not accepted: the catalogue key of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityError {
    /// No name.
    NoName,
    /// Contains `@` but is not an email address.
    BadEmail,
    /// Longer than 200 characters.
    TooLong,
}

impl IdentityError {
    /// The catalogue key of the message.
    pub fn key(self) -> &'static str {
        match self {
            IdentityError::NoName => "settings.err_name",
            IdentityError::BadEmail => "settings.err_email",
            IdentityError::TooLong => "settings.err_long",
        }
    }
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && s.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"(),;:[]\\".contains(c))
}

impl Identity {
    /// An identity from what the trainee typed (trimmed): a name is needed; an id with `@`
    /// must be an email address.
    pub fn new(name: &str, id: &str) -> Result<Identity, IdentityError> {
        let (name, id) = (name.trim(), id.trim());
        if name.is_empty() {
            return Err(IdentityError::NoName);
        }
        if name.chars().count() > 200 || id.chars().count() > 200 {
            return Err(IdentityError::TooLong);
        }
        if id.contains('@') && !is_email(id) {
            return Err(IdentityError::BadEmail);
        }
        Ok(Identity {
            name: name.to_string(),
            id: id.to_string(),
        })
    }

    /// The dashboard's key of this trainee: [`actor_key`] of [`Identity::actor`] under any
    /// home page (a JSON export naming its trainee and that trainee's statements are one row).
    pub fn key(&self) -> String {
        if is_email(&self.id) {
            return format!("mailto:{}", self.id);
        }
        let account = if self.id.is_empty() {
            &self.name
        } else {
            &self.id
        };
        format!("account:{account}")
    }

    /// The xAPI actor: `mbox` (`mailto:`) for an email, else an `account` on `home_page` named
    /// by the employee id, or by the name when there is no id.
    pub fn actor(&self, home_page: &Base) -> Value {
        if is_email(&self.id) {
            return json!({ "objectType": "Agent", "name": self.name, "mbox": format!("mailto:{}", self.id) });
        }
        let account = if self.id.is_empty() {
            &self.name
        } else {
            &self.id
        };
        json!({
            "objectType": "Agent",
            "name": self.name,
            "account": { "homePage": home_page.as_str(), "name": account },
        })
    }
}

/// The key that identifies a trainee on the trainer's dashboard, whatever the source (LRS
/// statements, an xAPI export, a JSON export): `mailto:EMAIL` for an `mbox`, else
/// `account:NAME` for an `account` (employee id, or the name when there is none), else the
/// actor's `mbox_sha1sum`/`openid`, else its name. The account's home page is not part of it:
/// it follows the site's address (or `home_page`) and a JSON export does not carry it, and one
/// dashboard is one organisation's trainees. [`Identity::key`] is the same key for an identity.
pub fn actor_key(actor: &Value) -> String {
    if let Some(m) = actor["mbox"].as_str() {
        return m.to_string();
    }
    if let Some(n) = actor["account"]["name"].as_str() {
        return format!("account:{n}");
    }
    for k in ["mbox_sha1sum", "openid"] {
        if let Some(v) = actor[k].as_str() {
            return format!("{k}:{v}");
        }
    }
    actor["name"].as_str().unwrap_or_default().to_string()
}

/// The language of an attempt as a tag for language maps (`und` if ours were ever malformed).
fn tag(l: crate::principles::Lang) -> &'static str {
    let t = l.locale();
    if is_lang_tag(t) {
        t
    } else {
        "und"
    }
}

/// ISO 8601 duration (`PT12.5S`).
pub(crate) fn iso_duration(secs: f64) -> String {
    let s = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
    format!("PT{}S", (s * 100.0).round() / 100.0)
}

/// The statements of one attempt: one `answered` per reply (in order), then, once it is
/// finished, `completed` and `passed` or `failed`.
pub struct AttemptStatements {
    /// One per turn, in order.
    pub replies: Vec<Value>,
    /// `completed` and `passed`/`failed` (empty while the attempt is not finished).
    pub end: Vec<Value>,
}

/// The statements of one attempt, by `actor`, under `base`.
pub fn attempt_statements(a: &Attempt, actor: &Value, base: &Base) -> AttemptStatements {
    let registration = statement_id(&a.id);
    let lang = tag(a.lang);
    let mut attempt_ext = json!({
        base.ext(X_ATTEMPT): {
            "id": a.id, "scenario": a.scenario, "title": a.title, "kind": a.kind, "seed": a.seed,
            "exam": a.exam, "started_ms": a.started_ms, "finished_ms": a.finished_ms,
            "exam_run": a.exam_run,
        },
    });
    // Only when not as the scenario sets it (statements of every other attempt unchanged).
    if let Some(p) = &a.pace {
        attempt_ext[base.ext(X_ATTEMPT)]["pace"] = json!(p);
    }
    let scen_iri = base.scenario(&a.scenario);
    let scen = json!({
        "objectType": "Activity",
        "id": scen_iri,
        "definition": {
            "name": { lang: a.title },
            "type": "http://adlnet.gov/expapi/activities/simulation",
        },
    });
    let parents = vec![json!({ "objectType": "Activity", "id": scen_iri })];
    let mut grouping = Vec::new();
    if let Some(run) = &a.exam_run {
        grouping.push(json!({ "objectType": "Activity", "id": base.exam(&run.exam) }));
    }
    let mut t_ms = a.started_ms;
    let mut replies = Vec::new();
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
            base.ext(X_PRINCIPLES): t.principles,
            base.ext(X_EXPECTED): t.expected,
        });
        let mut ctx_acts = json!({ "parent": parents });
        if !grouping.is_empty() {
            ctx_acts["grouping"] = json!(grouping);
        }
        replies.push(json!({
            "id": statement_id(&format!("{}#{}", a.id, i)),
            "actor": actor,
            "verb": verb("answered"),
            "object": {
                "objectType": "Activity",
                "id": base.turn(&a.scenario, &t.turn),
                "definition": {
                    "name": { lang: t.customer },
                    "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
                    "interactionType": "long-fill-in",
                },
            },
            "result": result,
            "context": {
                "registration": registration,
                "contextActivities": ctx_acts,
                "language": lang,
                "extensions": attempt_ext.clone(),
            },
            "timestamp": iso_time(t_ms),
        }));
    }
    let mut end = Vec::new();
    if let Some(end_ms) = a.finished_ms {
        let scaled = f64::from(a.score()) / 100.0;
        for v in ["completed", if a.passed() { "passed" } else { "failed" }] {
            let mut result = json!({
                "score": { "scaled": scaled, "raw": a.score(), "min": 0, "max": 100 },
                "success": a.passed(),
                "completion": true,
                "duration": iso_duration((end_ms - a.started_ms).max(0.0) / 1000.0),
            });
            if let Some(o) = &a.outcome {
                result["extensions"] = json!({ base.ext(X_OUTCOME): o });
            }
            let mut ctx = json!({ "registration": registration, "language": lang, "extensions": attempt_ext.clone() });
            if !grouping.is_empty() {
                ctx["contextActivities"] = json!({ "grouping": grouping });
            }
            end.push(json!({
                "id": statement_id(&format!("{}#{v}", a.id)),
                "actor": actor,
                "verb": verb(v),
                "object": scen,
                "result": result,
                "context": ctx,
                "timestamp": iso_time(end_ms),
            }));
        }
    }
    AttemptStatements { replies, end }
}

/// One statement per exam run that is over (`passed` or `failed`, the total as the score, the
/// run's span as the duration), keyed by run id. The run is known from its attempts' tags.
pub fn exam_statements(store: &Store, actor: &Value, base: &Base) -> Vec<(String, Value)> {
    let mut runs: BTreeMap<&str, Vec<&Attempt>> = BTreeMap::new();
    for a in &store.attempts {
        if let Some(r) = &a.exam_run {
            runs.entry(r.run.as_str()).or_default().push(a);
        }
    }
    let mut out = Vec::new();
    for (run, atts) in runs {
        let Some(tag_) = atts
            .iter()
            .filter_map(|a| a.exam_run.as_ref())
            .find(|t| t.passed.is_some() && t.total.is_some())
        else {
            continue;
        };
        let (total, passed) = (tag_.total.unwrap_or(0), tag_.passed.unwrap_or(false));
        let start = atts
            .iter()
            .map(|a| a.started_ms)
            .fold(f64::INFINITY, f64::min);
        let end = atts
            .iter()
            .map(|a| a.finished_ms.unwrap_or(a.started_ms))
            .fold(start, f64::max);
        let lang = tag(atts[0].lang);
        let v = if passed { "passed" } else { "failed" };
        out.push((
            run.to_string(),
            json!({
                "id": statement_id(&format!("{run}#exam")),
                "actor": actor,
                "verb": verb(v),
                "object": {
                    "objectType": "Activity",
                    "id": base.exam(&tag_.exam),
                    "definition": {
                        "name": { lang: tag_.title },
                        "type": "http://adlnet.gov/expapi/activities/assessment",
                    },
                },
                "result": {
                    "score": { "scaled": f64::from(total) / 100.0, "raw": total, "min": 0, "max": 100 },
                    "success": passed,
                    "completion": true,
                    "duration": iso_duration((end - start).max(0.0) / 1000.0),
                },
                "context": {
                    "registration": statement_id(run),
                    "language": lang,
                    "extensions": { base.ext(X_EXAM): {
                        "run": run, "exam": tag_.exam, "title": tag_.title, "of": tag_.of,
                        "pass_mark": tag_.pass_mark, "scenarios": atts.len(),
                    } },
                },
                "timestamp": iso_time(end),
            }),
        ));
    }
    out
}

/// Every statement of a store: each attempt's, then each finished exam's.
pub fn store_statements(store: &Store, actor: &Value, base: &Base) -> Vec<Value> {
    let mut out = Vec::new();
    for a in &store.attempts {
        let s = attempt_statements(a, actor, base);
        out.extend(s.replies);
        out.extend(s.end);
    }
    out.extend(
        exam_statements(store, actor, base)
            .into_iter()
            .map(|(_, v)| v),
    );
    out
}

/// What goes to the LRS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sending {
    /// One `answered` statement per reply.
    pub replies: bool,
    /// The reply's text in `result.response` (off: only the judgement leaves the browser).
    pub text: bool,
    /// `completed` and `passed`/`failed` per scenario.
    pub scenarios: bool,
    /// `passed`/`failed` per exam.
    pub exams: bool,
}

impl Default for Sending {
    fn default() -> Self {
        Sending {
            replies: true,
            text: true,
            scenarios: true,
            exams: true,
        }
    }
}

/// An LRS to send statements to: from the deploying team's `config.json` (`{"lrs": {…}}`) or
/// the trainee's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LrsConfig {
    /// The LRS's xAPI endpoint (`https://lrs.example.com/xAPI/`): statements go to
    /// `ENDPOINT/statements`.
    pub endpoint: String,
    /// Basic credentials (with `password`)…
    #[serde(default)]
    pub username: String,
    /// …
    #[serde(default)]
    pub password: String,
    /// …or a token sent as `Authorization: Bearer TOKEN` (wins over basic credentials).
    #[serde(default)]
    pub token: String,
    /// What to send.
    #[serde(default)]
    pub send: Sending,
    /// The activity base (default: the site's address plus `/kefu-dojo`).
    #[serde(default)]
    pub activity_base: String,
    /// The `homePage` of accounts named by employee id (default: the activity base).
    #[serde(default)]
    pub home_page: String,
}

impl LrsConfig {
    /// An LRS at `endpoint` (trimmed) with basic credentials (none when both are empty),
    /// sending everything, under the default activity base: what the settings and the
    /// dashboard's forms make.
    pub fn basic(endpoint: &str, username: &str, password: &str) -> LrsConfig {
        LrsConfig {
            endpoint: endpoint.trim().to_string(),
            username: username.to_string(),
            password: password.to_string(),
            token: String::new(),
            send: Sending::default(),
            activity_base: String::new(),
            home_page: String::new(),
        }
    }
    /// Read `{"lrs": {...}}` (a `config.json`) or a bare config; `Ok(None)` when there is no
    /// `lrs` (nothing leaves the browser). A config that is there but wrong is an error.
    pub fn from_config_json(s: &str) -> Result<Option<LrsConfig>, ConfigError> {
        let v: Value = serde_json::from_str(s).map_err(|e| ConfigError::NotJson(e.to_string()))?;
        let Some(l) = v.get("lrs").filter(|l| !l.is_null()) else {
            return Ok(None);
        };
        let c: LrsConfig =
            serde_json::from_value(l.clone()).map_err(|e| ConfigError::BadLrs(e.to_string()))?;
        c.check()?;
        Ok(Some(c))
    }
    /// The endpoint must be http(s); the activity base and home page, if set, IRIs.
    pub fn check(&self) -> Result<(), ConfigError> {
        let e = self.endpoint.trim();
        if !(e.starts_with("https://") || e.starts_with("http://")) || !is_iri(e) {
            return Err(ConfigError::Endpoint(e.to_string()));
        }
        for b in [&self.activity_base, &self.home_page] {
            if !b.is_empty() {
                Base::new(b)?;
            }
        }
        Ok(())
    }
    /// Where statements are posted.
    pub fn statements_url(&self) -> String {
        format!("{}/statements", self.endpoint.trim().trim_end_matches('/'))
    }
    /// The `Authorization` header (none without credentials).
    pub fn authorization(&self) -> Option<String> {
        use base64::Engine;
        if !self.token.is_empty() {
            return Some(format!("Bearer {}", self.token));
        }
        if self.username.is_empty() && self.password.is_empty() {
            return None;
        }
        let raw = format!("{}:{}", self.username, self.password);
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        ))
    }
    /// The activity base: the configured one, else `site` (the page's address) + `/kefu-dojo`.
    pub fn base(&self, site: &str) -> Base {
        Base::new(&self.activity_base)
            .or_else(|_| Base::new(&format!("{}/kefu-dojo", site.trim_end_matches('/'))))
            .unwrap_or_else(|_| Base("https://kefu-dojo.invalid".into()))
    }
    /// The home page of employee-id accounts.
    pub fn home_page(&self, site: &str) -> Base {
        Base::new(&self.home_page).unwrap_or_else(|_| self.base(site))
    }
}

/// How the LRS answered a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// 200 or 204: it has them.
    Accepted,
    /// 409: it already has a statement with such an id.
    Conflict,
    /// Offline, a network error, 401/403 (credentials may be fixed), 408, 429 or 5xx: try again later.
    Retry,
    /// Any other 4xx: the LRS refuses the statement; kept aside, sent again only on "retry now".
    Rejected,
}

impl Reply {
    /// From an HTTP status (0: the request did not get an answer).
    pub fn of_status(status: u16) -> Reply {
        match status {
            200 | 204 => Reply::Accepted,
            409 => Reply::Conflict,
            0 | 401 | 403 | 408 | 429 | 500..=599 => Reply::Retry,
            _ => Reply::Rejected,
        }
    }
}

/// How far an attempt's statements were queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Mark {
    /// Replies queued.
    pub replies: u32,
    /// Its end (completed, passed/failed) queued.
    pub end: bool,
}

/// Most statements in one POST.
pub const BATCH: usize = 50;
/// Longest wait between tries.
pub const MAX_BACKOFF_MS: f64 = 300_000.0;

/// Statements waiting for the LRS, kept in browser storage. A statement leaves only when the
/// LRS accepted it (or says it has it: 409); what was queued is marked per attempt, so a
/// statement is queued once however often the attempt is saved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Outbox {
    /// Waiting, oldest first.
    pub pending: Vec<Value>,
    /// Refused by the LRS (a 4xx other than 409), with its answer: kept, not retried by itself.
    pub rejected: Vec<Value>,
    /// Attempt id → what of it was queued.
    pub marks: BTreeMap<String, Mark>,
    /// Exam runs whose statement was queued.
    pub exams: BTreeSet<String>,
    /// Failed tries in a row.
    pub failures: u32,
    /// The last error, for the settings page.
    pub last_error: Option<String>,
    /// Not before (ms since the epoch).
    pub next_ms: f64,
    /// A batch met a 409: send one at a time until one is accepted.
    pub single: bool,
    /// Statements the LRS has taken from this outbox.
    pub sent: u64,
}

impl Outbox {
    /// Read the stored outbox (`None`: not ours).
    pub fn from_json(s: &str) -> Option<Outbox> {
        crate::json::from_str(s).ok()
    }
    /// As stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Queue what `store` has that was not queued yet, as `actor`; returns how many.
    pub fn enqueue(&mut self, store: &Store, actor: &Value, base: &Base, send: &Sending) -> usize {
        let before = self.pending.len();
        for a in &store.attempts {
            let m = self.marks.get(&a.id).copied().unwrap_or_default();
            let done = a.finished();
            if m.replies as usize >= a.turns.len() && (m.end || !done) {
                continue;
            }
            let s = attempt_statements(a, actor, base);
            if send.replies {
                for mut st in s.replies.into_iter().skip(m.replies as usize) {
                    if !send.text {
                        if let Some(r) = st["result"].as_object_mut() {
                            r.remove("response");
                        }
                    }
                    self.pending.push(st);
                }
            }
            if done && !m.end && send.scenarios {
                self.pending.extend(s.end);
            }
            self.marks.insert(
                a.id.clone(),
                Mark {
                    replies: u32::try_from(a.turns.len()).unwrap_or(u32::MAX),
                    end: done,
                },
            );
        }
        for (run, st) in exam_statements(store, actor, base) {
            if self.exams.insert(run) && send.exams {
                self.pending.push(st);
            }
        }
        self.pending.len() - before
    }

    /// Is a batch due at `now_ms`?
    pub fn due(&self, now_ms: f64) -> bool {
        !self.pending.is_empty() && now_ms >= self.next_ms
    }

    /// The next batch to POST (the oldest statements).
    pub fn batch(&self) -> Vec<Value> {
        let n = if self.single { 1 } else { BATCH };
        self.pending.iter().take(n).cloned().collect()
    }

    /// The LRS answered the batch whose statement ids are `ids` at `now_ms`.
    pub fn settle(&mut self, ids: &[String], reply: Reply, error: Option<String>, now_ms: f64) {
        let in_batch = |s: &Value| ids.iter().any(|i| s["id"].as_str() == Some(i));
        match reply {
            Reply::Accepted => {
                let n = self.pending.len();
                self.pending.retain(|s| !in_batch(s));
                self.sent += (n - self.pending.len()) as u64;
                self.failures = 0;
                self.last_error = None;
                self.next_ms = 0.0;
                self.single = false;
            }
            Reply::Conflict if ids.len() > 1 => self.single = true,
            Reply::Conflict => {
                self.pending.retain(|s| !in_batch(s));
                self.next_ms = 0.0;
            }
            Reply::Retry => {
                self.failures += 1;
                self.last_error = error;
                self.next_ms = now_ms + backoff_ms(self.failures);
            }
            Reply::Rejected if ids.len() > 1 => {
                // One bad statement refuses the batch: find it, one at a time.
                self.single = true;
                self.last_error = error;
            }
            Reply::Rejected => {
                let (bad, keep): (Vec<Value>, Vec<Value>) = std::mem::take(&mut self.pending)
                    .into_iter()
                    .partition(in_batch);
                self.pending = keep;
                self.rejected.extend(bad);
                self.last_error = error;
            }
        }
    }

    /// "Retry now": everything waiting, refused ones included, is due at once.
    pub fn retry_now(&mut self) {
        let mut r = std::mem::take(&mut self.rejected);
        r.append(&mut self.pending);
        self.pending = r;
        self.failures = 0;
        self.next_ms = 0.0;
    }

    /// Read-merge-write, the rule every tab follows to change the outbox they share: `change`
    /// is applied to the outbox as storage holds it now (`stored`: another tab may have
    /// queued, sent or retried since this tab last read it), never to this tab's own older
    /// copy. So no tab drops another's statements, a statement leaves only when the change
    /// settles its id, and the marks (shared too) queue each statement once whichever tab
    /// sees the attempt first. An absent or unreadable stored outbox counts as empty: what it
    /// held is queued again from progress, under the same stable ids (the LRS keeps each once).
    /// Answers the outbox and the text to store (`None`: the change left it as it was).
    pub fn rewrite(
        stored: Option<&str>,
        change: impl FnOnce(&mut Outbox),
    ) -> (Outbox, Option<String>) {
        let before = stored.and_then(Outbox::from_json).unwrap_or_default();
        let mut o = before.clone();
        change(&mut o);
        let text = (o != before).then(|| o.to_json());
        (o, text)
    }
}

/// The wait after `failures` failed tries in a row: 2 s, doubling, at most 5 minutes.
pub fn backoff_ms(failures: u32) -> f64 {
    (2000.0 * 2f64.powi(failures.saturating_sub(1).min(20) as i32)).min(MAX_BACKOFF_MS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::ExamTag;
    use crate::principles::Lang;
    use crate::progress::TurnRecord;

    fn base() -> Base {
        Base::new("https://example.org/kefu-dojo/").unwrap()
    }

    /// The progress tests' attempt, in Traditional Chinese, with `turns` replies alike.
    fn attempt(id: &str, scenario: &str, turns: usize, finished: bool) -> Attempt {
        let mut a = crate::progress::tests::attempt(id, finished, "Sorry");
        let turn = TurnRecord {
            secs: Some(3.0),
            principles: [("apology".to_string(), true)].into(),
            expected: Some(vec!["apology".into()]),
            ..a.turns[0].clone()
        };
        a.scenario = scenario.into();
        a.lang = Lang::ZhHant;
        a.turns = (0..turns)
            .map(|i| TurnRecord {
                turn: format!("t{i}"),
                ..turn.clone()
            })
            .collect();
        a
    }

    #[test]
    fn ids_are_v5_uuids_stable_and_distinct() {
        let a = statement_id("x#0");
        assert_eq!(a, statement_id("x#0"));
        assert_ne!(a, statement_id("x#1"));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 5);
    }

    #[test]
    fn iris_and_segments() {
        for ok in [
            "https://example.org/a",
            "http://x/y%20z",
            "urn:x:y",
            "https://例子.中国/客服",
        ] {
            assert!(is_iri(ok), "{ok}");
        }
        for bad in [
            "",
            "no scheme",
            "https://x/a b",
            "1http://x",
            "https://x/<",
            "https://x/%zz",
            "https:",
        ] {
            assert!(!is_iri(bad), "{bad}");
        }
        // Any id an import or a trainer's file may hold makes a valid IRI and comes back.
        for id in [
            "angry-late",
            "a b/turn/c",
            "退货 ?#",
            "%41",
            "",
            "a\u{0}b\"<>",
        ] {
            let iri = base().turn(id, id);
            assert!(is_iri(&iri), "{iri}");
            let seg = iri_segment(id);
            assert_eq!(decode_segment(&seg), if id.is_empty() { "_" } else { id });
            assert!(!seg.contains('/'));
        }
        assert!(Base::new("not an iri").is_err());
        assert!(Base::new("https://x/ y").is_err());
    }

    #[test]
    fn language_tags() {
        for l in Lang::ALL {
            assert!(is_lang_tag(l.locale()), "{}", l.locale());
        }
        for ok in ["en", "en-US", "zh-Hant-TW", "yue"] {
            assert!(is_lang_tag(ok));
        }
        for bad in ["", "e", "en_US", "en--US", "toolongtag1", "zh-Hans-"] {
            assert!(!is_lang_tag(bad), "{bad}");
        }
    }

    #[test]
    fn identity_and_actor() {
        assert_eq!(Identity::new("  ", "x"), Err(IdentityError::NoName));
        assert_eq!(Identity::new("Li", "li@"), Err(IdentityError::BadEmail));
        assert_eq!(
            Identity::new("Li", "a@b@c.com"),
            Err(IdentityError::BadEmail)
        );
        let b = base();
        let mail = Identity::new(" Li Wei ", "li.wei@example.com ").unwrap();
        let a = mail.actor(&b);
        assert_eq!(a["mbox"], "mailto:li.wei@example.com");
        assert_eq!(a["name"], "Li Wei");
        assert!(a.get("account").is_none());
        let emp = Identity::new("Li Wei", "E1024").unwrap().actor(&b);
        assert_eq!(emp["account"]["name"], "E1024");
        assert_eq!(emp["account"]["homePage"], "https://example.org/kefu-dojo");
        assert!(emp.get("mbox").is_none());
        let bare = Identity::new("王芳", "").unwrap().actor(&b);
        assert_eq!(bare["account"]["name"], "王芳");
        assert_ne!(actor_key(&emp), actor_key(&bare));
        assert_eq!(actor_key(&a), "mailto:li.wei@example.com");
        // One key per trainee, whatever the home page, the same as the identity's own.
        let other = Base::new("https://other.example/x").unwrap();
        for who in [
            mail,
            Identity::new("Li Wei", "E1024").unwrap(),
            Identity::new("王芳", "").unwrap(),
        ] {
            assert_eq!(actor_key(&who.actor(&b)), who.key());
            assert_eq!(actor_key(&who.actor(&other)), who.key());
        }
        assert_eq!(actor_key(&emp), "account:E1024");
    }

    #[test]
    fn statements_of_an_attempt_and_an_exam() {
        let b = base();
        let actor = Identity::new("Li", "li@example.com").unwrap().actor(&b);
        let mut a = attempt("a b", "weird id/x", 2, true);
        let mut store = Store::default();
        a.exam = true;
        a.exam_run = Some(ExamTag {
            run: "r1".into(),
            exam: "final".into(),
            title: "Final".into(),
            of: 1,
            pass_mark: 60,
            total: Some(80),
            passed: Some(true),
        });
        store.upsert(a.clone());
        let all = store_statements(&store, &actor, &b);
        assert_eq!(all.len(), 5, "2 answered, completed, passed, exam passed");
        for s in &all {
            assert!(is_iri(s["object"]["id"].as_str().unwrap()));
            assert_eq!(s["actor"], actor);
        }
        assert_eq!(
            all[0]["object"]["id"],
            "https://example.org/kefu-dojo/scenario/weird%20id%2Fx/turn/t0"
        );
        assert_eq!(all[0]["context"]["language"], "zh-Hant");
        assert_eq!(
            all[3]["verb"]["id"],
            "http://adlnet.gov/expapi/verbs/passed"
        );
        assert_eq!(all[3]["result"]["duration"], "PT90S");
        assert_eq!(
            all[4]["object"]["id"],
            "https://example.org/kefu-dojo/exam/final"
        );
        assert_eq!(all[4]["result"]["score"]["scaled"], 0.8);
        // Imports back, ids and all.
        let back = Store::import(&serde_json::to_string(&all).unwrap()).unwrap();
        assert_eq!(back.attempts, store.attempts);
    }

    #[test]
    fn outbox_queues_each_statement_once_and_keeps_it_until_accepted() {
        let b = base();
        let actor = Identity::new("Li", "").unwrap().actor(&b);
        let send = Sending::default();
        let mut st = Store::default();
        let mut o = Outbox::default();
        st.upsert(attempt("a", "s", 1, false));
        assert_eq!(o.enqueue(&st, &actor, &b, &send), 1);
        assert_eq!(
            o.enqueue(&st, &actor, &b, &send),
            0,
            "saved again: nothing new"
        );
        st.upsert(attempt("a", "s", 3, true));
        assert_eq!(
            o.enqueue(&st, &actor, &b, &send),
            4,
            "two replies, completed, passed"
        );
        // Offline: kept, and retried later with a growing wait.
        let ids: Vec<String> = o
            .batch()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), 5);
        o.settle(&ids, Reply::of_status(0), Some("offline".into()), 1000.0);
        assert_eq!(o.pending.len(), 5);
        assert!(!o.due(2000.0) && o.due(3000.0));
        o.settle(&ids, Reply::of_status(503), None, 3000.0);
        assert_eq!(o.next_ms, 7000.0);
        // Stored and read back, as a reload would.
        let mut o = Outbox::from_json(&o.to_json()).unwrap();
        // The LRS has some already (409): split, then each one it has is dropped.
        o.settle(&ids, Reply::of_status(409), None, 8000.0);
        assert!(o.single);
        let one: Vec<String> = o
            .batch()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(one, ids[..1]);
        o.settle(&one, Reply::of_status(409), None, 8000.0);
        assert_eq!(o.pending.len(), 4);
        let one: Vec<String> = o
            .batch()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        o.settle(&one, Reply::of_status(200), None, 8000.0);
        assert!(!o.single);
        let rest: Vec<String> = o
            .batch()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        o.settle(&rest, Reply::of_status(204), None, 8000.0);
        assert!(o.pending.is_empty());
        assert_eq!(o.sent, 4);
        // A refused statement is kept aside, and goes again on "retry now".
        st.upsert(attempt("b", "s", 1, false));
        o.enqueue(&st, &actor, &b, &send);
        let one: Vec<String> = o
            .batch()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        o.settle(&one, Reply::of_status(400), Some("bad".into()), 9000.0);
        assert_eq!((o.pending.len(), o.rejected.len()), (0, 1));
        o.retry_now();
        assert_eq!((o.pending.len(), o.rejected.len()), (1, 0));
    }

    /// One read-merge-write of the stored outbox, as a tab does it.
    fn rw(stored: &mut Option<String>, f: impl FnOnce(&mut Outbox)) -> Outbox {
        let (o, text) = Outbox::rewrite(stored.as_deref(), f);
        if let Some(t) = text {
            *stored = Some(t);
        }
        o
    }

    fn ids(v: &[Value]) -> Vec<String> {
        v.iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn two_tabs_share_one_stored_outbox_and_each_statement_reaches_the_lrs_once() {
        let b = base();
        let actor = Identity::new("Li", "").unwrap().actor(&b);
        let send = Sending::default();
        let mut stored = None;
        // Tab A played attempt a; tab B sees a (the progress channel) and plays b.
        let mut store_a = Store::default();
        store_a.upsert(attempt("a", "s", 1, false));
        let mut store_b = store_a.clone();
        store_b.upsert(attempt("b", "s", 1, false));
        let view_a = rw(&mut stored, |o| {
            o.enqueue(&store_a, &actor, &b, &send);
        });
        assert_eq!(view_a.pending.len(), 1);
        let view_b = rw(&mut stored, |o| {
            o.enqueue(&store_b, &actor, &b, &send);
        });
        assert_eq!(
            view_b.pending.len(),
            2,
            "a's reply is queued once, by the first tab"
        );
        // A (the sender) posts what it saw; meanwhile B finishes b (two more replies, the end).
        let batch = ids(&view_a.batch());
        store_b.upsert(attempt("b", "s", 3, true));
        rw(&mut stored, |o| {
            o.enqueue(&store_b, &actor, &b, &send);
        });
        let before_settle = stored.clone();
        let after = rw(&mut stored, |o| {
            o.settle(&batch, Reply::Accepted, None, 1.0)
        });
        let mut lrs: BTreeSet<String> = batch.iter().cloned().collect();
        assert_eq!(after.sent, 1);
        assert_eq!(
            ids(&after.pending),
            ids(&view_b.pending[1..])
                .into_iter()
                .chain(ids(
                    &attempt_statements(&store_b.attempts[1], &actor, &b).replies[1..]
                ))
                .chain(ids(
                    &attempt_statements(&store_b.attempts[1], &actor, &b).end
                ))
                .collect::<Vec<_>>(),
            "only the settled id left; B's statements queued meanwhile are all there"
        );
        // Writing A's own older copy back (the old rule) would have lost them.
        assert!(view_a.pending.len() < after.pending.len());
        // Without Web Locks two tabs may still interleave: B's write of what it read before
        // the settle lands after it. The accepted statement is back, and is dropped on the
        // LRS's 409; nothing is lost, nothing reaches the LRS twice.
        stored = before_settle;
        rw(&mut stored, |o| {
            o.enqueue(&store_b, &actor, &b, &send);
        });
        for _ in 0..20 {
            let view = rw(&mut stored, |_| {});
            if view.pending.is_empty() {
                break;
            }
            let batch = ids(&view.batch());
            let status = if batch.iter().any(|i| lrs.contains(i)) {
                409
            } else {
                lrs.extend(batch.iter().cloned());
                200
            };
            rw(&mut stored, |o| {
                o.settle(&batch, Reply::of_status(status), None, 2.0)
            });
        }
        let all: BTreeSet<String> = ids(&store_statements(&store_b, &actor, &b))
            .into_iter()
            .collect();
        assert_eq!(lrs, all, "every statement of both tabs, once");
        assert!(rw(&mut stored, |_| {}).pending.is_empty());
        // A change that changes nothing writes nothing (no storage event for the other tabs).
        assert_eq!(
            Outbox::rewrite(stored.as_deref(), |o| {
                o.enqueue(&store_b, &actor, &b, &send);
            })
            .1,
            None
        );
        // An unreadable stored outbox counts as empty, and is replaced by the change.
        let (o, text) = Outbox::rewrite(Some("{oops"), |o| {
            o.enqueue(&store_a, &actor, &b, &send);
        });
        assert_eq!((o.pending.len(), text.is_some()), (1, true));
    }

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff_ms(1), 2000.0);
        assert_eq!(backoff_ms(2), 4000.0);
        assert_eq!(backoff_ms(40), MAX_BACKOFF_MS);
    }

    #[test]
    fn sending_options() {
        let b = base();
        let actor = Identity::new("Li", "").unwrap().actor(&b);
        let mut st = Store::default();
        st.upsert(attempt("a", "s", 2, true));
        let mut o = Outbox::default();
        let send = Sending {
            text: false,
            scenarios: false,
            ..Sending::default()
        };
        assert_eq!(o.enqueue(&st, &actor, &b, &send), 2);
        assert!(o
            .pending
            .iter()
            .all(|s| s["result"].get("response").is_none()));
    }

    #[test]
    fn config() {
        assert_eq!(LrsConfig::from_config_json("{}"), Ok(None));
        assert!(LrsConfig::from_config_json("{\"lrs\":{\"endpoint\":\"ftp://x\"}}").is_err());
        assert!(matches!(
            LrsConfig::from_config_json("{oops"),
            Err(ConfigError::NotJson(_))
        ));
        assert!(matches!(
            LrsConfig::from_config_json("{\"lrs\":{\"endpoint\":3}}"),
            Err(ConfigError::BadLrs(_))
        ));
        // Each refusal is a catalogue message in every language, naming what was written.
        let bad = LrsConfig {
            activity_base: "not an iri".into(),
            ..LrsConfig::basic("https://lrs.example/xAPI/", "", "")
        };
        for (e, shows) in [
            (LrsConfig::basic("ftp://x", "", "").check(), "ftp://x"),
            (bad.check(), "not an iri"),
            (Err(ConfigError::Http(503)), "503"),
        ] {
            let e = e.unwrap_err();
            for l in crate::principles::Lang::ALL {
                let m = e.message(l);
                assert!(m.contains(shows) && !m.contains('⟦'), "{l:?}: {m}");
            }
        }
        for e in [
            ConfigError::NotJson("x".into()),
            ConfigError::BadLrs("x".into()),
        ] {
            assert!(!e.message(crate::principles::Lang::ZhHans).contains('⟦'));
        }
        let c = LrsConfig::from_config_json(
            r#"{"lrs":{"endpoint":"http://127.0.0.1:8100/xAPI/","username":"kefu","password":"secret","send":{"text":false}}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(c.statements_url(), "http://127.0.0.1:8100/xAPI/statements");
        assert_eq!(c.authorization().unwrap(), "Basic a2VmdTpzZWNyZXQ=");
        assert!(!c.send.text && c.send.replies);
        assert_eq!(
            c.base("https://site.example/").as_str(),
            "https://site.example/kefu-dojo"
        );
        let t = LrsConfig {
            token: "abc".into(),
            ..c
        };
        assert_eq!(t.authorization().unwrap(), "Bearer abc");
        let b = LrsConfig::basic(" http://127.0.0.1:8100/xAPI/ ", "kefu", "secret");
        assert_eq!(b.statements_url(), "http://127.0.0.1:8100/xAPI/statements");
        assert_eq!(b.authorization().unwrap(), "Basic a2VmdTpzZWNyZXQ=");
        assert!(b.check().is_ok() && b.send == Sending::default());
        assert_eq!(LrsConfig::basic("", "", "").authorization(), None);
    }
}
