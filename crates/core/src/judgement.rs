//! What a judgement is, apart from how it is made: the scenario kinds and their default weights,
//! the rules a turn adds (facts, false claims, jargon), a finding with its evidence, tips, the
//! judgement itself and the request the app sends to the engine. The scorer that fills these in
//! is `kefu_judge`; the app and the dialogue engine only read them.

#![warn(missing_docs)]

use crate::principles::{self, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a reply shows a principle, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Whether the reply shows the principle (for a violation: commits it).
    pub hit: bool,
    /// `[start, end)` char offsets into the reply as typed.
    pub evidence: Vec<(usize, usize)>,
}

/// What kind of customer a scenario plays; it sets the default weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// 投诉/情绪: an angry customer.
    Angry,
    /// 异议: price, quality, trust, returns.
    Objection,
    /// 产品咨询: a product question.
    Product,
    /// No scenario: a reply scored on its own.
    #[default]
    General,
}

impl ScenarioKind {
    /// The kind's id in scenario files and in `data/principles.toml`.
    pub fn id(self) -> &'static str {
        match self {
            ScenarioKind::Angry => "angry",
            ScenarioKind::Objection => "objection",
            ScenarioKind::Product => "product",
            ScenarioKind::General => "general",
        }
    }

    /// Default weights: what a good reply shows, from `[[kind]]` in `data/principles.toml`
    /// (principles.md "What each scenario kind expects"), in display order.
    pub fn default_weights(self) -> &'static [(String, f32)] {
        principles::kind_weights(self.id())
    }
}

/// Points a violation takes off the 0–100 score (`penalty` in `data/principles.toml`).
pub fn penalty(id: &str) -> f32 {
    principles::get(id).map_or(0.0, |p| p.penalty)
}

/// A fact a good answer states, with the ways it may be phrased.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FactRule {
    /// The fact's id within its turn.
    pub id: String,
    /// Phrasings, any of which states the fact (matched folded and without spaces).
    pub say: Vec<String>,
    /// A number with units: stating it states the fact; stating another number with one of
    /// these units is a false claim.
    pub value: Option<f64>,
    /// The units a number of this fact is stated in (`MSa/s`, `位`, `kW`).
    pub units: Vec<String>,
}

/// A false claim a good answer must not make.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimRule {
    /// The claim's id within its turn.
    pub id: String,
    /// Phrasings, any of which makes the claim (matched folded).
    pub say: Vec<String>,
    /// The claim by structure: a clause that names a word of each list (the product, then
    /// what it is said to have) and denies none of it (没有, 不能, doesn't…) makes the claim,
    /// however it is worded ("AFG2000也可以做FM调制的"); a question does not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clause: Vec<Vec<String>>,
}

/// What kind of answer the customer's question at a turn asks for (`asks = { kind = … }`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AskKind {
    /// When: a time or a date (今天下午五点前, 周四, by Friday; a span also answers: 48小时内).
    Time,
    /// How long: a span of time (两三天, within two days; a date also answers).
    Duration,
    /// How much: an amount or a price (¥59, 五十九块, free).
    Amount,
    /// Yes or no (可以/不行/能/不会, yes/no, with or without a reason).
    YesNo,
    /// Which one: one of the named `options`.
    Choice,
    /// A product fact: the turn's `[[turn.facts]]` named by `fact`.
    Fact,
    /// A shop rule: the `[policy]` rule named by `policy`.
    Policy,
}

impl AskKind {
    /// Every kind, in the order the format lists them.
    pub const ALL: [AskKind; 7] = [
        AskKind::Time,
        AskKind::Duration,
        AskKind::Amount,
        AskKind::YesNo,
        AskKind::Choice,
        AskKind::Fact,
        AskKind::Policy,
    ];
    /// The kind's id as written in scenario files.
    pub fn id(self) -> &'static str {
        match self {
            AskKind::Time => "time",
            AskKind::Duration => "duration",
            AskKind::Amount => "amount",
            AskKind::YesNo => "yes_no",
            AskKind::Choice => "choice",
            AskKind::Fact => "fact",
            AskKind::Policy => "policy",
        }
    }
    /// The kind written as `s`.
    pub fn parse(s: &str) -> Option<AskKind> {
        AskKind::ALL.into_iter().find(|k| k.id() == s)
    }
}

