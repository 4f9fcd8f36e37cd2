//! The principles the scorer knows, loaded from the one list in `data/principles.toml`.

#![warn(missing_docs)]

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

// `enum PrincipleId` with `ALL` and `as_str`, generated from `data/principles.toml`.
include!(concat!(env!("OUT_DIR"), "/principle_ids.rs"));

impl PrincipleId {
    /// The id written as `s` (exactly, as in data and scenario files).
    pub fn parse(s: &str) -> Option<PrincipleId> {
        PrincipleId::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// Its entry in `data/principles.toml` (the variants are generated in the file's order).
    pub fn principle(self) -> &'static Principle {
        &all()[self as usize]
    }
    /// Is a hit a fault (`violation = true`)?
    pub fn is_violation(self) -> bool {
        self.principle().violation
    }
}

impl std::fmt::Display for PrincipleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for PrincipleId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::str::FromStr for PrincipleId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        PrincipleId::parse(s).ok_or_else(|| match nearest(s) {
            Some(n) => format!("unknown principle `{s}` (did you mean `{n}`?)"),
            None => format!("unknown principle `{s}`"),
        })
    }
}

impl serde::Serialize for PrincipleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PrincipleId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A UI language.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, Deserialize,
)]
pub enum Lang {
    #[serde(rename = "zh-Hans")]
    /// 简体中文.
    ZhHans,
    #[serde(rename = "zh-Hant")]
    /// 繁體中文.
    ZhHant,
    #[serde(rename = "en")]
    /// English.
    En,
}

impl Lang {
    /// Every UI language, in the switcher's order.
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];
    /// The BCP 47 tag (`zh-Hans`, `zh-Hant`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }
    /// A language from a tag as browsers and the CLI give it (`zh-CN`, `zh-TW`, `zh-HK`, `en-US`, `zh`…).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        match s.as_str() {
            "en" => Some(Lang::En),
            "zh-hans" | "zh-cn" | "zh-sg" | "zh" => Some(Lang::ZhHans),
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" => Some(Lang::ZhHant),
            _ if s.starts_with("en") => Some(Lang::En),
            _ if s.starts_with("zh-hant") => Some(Lang::ZhHant),
            _ if s.starts_with("zh") => Some(Lang::ZhHans),
            _ => None,
        }
    }
    /// The language's own name, for the language switcher (the same in every UI language).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhHans => "简体中文",
            Lang::ZhHant => "繁體中文",
            Lang::En => "English",
        }
    }
    /// Is this a Chinese language (so that replies are usually Chinese)?
    pub fn is_zh(self) -> bool {
        self != Lang::En
    }
}

/// Text in each UI language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Text3 {
    #[serde(default)]
    /// English.
    pub en: String,
    #[serde(rename = "zh-Hans", default)]
    /// Simplified Chinese.
    pub zh_hans: String,
    #[serde(rename = "zh-Hant", default)]
    /// Traditional Chinese.
    pub zh_hant: String,
}

impl Text3 {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhHans => &self.zh_hans,
            Lang::ZhHant => &self.zh_hant,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
/// Whether a principle is detected in any reply or judged against a turn.
pub enum Kind {
    /// Detected in any reply.
    Reply,
    /// Judged against a scenario turn.
    Turn,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
/// One principle of the rulebook (`data/principles.toml`).
pub struct Principle {
    /// Stable id, used in scenario files, the CLI's JSON and stored results.
    pub id: PrincipleId,
    /// Detected in any reply, or judged against a turn.
    pub kind: Kind,
    #[serde(default)]
    /// A hit is a fault (`blame`, `jargon`, `rudeness`).
    pub violation: bool,
    /// A negator just before a cue cancels it ("不抱歉", "not sorry"): `negatable = true`.
    #[serde(default)]
    pub negatable: bool,
    /// A cue inside quoted or reported speech does not count: `quotable = true`.
    #[serde(default)]
    pub quotable: bool,
    /// Points a fault takes off the 0–100 score: a violation's hit, or a false claim (`facts`).
    #[serde(default)]
    pub penalty: f32,
    /// The handbook passage it comes from.
    pub source: String,
    /// Its name in each UI language.
    pub name: Text3,
    /// The tip shown when a reply misses it (or commits it, for a violation); `{name}` stands
    /// for the customer's name.
    pub tip: Text3,
    /// Tips for one kind of scenario (`angry`, `objection`, `product`), where the general one
    /// would not fit its turns.
    #[serde(default)]
    pub tip_for: BTreeMap<String, Text3>,
    /// The handbook passage, in each UI language, shown once after the tip.
    pub cite: Text3,
}

/// What a good reply shows in one kind of scenario.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindWeights {
    /// `angry`, `objection`, `product` or `general`.
    pub id: String,
    /// `(principle, weight)` in display order.
    pub weights: Vec<(String, f32)>,
}

#[derive(Deserialize)]
struct File {
    principle: Vec<Principle>,
    kind: Vec<KindWeights>,
}

fn file() -> &'static File {
    static F: OnceLock<File> = OnceLock::new();
    F.get_or_init(|| {
        serde_json::from_str::<File>(DATA).expect("data/principles.toml is checked by tests")
    })
}

const DATA: &str = crate::data::PRINCIPLES;

/// Every principle, in display order.
pub fn all() -> &'static [Principle] {
    &file().principle
}

