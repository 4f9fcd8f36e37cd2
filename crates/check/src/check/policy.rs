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
                msg!(
                    "check.unknown_shop_rule_hint",
                    a = k.get_ref(),
                    hint = hint,
                    b = List::of(&ids)
                ),
            );
        } else if !(*v.get_ref() > 0.0 && *v.get_ref() <= 1e6) {
            ck.err(v, msg!("check.shop_rule_s_value"));
        } else {
            out.insert(k.get_ref().clone(), *v.get_ref());
        }
    }
    out
}