/// The question the customer asks at a turn: a reply that does not answer it does not show
/// `answers` (and the turn's branches keep the conversation from moving on as if it did).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ask {
    /// What kind of answer answers it.
    pub kind: AskKind,
    /// For `choice`: the options the customer named (any one named, not negated, answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// For `fact`: the id of the turn's `[[turn.facts]]` asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// For `policy`: the `[policy]` rule asked about (a rule id of `data/policy.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// For `yes_no`: what the customer asks for, in the words a reply that does it says (双层纸箱,
    /// 泡沫, foam for "can you pack it better?"): one said, not denied and not asked back, answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub say: Vec<String>,
}

/// What a scenario turn adds to judging a reply.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TurnRules {
    /// The scenario's kind (its default weights).
    pub kind: ScenarioKind,
    /// Principle weights for this turn; empty means the kind's defaults.
    pub weights: Vec<(String, f32)>,
    /// Facts a good answer states.
    pub facts: Vec<FactRule>,
    /// False claims a good answer must not make.
    pub false_claims: Vec<ClaimRule>,
    /// The scenario's own jargon, on top of the lexicon's.
    pub jargon: Vec<String>,
    /// Terms that are not jargon here (the scenario's `allow`).
    pub allowed_terms: Vec<String>,
    /// The acronyms of the scenario's model replies: no jargon by their shape alone (a term
    /// the lexicon or the scenario lists as jargon stays jargon).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub model_terms: Vec<String>,
    /// The target reply time, for `timeliness`.
    pub target_secs: Option<u32>,
    /// The customer's names and titles (for `address`).
    pub customer_names: Vec<String>,
    /// The customer's name in the UI language (tips name the customer).
    #[serde(default)]
    pub customer_name: Option<String>,
    /// What the customer just said (to whitelist their own words, to tell a restatement).
    pub customer_said: Option<String>,
    /// The shop's rules (`[policy]` of the scenario, by rule id of `data/policy.toml`, in the
    /// rule's base unit): a number a reply states about one must be its value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policy: BTreeMap<String, f64>,
    /// What the customer asked at this turn (`asks`): judged as `answers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asks: Option<Ask>,
    /// The questions of the turns this one leads to that a reply here may answer before they
    /// are asked (`Scenario::ahead`): judged into `Judgement::ahead`, so that the customer does
    /// not ask what the reply has just told them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ahead: Vec<Ahead>,
}

/// A question a later turn will ask (`TurnRules::ahead`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ahead {
    /// What kind of answer answers it.
    pub ask: Ask,
    /// What the customer will say there (its lines, in the play language): what the question
    /// is about is read from it.
    pub question: String,
}

/// A tip for one missed principle or one violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tip {
    /// The principle the tip is about.
    pub principle: String,
    /// The tip, in the UI language.
    pub text: String,
    /// The handbook passage it cites, in the UI language.
    pub source: String,
}

/// The judgement of one reply: what the scorer says of it. One type from the engine module to
/// the app: its JSON (all fields) is what `kefu_judge::judge_json` writes and the app reads.
/// `kefu score`'s output (contract §2) is a separate, smaller shape the CLI builds from it
/// (score, principles, courtesy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    /// 0–100.
    pub score: u8,
    /// Every principle judged, by id (as written in data and files), with its evidence.
    pub principles: BTreeMap<String, Finding>,
    /// A graded politeness estimate, 0–1.
    pub courtesy: f32,
    /// Principles that were weighted (expected) for this reply, in display order.
    #[serde(default)]
    pub expected: Vec<String>,
    /// One tip per missed principle or violation.
    #[serde(default)]
    pub tips: Vec<Tip>,
    /// The questions of `TurnRules::ahead` the reply already answers: bit `k` for the `k`-th
    /// (the first 32; a number, not a list of flags, so the app's module reads no sequence of
    /// booleans, #17).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ahead: u32,
}

/// What the app asks the engine module to judge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JudgeRequest {
    /// The reply as typed.
    pub text: String,
    /// The UI language (tips and the language the reply is read in when it is ambiguous).
    pub lang: Lang,
    /// The turn's rules.
    pub rules: TurnRules,
    /// The seconds the trainee took (for `timeliness`).
    pub secs: Option<f64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Judgement {
    /// Does the reply already answer the `k`-th question of `TurnRules::ahead`?
    pub fn answers_ahead(&self, k: usize) -> bool {
        k < 32 && self.ahead & (1 << k) != 0
    }

    /// Does the reply show principle `id`?
    pub fn hit(&self, id: impl AsRef<str>) -> bool {
        self.principles.get(id.as_ref()).is_some_and(|f| f.hit)
    }
}