impl Principle {
    /// The tip for a reply in a scenario of `kind`, with `{name}` filled in: the customer's
    /// name, or, without a scenario, the handbook's own example name.
    pub fn tip_text(&self, kind: &str, lang: Lang, customer: Option<&str>) -> String {
        let t = self.tip_for.get(kind).unwrap_or(&self.tip).get(lang);
        let example = match lang {
            Lang::En => "Mr. Wang",
            Lang::ZhHans | Lang::ZhHant => "王先生",
        };
        t.replace(
            "{name}",
            customer.filter(|c| !c.is_empty()).unwrap_or(example),
        )
    }
}

/// The default weights of a kind of scenario (`[[kind]]` in `data/principles.toml`); empty for
/// an unknown kind.
pub fn kind_weights(kind: &str) -> &'static [(String, f32)] {
    file()
        .kind
        .iter()
        .find(|k| k.id == kind)
        .map_or(&[], |k| k.weights.as_slice())
}

/// The principle with this id.
pub fn get(id: &str) -> Option<&'static Principle> {
    PrincipleId::parse(id).map(PrincipleId::principle)
}

/// Ids of the 13 principles detected in any reply, in display order.
pub fn reply_ids() -> impl Iterator<Item = PrincipleId> {
    all().iter().filter(|p| p.kind == Kind::Reply).map(|p| p.id)
}

/// A `'static` copy of an id (principle ids are few; scenario terms reuse them).
pub fn intern(s: &str) -> &'static str {
    if let Some(p) = PrincipleId::parse(s) {
        return p.as_str();
    }
    static EXTRA: OnceLock<std::sync::Mutex<BTreeMap<String, &'static str>>> = OnceLock::new();
    let mut m = EXTRA
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(v) = m.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.to_string().into_boxed_str());
    m.insert(s.to_string(), v);
    v
}

/// The known id nearest to `s` (for "did you mean" messages).
pub fn nearest(s: &str) -> Option<&'static str> {
    all()
        .iter()
        .map(|p| {
            (
                crate::spelling::typo_distance(s, p.id.as_str()),
                p.id.as_str(),
            )
        })
        .filter(|(d, id)| *d <= 3.max(id.len() / 2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_13_plus_4_with_tips_in_three_languages() {
        assert_eq!(reply_ids().count(), 13);
        assert_eq!(all().iter().filter(|p| p.kind == Kind::Turn).count(), 4);
        for p in all() {
            for l in Lang::ALL {
                assert!(!p.tip.get(l).is_empty(), "{} tip {:?}", p.id, l);
                assert!(!p.name.get(l).is_empty(), "{} name {:?}", p.id, l);
            }
            // Every tip cites the handbook passage, once: in `cite`, not in the tip's text.
            for l in Lang::ALL {
                assert!(p.cite.get(l).contains("00"), "{} cites no passage", p.id);
                assert!(!p.tip.get(l).contains("(00"), "{} cites twice", p.id);
            }
            for (kind, t) in &p.tip_for {
                assert!(
                    !kind_weights(kind).is_empty(),
                    "{}: tip_for unknown kind {kind}",
                    p.id
                );
                for l in Lang::ALL {
                    assert!(!t.get(l).is_empty(), "{} tip_for {kind} {:?}", p.id, l);
                }
            }
        }
    }

    #[test]
    fn every_kind_weighs_known_principles_and_only_violations_have_penalties() {
        for kind in ["angry", "objection", "product", "general"] {
            let w = kind_weights(kind);
            assert!(!w.is_empty(), "{kind} has weights");
            for (id, weight) in w {
                let p = get(id).unwrap_or_else(|| panic!("{kind}: unknown principle {id}"));
                assert!(!p.violation && *weight > 0.0, "{kind}: {id}");
            }
        }
        for p in all() {
            // `facts` is no violation, but a false claim costs its penalty.
            let costs = p.violation || p.id == PrincipleId::Facts;
            assert_eq!(
                p.penalty > 0.0,
                costs,
                "{}: only what can be a fault has a penalty",
                p.id
            );
        }
    }

    #[test]
    fn a_tip_names_the_scenarios_customer_and_fits_the_kind() {
        let address = get("address").unwrap();
        let t = address.tip_text("angry", Lang::ZhHans, Some("陈女士"));
        assert!(t.contains("陈女士") && !t.contains("王先生"), "{t}");
        assert!(address
            .tip_text("general", Lang::En, None)
            .contains("Mr. Wang"));
        let explain = get("explain").unwrap();
        let product = explain.tip_text("product", Lang::ZhHans, None);
        assert!(
            !product.contains("核实订单") && product.contains("需求"),
            "{product}"
        );
        assert!(explain
            .tip_text("angry", Lang::ZhHans, None)
            .contains("核实订单"));
    }

    #[test]
    fn the_generated_ids_follow_the_data_in_order() {
        assert_eq!(PrincipleId::ALL.len(), all().len());
        for (i, p) in all().iter().enumerate() {
            assert_eq!(p.id as usize, i, "{}", p.id);
            assert_eq!(PrincipleId::parse(p.id.as_str()), Some(p.id));
            assert_eq!(p.id.principle().id, p.id);
        }
        assert_eq!(PrincipleId::FollowUp.as_str(), "follow_up");
        assert_eq!(
            serde_json::to_string(&PrincipleId::FollowUp).unwrap(),
            "\"follow_up\""
        );
        let e = "folow_up".parse::<PrincipleId>().unwrap_err();
        assert!(e.contains("did you mean `follow_up`"), "{e}");
        assert!(serde_json::from_str::<PrincipleId>("\"nope\"").is_err());
    }

    #[test]
    fn suggests_the_nearest_id() {
        assert_eq!(nearest("apolgy"), Some("apology"));
        assert_eq!(nearest("folow_up"), Some("follow_up"));
        assert_eq!(nearest("zzzzzzzzzzzz"), None);
    }
}
