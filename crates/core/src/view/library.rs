//! The library model: the scenarios that checked clean (their cards, and the scenarios in
//! full once the whole bundle is there) and the files that did not, filters, and a random pick.

use super::Card;
use crate::judgement::ScenarioKind;
use crate::principles::Lang;
use crate::scenario::Scenario;
use std::rc::Rc;

/// The scenario library: the files that checked clean, and the others with their messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// A card per scenario, sorted by id (one per id: a later file replaces an earlier one):
    /// what the library page shows. With only `cards.json` loaded there are cards and no
    /// scenarios.
    pub cards: Vec<Rc<Card>>,
    /// The scenarios in full, sorted by id (one per id), each with its card in `cards`.
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
        let id = self.put_card(Card::of(&s));
        self.scenarios.push(Rc::new(s));
        self.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        id
    }

    /// Add a card alone (the scenario is not there in full), replacing the card and the
    /// scenario with the same id; its id.
    pub(super) fn put_card(&mut self, c: Card) -> String {
        let id = c.id.clone();
        self.scenarios.retain(|x| x.id != id);
        self.cards.retain(|x| x.id != id);
        self.cards.push(Rc::new(c));
        self.cards.sort_by(|a, b| a.id.cmp(&b.id));
        id
    }

    /// The card of the scenario with this id.
    pub fn card(&self, id: &str) -> Option<&Rc<Card>> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// The scenario with this id, in full (none while only the cards are loaded).
    pub fn get(&self, id: &str) -> Option<&Rc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// A scenario's title in the UI language `lang`, where the library has the scenario; else
    /// `stored`, the title a saved record holds (in the language it was played in). So a record
    /// is shown by its id in the language chosen now, not the one it was played in.
    pub fn title_in(&self, id: &str, lang: Lang, stored: &str) -> String {
        self.card(id).map_or_else(
            || stored.to_string(),
            |s| s.title.get(s.play_lang(lang)).to_string(),
        )
    }

    /// An exam's title in `lang`, where the library has the exam; else `stored`, likewise.
    pub fn exam_title_in(&self, id: &str, lang: Lang, stored: &str) -> String {
        self.exams
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| stored.to_string(), |e| e.title.get(lang).to_string())
    }

    /// The cards matching a kind and a product filter (`None` = all).
    pub fn filtered(&self, kind: Option<ScenarioKind>, product: Option<&str>) -> Vec<&Rc<Card>> {
        self.cards
            .iter()
            .filter(|s| kind.is_none_or(|k| s.kind == k))
            .filter(|s| product.is_none_or(|p| s.product.as_deref() == Some(p)))
            .collect()
    }

    /// The products a product filter offers over `cards` (those the other filters keep):
    /// the ones at least one of them is about, in `PRODUCTS`' order. Only product questions
    /// are about a product, so over objections or angry customers there are none to offer (a
    /// product chosen there showed an empty library).
    pub fn products_of<'a>(cards: impl IntoIterator<Item = &'a Rc<Card>>) -> Vec<&'static str> {
        let mut about = [false; crate::scenario::PRODUCTS.len()];
        for c in cards {
            if let Some(i) = c
                .product
                .as_deref()
                .and_then(|p| crate::scenario::PRODUCTS.iter().position(|(x,)| *x == p))
            {
                about[i] = true;
            }
        }
        crate::scenario::PRODUCTS
            .iter()
            .zip(about)
            .filter_map(|((p,), a)| a.then_some(*p))
            .collect()
    }

    /// A seeded random pick among `ids` (random practice): the seed mixed by SplitMix64's
    /// finaliser, then reduced to an index (the library module's only randomness, so no RNG is
    /// linked into the first load for it; a session's RNG is `dialogue`'s, in the full module).
    pub fn random_pick<'a, T>(ids: &[&'a T], seed: u64) -> Option<&'a T> {
        if ids.is_empty() {
            return None;
        }
        let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // Multiply-shift: an index in 0..len from the high bits, without a modulo's bias.
        Some(ids[((z as u128 * ids.len() as u128) >> 64) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::Exam;
    use crate::scenario::Loc;

    fn loc(en: &str, zh: &str) -> Loc {
        Loc([(Lang::En, en.to_string()), (Lang::ZhHans, zh.to_string())].into())
    }

    fn card(id: &str, kind: ScenarioKind, product: Option<&str>, expects: &[&str]) -> Rc<Card> {
        Rc::new(Card {
            id: id.into(),
            kind,
            languages: vec![Lang::En],
            product: product.map(str::to_string),
            difficulty: 1,
            minutes: 3,
            title: loc(id, id),
            brief: loc("b", "b"),
            expects: expects.iter().map(|e| e.to_string()).collect(),
        })
    }

    /// The product filter offers only what the kind chosen has: an objection is about no
    /// product, so "objection" with a product was always an empty library.
    #[test]
    fn the_product_filter_offers_the_products_of_the_kind_chosen() {
        use ScenarioKind::{Angry, Objection, Product};
        let lib = Library {
            cards: vec![
                card("a", Angry, None, &["apology"]),
                card("o", Objection, None, &["explain"]),
                card("p-afg", Product, Some("afg"), &["facts"]),
                card("p-f40", Product, Some("f40"), &["facts", "explain"]),
                card("p-f40b", Product, Some("f40"), &["facts"]),
            ],
            ..Library::default()
        };
        let offered = |k: Option<ScenarioKind>, principle: Option<&str>| {
            Library::products_of(
                lib.filtered(k, None)
                    .into_iter()
                    .filter(|c| principle.is_none_or(|p| c.expects.iter().any(|e| e == p))),
            )
        };
        // In `PRODUCTS`' order, each once; none that no card is about (chiller).
        assert_eq!(offered(None, None), ["f40", "afg"]);
        assert_eq!(offered(Some(Product), None), ["f40", "afg"]);
        assert!(offered(Some(Objection), None).is_empty());
        assert!(offered(Some(Angry), None).is_empty());
        // With `#/practise/explain`: only the products of the scenarios it keeps.
        assert_eq!(offered(None, Some("explain")), ["f40"]);
        // Every product offered shows at least one card; one not offered, none.
        for k in [None, Some(Angry), Some(Objection), Some(Product)] {
            for (p,) in crate::scenario::PRODUCTS {
                assert_eq!(
                    offered(k, None).contains(p),
                    !lib.filtered(k, Some(p)).is_empty(),
                    "{k:?} {p}"
                );
            }
        }
    }

    /// The random pick is one of the pool, the same for the same seed, and over fresh seeds
    /// every scenario comes up about as often as the others.
    #[test]
    fn a_random_pick_is_from_the_pool_and_fair() {
        let pool: Vec<Rc<Scenario>> = (0..5)
            .map(|i| {
                let mut s: Scenario = serde_json::from_value(serde_json::json!({
                    "id": "s", "kind": "angry", "languages": ["en"], "product": null,
                    "difficulty": 1, "minutes": 3, "title": {"en": "t"}, "brief": {"en": "b"},
                    "customer_name": {"en": "c"}, "persona": null, "mood": 50, "gives_up": 0,
                    "placeholders": {}, "start": 0, "max_turns": 3, "turns": [], "endings": []
                }))
                .unwrap();
                s.id = format!("s{i}");
                Rc::new(s)
            })
            .collect();
        let ids: Vec<&Rc<Scenario>> = pool.iter().collect();
        assert!(Library::random_pick::<Rc<Scenario>>(&[], 7).is_none());
        let mut count = [0usize; 5];
        for seed in 0..5000u64 {
            let a = Library::random_pick(&ids, seed).unwrap();
            assert_eq!(a.id, Library::random_pick(&ids, seed).unwrap().id);
            count[a.id[1..].parse::<usize>().unwrap()] += 1;
        }
        assert!(count.iter().all(|&c| (850..1150).contains(&c)), "{count:?}");
    }

    /// A record keeps the title it was played in; the history shows the library's title in the
    /// language chosen now (a scenario or exam the library no longer has: the stored title).
    #[test]
    fn a_record_is_titled_in_the_language_chosen_now() {
        let mut s: Scenario = serde_json::from_value(serde_json::json!({
            "id": "late", "kind": "angry", "languages": ["zh-Hans", "en"], "product": null,
            "difficulty": 1, "minutes": 3, "title": {"en": "t"}, "brief": {"en": "b"},
            "customer_name": {"en": "c"}, "persona": null, "mood": 50, "gives_up": 0,
            "placeholders": {}, "start": 0, "max_turns": 3, "turns": [], "endings": []
        }))
        .unwrap();
        s.title = loc("Late delivery", "迟到的快递");
        let mut lib = Library::default();
        lib.put(s);
        lib.exams.push(Exam {
            id: "final".into(),
            title: loc("Final exam", "结业考试"),
            intro: None,
            draws: Vec::new(),
            pass_mark: 70,
            time_limit_mins: 20,
            hints: false,
        });
        // zh-Hant falls back to the simplified title the scenario has.
        for (lang, scenario, exam) in [
            (Lang::En, "Late delivery", "Final exam"),
            (Lang::ZhHans, "迟到的快递", "结业考试"),
            (Lang::ZhHant, "迟到的快递", "结业考试"),
        ] {
            assert_eq!(lib.title_in("late", lang, "stored"), scenario, "{lang:?}");
            assert_eq!(lib.exam_title_in("final", lang, "stored"), exam, "{lang:?}");
        }
        assert_eq!(lib.title_in("gone", Lang::En, "旧的"), "旧的");
        assert_eq!(lib.exam_title_in("old", Lang::En, "旧考试"), "旧考试");
    }
}
