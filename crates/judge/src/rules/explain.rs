//! Explain by structure: when the customer asked why (or on what grounds), a reply that answers
//! with grounds of its own — two or more stated clauses, with no blame or rudeness — gives the
//! reason, whether or not it says 因为 (001 No:015: explain the reason for what you do). A reply
//! that only asks back, apologises in one line or blames someone else does not.

use super::{any, Facts, Spans};
use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId::{self, *};

/// A reply doing any of these is not answering the "why" with grounds.
const DEFLECTS: &[PrincipleId] = &[Blame, Rudeness];
/// Stated clauses needed: one bare claim ("我们是官方店") asserts, it does not give grounds.
const GROUNDS: usize = 2;

pub fn apply(spans: &mut Spans, facts: &Facts) {
    if !facts.asked_why || facts.stated.len() < GROUNDS || any(spans, DEFLECTS) {
        return;
    }
    spans
        .entry(Owner::Principle(Explain))
        .or_default()
        .extend(facts.stated.iter().copied());
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::Explain;

    fn explains(said: &str, t: &str) -> bool {
        let cx = Context {
            customer_said: Some(said),
            ..Context::default()
        };
        detect(t, Lexicon::builtin(), &cx).findings[&Explain].hit
    }

    #[test]
    fn grounds_given_to_a_why_question_explain() {
        let why = "别家只要80,你们凭什么卖120?";
        assert!(explains(why, "我们是品牌授权店,三年保修,坏了上门修。"));
        assert!(explains(
            "Why is your kettle dearer than theirs?",
            "Ours has a steel inner pot, and each one is leak-tested before it ships."
        ));
        // Asking back, one bare claim, blaming: no grounds given.
        assert!(!explains(why, "您说的是哪一家?"));
        assert!(!explains(why, "我们是品牌授权店。"));
        assert!(!explains(why, "价格是厂家定的,您去问厂家吧,跟我们没关系。"));
        // The same grounds, when nobody asked why, are not taken as a reason.
        assert!(!explains(
            "能开发票吗?",
            "我们是品牌授权店,三年保修,坏了上门修。"
        ));
    }
}