/// Reading a `JudgeRequest` (the engine's `judge` request, as the app writes it with serde) by
/// hand from miniserde's `Value` (#17): the scorer module then carries no serde deserializer,
/// no `serde_json` and no per-type visitor code. It reads what serde reads (a test compares the
/// two over every turn of the shipped scenarios); it is more lenient only in that a turn's
/// field left out reads as its default. Unknown fields are ignored, as serde ignores them.
pub mod read {
    use super::{Ahead, Ask, AskKind, ClaimRule, FactRule, JudgeRequest, ScenarioKind, TurnRules};
    use crate::principles::Lang;
    use miniserde::json::{self, Number, Object, Value};

    type R<T> = Result<T, String>;

    /// The request in `s`, or what is wrong with it.
    pub fn request(s: &str) -> R<JudgeRequest> {
        let v: Value = json::from_str(s).map_err(|_| "the request is not JSON".to_string())?;
        let o = object(&v, "the request")?;
        let lang = string(need(o, "lang")?, "lang")?;
        Ok(JudgeRequest {
            text: string(need(o, "text")?, "text")?,
            lang: Lang::from_code(&lang).ok_or_else(|| format!("unknown language `{lang}`"))?,
            rules: rules(need(o, "rules")?)?,
            secs: opt(o, "secs", number)?,
        })
    }

    fn rules(v: &Value) -> R<TurnRules> {
        let o = object(v, "rules")?;
        let kind = opt(o, "kind", string)?.unwrap_or_else(|| "general".into());
        Ok(TurnRules {
            kind: [
                ScenarioKind::Angry,
                ScenarioKind::Objection,
                ScenarioKind::Product,
                ScenarioKind::General,
            ]
            .into_iter()
            .find(|k| k.id() == kind)
            .ok_or_else(|| format!("rules.kind: unknown kind `{kind}`"))?,
            weights: list(o, "weights", |v, at| match v {
                Value::Array(a) if a.len() == 2 => {
                    Ok((string(&a[0], at)?, number(&a[1], at)? as f32))
                }
                _ => Err(format!("`{at}` must be [\"principle\", weight]")),
            })?,
            facts: list(o, "facts", |v, at| {
                let o = object(v, at)?;
                Ok(FactRule {
                    id: string(need(o, "id")?, at)?,
                    say: list(o, "say", string)?,
                    value: opt(o, "value", number)?,
                    units: list(o, "units", string)?,
                })
            })?,
            false_claims: list(o, "false_claims", |v, at| {
                let o = object(v, at)?;
                Ok(ClaimRule {
                    id: string(need(o, "id")?, at)?,
                    say: list(o, "say", string)?,
                    clause: list(o, "clause", |v, at| {
                        let mut words = Vec::new();
                        for w in items(v, at)? {
                            words.push(string(w, at)?);
                        }
                        Ok(words)
                    })?,
                })
            })?,
            jargon: list(o, "jargon", string)?,
            allowed_terms: list(o, "allowed_terms", string)?,
            model_terms: list(o, "model_terms", string)?,
            target_secs: opt(o, "target_secs", |v, at| match v {
                Value::Number(Number::U64(n)) => {
                    u32::try_from(*n).map_err(|_| format!("`{at}` is too large"))
                }
                _ => Err(format!("`{at}` must be a whole number of seconds")),
            })?,
            customer_names: list(o, "customer_names", string)?,
            customer_name: opt(o, "customer_name", string)?,
            customer_said: opt(o, "customer_said", string)?,
            policy: {
                // One `insert` at a time (`collect` would add a sort's code, #17).
                let mut rules = std::collections::BTreeMap::new();
                if let Some(v) = o.get("policy").filter(|v| !matches!(v, Value::Null)) {
                    for (k, v) in object(v, "policy")?.iter() {
                        rules.insert(k.clone(), number(v, k)?);
                    }
                }
                rules
            },
            asks: opt(o, "asks", ask)?,
            ahead: list(o, "ahead", |v, at| {
                let o = object(v, at)?;
                Ok(Ahead {
                    ask: ask(need(o, "ask")?, at)?,
                    question: string(need(o, "question")?, at)?,
                })
            })?,
        })
    }

