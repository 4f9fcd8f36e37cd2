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

// `enum Lang` with `ALL` and `code`, generated from `data/languages.toml` (one variant per
// `[[language]]`, in its order: `zh-Hans` → `Lang::ZhHans`). All else about a language (name,
// fallbacks, tags, family) is read from that list through `crate::lang`.
include!(concat!(env!("OUT_DIR"), "/lang_ids.rs"));

impl Lang {
    /// The embedded language list, `data/languages.toml` (variant `l` is entry `l as usize`).
    pub fn list() -> &'static crate::lang::Languages {
        static L: OnceLock<crate::lang::Languages> = OnceLock::new();
        L.get_or_init(|| {
            use crate::lang::{LangInfo, Languages};
            // Written by the build as a `Languages` expression (`crates/data-build.rs`).
            let l: Languages = include!(concat!(env!("OUT_DIR"), "/languages.rs"));
            l.checked()
                .expect("data/languages.toml is checked by the build")
        })
    }
    fn info(self) -> &'static crate::lang::LangInfo {
        &Lang::list().language[self as usize]
    }
    fn at(i: usize) -> Lang {
        Lang::ALL[i]
    }
    /// The language whose code is exactly `s` (`zh-Hans`, `en`), as data files write it.
    pub fn from_code(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }
    /// A language from a tag as browsers and the CLI give it (`zh-CN`, `zh-TW`, `zh-HK`,
    /// `en-US`, `zh`…): the `tags` of `data/languages.toml`.
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::list().find(s).map(Lang::at)
    }
    /// The UI language: `?lang=` wins, then the browser's languages in order, then the list's
    /// `default`.
    pub fn negotiate(query: Option<&str>, browser: &[String]) -> Lang {
        Lang::at(Lang::list().negotiate(query, browser))
    }
    /// The language's own name, for the language switcher (the same in every UI language).
    pub fn native_name(self) -> &'static str {
        &self.info().native
    }
    /// This language, then where a text it lacks is taken from, in order.
    pub fn fallbacks(self) -> Vec<Lang> {
        Lang::list()
            .chain(self as usize)
            .into_iter()
            .map(Lang::at)
            .collect()
    }
    /// Its family (`zh`, `en`): languages of one family stand in for each other in play.
    pub fn family(self) -> &'static str {
        &self.info().family
    }
    /// Is this a Chinese language (so that replies are usually Chinese)?
    pub fn is_zh(self) -> bool {
        self.family() == "zh"
    }
    /// The tag written in exported records (`en-US` for `en`).
    pub fn locale(self) -> &'static str {
        self.info().locale.as_deref().unwrap_or(self.code())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lang::from_code(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown language `{s}`")))
    }
}

/// Text in each UI language: a map keyed by language (`{ en = "…", zh-Hans = "…" }` in the
/// data files), so a language is a key, not a field. A language it lacks reads as `""`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<Lang, String>);

/// The former name of [`Text`] (three fixed fields); kept so other branches merge.
pub type Text3 = Text;

impl Text {
    /// The text in `lang` (`""` when it has none).
    pub fn get(&self, lang: Lang) -> &str {
        self.0.get(&lang).map_or("", String::as_str)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Whether a principle is detected in any reply or judged against a turn.
pub enum Kind {
    /// Detected in any reply.
    Reply,
    /// Judged against a scenario turn.
    Turn,
}

#[derive(Debug, Clone)]
/// One principle of the rulebook (`data/principles.toml`).
pub struct Principle {
    /// Stable id, used in scenario files, the CLI's JSON and stored results.
    pub id: PrincipleId,
    /// Detected in any reply, or judged against a turn.
    pub kind: Kind,
    /// A hit is a fault (`blame`, `jargon`, `rudeness`).
    pub violation: bool,
    /// A negator just before a cue cancels it ("不抱歉", "not sorry"): `negatable = true`.
    pub negatable: bool,
    /// A cue inside quoted or reported speech does not count: `quotable = true`.
    pub quotable: bool,
    /// Points a fault takes off the 0–100 score: a violation's hit, or a false claim (`facts`).
    pub penalty: f32,
    /// The handbook passage it comes from. (This, `tip`, `tip_for` and `cite` are left out of
    /// the library module's copy: kefu-core without `full-catalogue`, `crates/data-build.rs`.)
    pub source: String,
    /// Its name in each UI language.
    pub name: Text,
    /// The tip shown when a reply misses it (or commits it, for a violation); `{name}` stands
    /// for the customer's name.
    pub tip: Text,
    /// Tips for one kind of scenario (`angry`, `objection`, `product`), where the general one
    /// would not fit its turns.
    pub tip_for: BTreeMap<String, Text>,
    /// The handbook passage, in each UI language, shown once after the tip.
    pub cite: Text,
}

/// What a good reply shows in one kind of scenario.
#[derive(Debug, Clone)]
pub struct KindWeights {
    /// `angry`, `objection`, `product` or `general`.
    pub id: String,
    /// `(principle, weight)` in display order.
    pub weights: Vec<(String, f32)>,
}

// `data/principles.toml` as the build writes it (`crates/data-build.rs`, `PRINCIPLES`, which
// rejects an unknown or missing field): static parts only, owned in one loop (`File::from_raw`).
type RawText = &'static [(&'static str, &'static str)];

struct RawFile {
    principle: &'static [RawPrinciple],
    kind: &'static [RawKind],
}

struct RawPrinciple {
    id: PrincipleId,
    kind: Kind,
    violation: bool,
    negatable: bool,
    quotable: bool,
    penalty: f32,
    source: &'static str,
    name: RawText,
    tip: RawText,
    tip_for: &'static [(&'static str, RawText)],
    cite: RawText,
}

