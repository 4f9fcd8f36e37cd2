//! Ownership by structure: the case routed to other staff (小沃为您转交工作人员核查, 记录并反馈给
//! 工程师: `role.route`, its cues reaching back over 为您 and 记录 before the hand-over) is not
//! taken on unless the customer will hear back (principles.md: ownership does not count
//! "handing the case to other staff unless the agent will report the result back"). Without a
//! follow-up, the ownership cues that overlap a routing are dropped here, after the rules that
//! read ownership (a routing still does something for the customer: it is no blame's or
//! rudeness's "takes nothing on"), and the learned ownership head adds none to the reply
//! (`learned::held`); with one, `detect::handoff` has made the handing-on ownership.
//! Linear-logarithmic (`rules::drop_overlapping`, as `probe.rs` drops the probes a close
//! overlaps).

use super::{has, Spans, ROUTE};
use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId::{FollowUp, Ownership};

/// Whether the reply routes the case without a report back (`spans` as the rules have them).
pub(crate) fn routed_away(spans: &Spans) -> bool {
    has(spans, ROUTE) && !has(spans, Owner::Principle(FollowUp))
}

pub fn apply(spans: &mut Spans) {
    if !routed_away(spans) {
        return;
    }
    let routes = spans[&ROUTE].clone();
    super::drop_overlapping(spans, Owner::Principle(Ownership), routes);
    if spans
        .get(&Owner::Principle(Ownership))
        .is_some_and(Vec::is_empty)
    {
        spans.remove(&Owner::Principle(Ownership));
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
        // Ownership elsewhere in the reply, or in the same clause before the routing, stands.
        assert!(owns("我马上帮您催一下快递,这个问题也反馈给相关部门。"));
        assert!(owns("我马上帮您催一下快递并反馈给相关部门。"));
        assert!(owns(
            "请您私信提供手机号码,以便我们为您核实并转交相关部门处理。"
        ));
    }

    /// A routing is not taken on, but it is not nothing either: it makes no blame of a cause
    /// stated, and no rudeness of a "calm down", that ownership would have held back.
    #[test]
    fn routing_the_case_makes_no_blame_or_rudeness() {
        let judged = |t: &str| detect(t, Lexicon::builtin(), &Context::default()).findings;
        use kefu_core::principles::PrincipleId::{Blame, Rudeness};
        for t in [
            "这是快递的问题,我帮您反馈给相关部门。",
            "这是快递的问题,我帮您反馈一下。",
        ] {
            assert!(!judged(t)[&Blame].hit, "{t}");
        }
        for t in [
            "您别激动,我已经帮您转交给相关部门了。",
            "您别激动,我已经帮您转交了。",
        ] {
            assert!(!judged(t)[&Rudeness].hit, "{t}");
        }
    }
}