    fn ask(v: &Value, at: &str) -> R<Ask> {
        let o = object(v, at)?;
        let kind = string(need(o, "kind")?, "asks.kind")?;
        Ok(Ask {
            kind: AskKind::parse(&kind)
                .ok_or_else(|| format!("asks.kind: unknown kind `{kind}`"))?,
            options: list(o, "options", string)?,
            fact: opt(o, "fact", string)?,
            policy: opt(o, "policy", string)?,
            say: list(o, "say", string)?,
        })
    }

    fn need<'a>(o: &'a Object, key: &str) -> R<&'a Value> {
        o.get(key).ok_or_else(|| format!("missing field `{key}`"))
    }

    fn object<'a>(v: &'a Value, at: &str) -> R<&'a Object> {
        match v {
            Value::Object(o) => Ok(o),
            _ => Err(format!("`{at}` must be an object")),
        }
    }

    fn string(v: &Value, at: &str) -> R<String> {
        match v {
            Value::String(s) => Ok(s.clone()),
            _ => Err(format!("`{at}` must be a string")),
        }
    }

    fn number(v: &Value, at: &str) -> R<f64> {
        match v {
            Value::Number(Number::F64(x)) => Ok(*x),
            Value::Number(Number::U64(x)) => Ok(*x as f64),
            Value::Number(Number::I64(x)) => Ok(*x as f64),
            _ => Err(format!("`{at}` must be a number")),
        }
    }

    /// Field `key` of `o` read by `f`; `None` when it is missing or null.
    fn opt<T>(o: &Object, key: &str, f: impl Fn(&Value, &str) -> R<T>) -> R<Option<T>> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => f(v, key).map(Some),
        }
    }

    /// Field `key` of `o`, a list each item of which `f` reads; empty when missing or null.
    fn list<T>(o: &Object, key: &str, f: impl Fn(&Value, &str) -> R<T>) -> R<Vec<T>> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(v) => {
                // A loop, not `collect` into a `Result`: that is code per item type (#17).
                let mut out = Vec::new();
                for v in items(v, key)? {
                    out.push(f(v, key)?);
                }
                Ok(out)
            }
        }
    }

    /// The items of a list.
    fn items<'a>(v: &'a Value, at: &str) -> R<&'a [Value]> {
        match v {
            Value::Array(a) => Ok(a),
            _ => Err(format!("`{at}` must be a list")),
        }
    }
}

/// Writing a `Judgement` as JSON by hand (#17): byte for byte what `serde_json::to_string`
/// writes (a test compares the two over the labelled sets and many floats), so the scorer
/// module carries no serde serializer and no `serde_json` writer (floats are written by zmij,
/// the float writer serde_json itself calls, and not by Rust's float formatting).
pub mod write {
    use super::Judgement;
    use std::fmt::Write;