struct RawKind {
    id: &'static str,
    weights: &'static [(&'static str, f32)],
}

impl File {
    fn from_raw(raw: &RawFile) -> File {
        use crate::built::{text, weights};
        File {
            principle: raw
                .principle
                .iter()
                .map(|p| Principle {
                    id: p.id,
                    kind: p.kind,
                    violation: p.violation,
                    negatable: p.negatable,
                    quotable: p.quotable,
                    penalty: p.penalty,
                    source: p.source.to_string(),
                    name: text(p.name),
                    tip: text(p.tip),
                    tip_for: {
                        // One `insert` at a time (`collect` would add a sort's code, #17).
                        let mut m = BTreeMap::new();
                        for (k, t) in p.tip_for {
                            m.insert(k.to_string(), text(t));
                        }
                        m
                    },
                    cite: text(p.cite),
                })
                .collect(),
            kind: raw
                .kind
                .iter()
                .map(|k| KindWeights {
                    id: k.id.to_string(),
                    weights: weights(k.weights),
                })
                .collect(),
        }
    }
}

struct File {
    principle: Vec<Principle>,
    kind: Vec<KindWeights>,
}

fn file() -> &'static File {
    static F: OnceLock<File> = OnceLock::new();
    F.get_or_init(|| File::from_raw(&include!(concat!(env!("OUT_DIR"), "/principles.rs"))))
}

/// Every principle, in display order.
pub fn all() -> &'static [Principle] {
    &file().principle
}

impl Principle {
    /// The tip for a reply in a scenario of `kind`, with `{name}` filled in: the customer's
    /// name, or, without a scenario, the handbook's own example name.
    pub fn tip_text(&self, kind: &str, lang: Lang, customer: Option<&str>) -> String {
        let t = self.tip_for.get(kind).unwrap_or(&self.tip).get(lang);
        let example = crate::i18n::t(lang, "tip.example_name");
        t.replace(
            "{name}",
            customer.filter(|c| !c.is_empty()).unwrap_or(&example),
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

/// The id of the principle `s` names in any language (`致歉`, `同情` of 体谅/同情, "Show
/// empathy"): the checker's suggestion to a trainer who wrote the name the app shows. (Not in
/// `nearest`, which every browser module links through `FromStr`: #17's first load.)
pub fn by_name(s: &str) -> Option<&'static str> {
    let s = s.trim();
    all()
        .iter()
        .find(|p| {
            Lang::ALL.iter().any(|&l| {
                let name = p.name.get(l).trim();
                name.eq_ignore_ascii_case(s) || name.split(['/', '、']).any(|n| n.trim() == s)
            })
        })
        .map(|p| p.id.as_str())
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
mod nearest_tests {
    use super::*;

    /// A trainer who writes a principle by the name the app shows is told its id.
    #[test]
    fn a_principle_written_by_its_name_suggests_its_id() {
        assert_eq!(by_name("致歉"), Some("apology"));
        assert_eq!(by_name("同情"), Some("empathy"));
        assert_eq!(by_name("體諒"), Some("empathy"));
        assert_eq!(by_name("show empathy"), Some("empathy"));
        assert_eq!(by_name("apolgy"), None);
        assert_eq!(nearest("apolgy"), Some("apology"));
        assert_eq!(by_name("完全无关"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_13_plus_5_with_tips_in_three_languages() {
        assert_eq!(reply_ids().count(), 13);
        assert_eq!(all().iter().filter(|p| p.kind == Kind::Turn).count(), 5);
        for p in all() {
            for l in Lang::ALL {
                assert!(!p.tip.get(l).is_empty(), "{} tip {:?}", p.id, l);
                assert!(!p.name.get(l).is_empty(), "{} name {:?}", p.id, l);
            }
            // Every tip cites the handbook passage, once: in `cite`, not in the tip's text; the
            // handbook by the name a trainee knows, not its file number.
            for l in Lang::ALL {
                let cite = p.cite.get(l);
                let named = ["handbook", "《"].iter().any(|h| cite.contains(h));
                assert!(named, "{} cites no handbook by name: {cite}", p.id);
                assert!(
                    !cite.contains("000 ") && !cite.contains("001 "),
                    "{}: {cite}",
                    p.id
                );
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
