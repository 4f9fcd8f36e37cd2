//! The shop's rules (`[policy]`): each key a rule of `data/policy.toml`, each value above 0.

use super::*;

/// The scenario's `[policy]`, every rule checked (an unknown one with the nearest suggested).
pub(super) fn policy(ck: &mut Checker, raw: &RawScenario) -> BTreeMap<String, f64> {
    let ids = kefu_judge::policy::rule_ids();
    let mut out = BTreeMap::new();
    for (k, v) in &raw.policy {
        if !ids.contains(&k.get_ref().as_str()) {
            let hint = suggest(k.get_ref(), ids.iter().copied());
            ck.err(
                k,
                format!(
                    "unknown shop rule `{}`{hint} (the rules: {})",
                    k.get_ref(),
                    ids.join(", ")
                ),
            );
        } else if !(*v.get_ref() > 0.0 && *v.get_ref() <= 1e6) {
            ck.err(v, "a shop rule's value is a number above 0 (in the unit its name says: months, days, yuan, hours)");
        } else {
            out.insert(k.get_ref().clone(), *v.get_ref());
        }
    }
    out
}