    /// `s` as a JSON string, escaped as serde_json escapes it: `"`, `\`, the control
    /// characters (`\b \t \n \f \r` by name, the rest as `\u00xx`); everything else as is.
    pub fn string(out: &mut String, s: &str) {
        out.push('"');
        let mut from = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                b'\t' => "\\t",
                b'\n' => "\\n",
                0x0c => "\\f",
                b'\r' => "\\r",
                0..=0x1f => "",
                _ => continue,
            };
            out.push_str(&s[from..i]);
            if esc.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xf)] as char);
            } else {
                out.push_str(esc);
            }
            from = i + 1;
        }
        out.push_str(&s[from..]);
        out.push('"');
    }

    /// An `f32` as serde_json writes it (`0.0`, `0.35`, `1.0`, `1e-7`, `1.5e+20`: zmij's
    /// shortest form, written by zmij as serde_json does), `null` when it is not finite. Not
    /// through Rust's float formatting, which the scorer module then does without (#17).
    pub fn f32(out: &mut String, v: f32) {
        if v.is_finite() {
            out.push_str(zmij::Buffer::new().format_finite(v));
        } else {
            out.push_str("null");
        }
    }

    /// `{"error":MESSAGE}`, as the engine answers a request it cannot read.
    pub fn error(message: &str) -> String {
        let mut out = String::from("{\"error\":");
        string(&mut out, message);
        out.push('}');
        out
    }

    impl Judgement {
        /// This judgement as JSON: exactly `serde_json::to_string(self)`.
        pub fn to_json(&self) -> String {
            let mut out = String::with_capacity(512);
            self.write_json(&mut out);
            out
        }

        /// Append this judgement as JSON to `out` (`to_json`).
        pub fn write_json(&self, out: &mut String) {
            let _ = write!(out, "{{\"score\":{},\"principles\":{{", self.score);
            for (i, (id, f)) in self.principles.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, id);
                out.push_str(if f.hit {
                    ":{\"hit\":true,\"evidence\":["
                } else {
                    ":{\"hit\":false,\"evidence\":["
                });
                for (j, (a, b)) in f.evidence.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "[{a},{b}]");
                }
                out.push_str("]}");
            }
            out.push_str("},\"courtesy\":");
            f32(out, self.courtesy);
            out.push_str(",\"expected\":[");
            for (i, e) in self.expected.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, e);
            }
            out.push_str("],\"tips\":[");
            for (i, t) in self.tips.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str("{\"principle\":");
                string(out, &t.principle);
                out.push_str(",\"text\":");
                string(out, &t.text);
                out.push_str(",\"source\":");
                string(out, &t.source);
                out.push('}');
            }
            out.push(']');
            if self.ahead != 0 {
                let _ = write!(out, ",\"ahead\":{}", self.ahead);
            }
            out.push('}');
        }
    }

    #[cfg(test)]
    mod tests {
        use super::super::{Finding, Judgement, Tip};

        #[test]
        // The ties (2110626.25) are written out exactly: they are what is tested.
        #[allow(clippy::excessive_precision)]
        fn floats_are_written_as_serde_json_writes_them() {
            let mut values = vec![
                0.0f32,
                -0.0,
                1.0,
                -1.0,
                0.5,
                0.35,
                0.1,
                1e-5,
                1e-6,
                1e-7,
                1.5e-7,
                123456.78,
                1e12,
                1e13,
                1.25e13,
                1e14,
                3.4028235e38,
                f32::MIN_POSITIVE,
                1e-45,
                2.0 / 3.0,
                2110626.25,
                145090.625,
                2110626.75,
                f32::NAN,
                f32::INFINITY,
                f32::NEG_INFINITY,
                100.0,
                12345678.0,
                0.033333335,
            ];
            // A sweep of bit patterns over every exponent, and the ties of `f32`.
            let mut x: u32 = 0x9e37_79b9;
            for _ in 0..200_000 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                values.push(f32::from_bits(x));
            }
            values.extend((0..=1000).map(|i| i as f32 / 1000.0));
            for v in values {
                let mut got = String::new();
                super::f32(&mut got, v);
                let want = serde_json::to_string(&v).unwrap();
                assert_eq!(got, want, "{v:e} ({:#x})", v.to_bits());
            }
        }

        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them() {
            let all: String = (0u32..0x300).filter_map(char::from_u32).collect();
            for s in [
                "",
                "plain",
                "引号\"与\\反斜杠",
                "\u{7f}\u{2028}😀",
                "a\nb\tc\r\u{1}",
                &all,
            ] {
                let mut got = String::new();
                super::string(&mut got, s);
                assert_eq!(got, serde_json::to_string(s).unwrap());
            }
            assert_eq!(
                super::error("bad \"x\""),
                serde_json::json!({ "error": "bad \"x\"" }).to_string()
            );
        }

        #[test]
        fn a_judgement_is_written_as_serde_json_writes_it() {
            let mut j = Judgement::default();
            assert_eq!(j.to_json(), serde_json::to_string(&j).unwrap());
            j.score = 87;
            j.courtesy = 0.62;
            j.principles.insert(
                "apology".into(),
                Finding {
                    hit: true,
                    evidence: vec![(0, 3), (10, 12)],
                },
            );
            j.principles.insert("blame".into(), Finding::default());
            j.expected = vec!["apology".into(), "empathy".into()];
            j.tips = vec![Tip {
                principle: "empathy".into(),
                text: "说\"我理解\"".into(),
                source: "§2\n".into(),
            }];
            assert_eq!(j.to_json(), serde_json::to_string(&j).unwrap());
            j.ahead = 0b101;
            assert_eq!(j.to_json(), serde_json::to_string(&j).unwrap());
        }
    }
}
