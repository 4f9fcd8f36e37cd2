//! Ownership by structure: the case routed to other staff (小沃为您转交工作人员核查, 记录并反馈给
//! 工程师: `role.route`) is not taken on unless the customer will hear back (principles.md:
//! ownership does not count "handing the case to other staff unless the agent will report the
//! result back"). Without a follow-up, the ownership cues in the routing's clause are dropped
//! here, and the learned ownership head adds none (`learned::held`); with one,
//! `detect::handoff` has made the handing-on ownership.

use super::{has, Facts, Spans, ROUTE};
use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId::{FollowUp, Ownership};

/// Whether the reply routes the case without a report back (`spans` as the rules have them).
pub(crate) fn routed_away(spans: &Spans) -> bool {
    has(spans, ROUTE) && !has(spans, Owner::Principle(FollowUp))
}

pub fn apply(spans: &mut Spans, facts: &Facts) {
    if !routed_away(spans) {
        return;
    }
    // The clause of each routing (小沃为您转交工作人员核查: its persona and 为您 are the routing's
    // too), or the routing itself where it is in no stated clause.
    let routes: Vec<(usize, usize)> = spans[&ROUTE]
        .iter()
        .map(|&(rs, re)| {
            facts
                .stated
                .iter()
                .copied()
                .find(|&(cs, ce)| cs <= rs && re <= ce)
                .unwrap_or((rs, re))
        })
        .collect();
    if let Some(v) = spans.get_mut(&Owner::Principle(Ownership)) {
        v.retain(|&(s, e)| !routes.iter().any(|&(rs, re)| s < re && rs < e));
        if v.is_empty() {
            spans.remove(&Owner::Principle(Ownership));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::Ownership;

    fn owns(t: &str) -> bool {
        detect(t, Lexicon::builtin(), &Context::default()).findings[&Ownership].hit
    }

    #[test]
    fn routing_the_case_is_ownership_only_with_a_report_back() {
        assert!(!owns(
            "请您私信提供手机号码,小沃为您转交工作人员核查,谢谢。"
        ));
        assert!(!owns("好的,我们会为您记录并反馈给技术人员的。"));
        // A report back: the handing-on is taken on.
        assert!(owns(
            "我们已为您转交工作人员核查,核实结果后将第一时间回复您。"
        ));
        // Ownership elsewhere in the reply stands.
        assert!(owns("我马上帮您催一下快递,这个问题也反馈给相关部门。"));
    }
}
