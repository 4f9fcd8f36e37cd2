//! A scenario's jargon and facts are matched on word boundaries for Latin text ("sku" is not
//! in "skunk"), an English plural or possessive ending allowed ("SKUs", "battery cabinets");
//! Chinese terms match anywhere.

use kefu_core::judgement::{ClaimRule, FactRule, ScenarioKind, TurnRules};
use kefu_core::principles::Lang;
use kefu_judge::score::judge;

fn turn() -> TurnRules {
    TurnRules {
        kind: ScenarioKind::Product,
        jargon: vec!["SKU".into(), "逆向物流".into()],
        facts: vec![FactRule {
            id: "where".into(),
            say: vec!["battery cabinet".into()],
            value: None,
            units: vec![],
        }],
        false_claims: vec![ClaimRule {
            id: "fm".into(),
            say: vec!["AFG supports FM".into()],
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn hit(text: &str, id: &str) -> bool {
    judge(text, Lang::En, &turn(), None).hit(id)
}

#[test]
fn scenario_jargon_stands_on_word_boundaries() {
    assert!(hit("Check the SKU please.", "jargon"));
    assert!(hit("Both SKUs are out of stock.", "jargon"));
    assert!(hit("走逆向物流就行", "jargon"));
    assert!(!hit("A skunk got into the warehouse.", "jargon"));
    assert!(!hit("Our tasku list is long.", "jargon"));
}

#[test]
fn facts_and_false_claims_stand_on_word_boundaries() {
    assert!(hit("It fits battery cabinets.", "facts"));
    assert!(hit("It fits a battery cabinet.", "facts"));
    assert!(!hit("It fits battery cabinetry.", "facts"));
    let j = judge("The AFG supports FM.", Lang::En, &turn(), None);
    assert!(
        !j.principles["facts"].evidence.is_empty(),
        "the false claim is marked"
    );
    let j = judge(
        "The AFG supports FMX, a battery cabinet.",
        Lang::En,
        &turn(),
        None,
    );
    assert!(j.hit("facts"), "FMX is another word: no false claim");
}
