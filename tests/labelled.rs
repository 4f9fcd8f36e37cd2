//! The scorer on our own labelled replies (`tests/data/labelled.jsonl`: Simplified, Traditional
//! and English agent replies with hard cases, labelled per principle by `principles.md`): every
//! principle keeps F1 ≥ 0.9 (issue #3's target), so a lexicon or rule change that breaks what a
//! trainee relies on fails here, not only in `make eval`'s report.

use kefu_core::principles::Lang;
use kefu_judge::score;
use serde_json::Value;
use std::collections::BTreeMap;

#[test]
fn every_principle_keeps_f1_of_at_least_0_9_on_the_labelled_set() {
    let src = std::fs::read_to_string("tests/data/labelled.jsonl").expect("labelled set");
    // principle → (true positives, false positives, false negatives)
    let mut counts: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let mut n = 0;
    for line in src.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("each line is JSON");
        let text = v["text"].as_str().expect("text");
        // As `make eval` reads it: the line's language, else the detected one.
        let code = v["lang"]
            .as_str()
            .unwrap_or_else(|| kefu_judge::text::detect_lang(text));
        let lang = Lang::parse(code).unwrap_or(Lang::En);
        let j = score::score(text, lang);
        n += 1;
        for (k, g) in v["labels"].as_object().expect("labels") {
            let gold = g.as_f64().expect("0 or 1") >= 0.5;
            let c = counts.entry(k.clone()).or_default();
            match (gold, j.hit(k)) {
                (true, true) => c.0 += 1,
                (false, true) => c.1 += 1,
                (true, false) => c.2 += 1,
                (false, false) => {}
            }
        }
    }
    assert!(
        n >= 300,
        "the labelled set has {n} replies (issue #3 asks for 300)"
    );
    assert_eq!(counts.len(), 13, "{:?}", counts.keys());
    let mut low = Vec::new();
    for (k, &(tp, fp, fn_)) in &counts {
        let f1 = 2.0 * f64::from(tp) / f64::from(2 * tp + fp + fn_).max(1.0);
        if f1 < 0.9 {
            low.push(format!("{k}: F1 {f1:.3} (tp {tp}, fp {fp}, fn {fn_})"));
        }
    }
    assert!(low.is_empty(), "below 0.9: {low:?}");
}
