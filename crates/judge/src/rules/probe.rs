//! Probe by structure: a question that checks the customer is satisfied now (`close`: 您看这样
//!可以吗?, does that work for you?) closes; it does not ask the customer for information about
//! their case (principles.md: "您看这样可以吗? after a remedy — close, not probe"). A probe span
//! that a close cue overlaps is dropped. And in a reply that blames or is rude, with no apology
//! or empathy, a question accuses or taunts (试衣服还要剪吊牌?, 您要不要问一下您的银行?): it asks
//! for nothing about the case, so it is no probe either.

use super::{any, Spans};
use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId::{self, *};

/// A reply doing one of these puts something to the customer…
const ACCUSES: &[PrincipleId] = &[Blame, Rudeness];
/// …unless it also meets them (then its questions may still ask).
const MEETS: &[PrincipleId] = &[Apology, Empathy];

pub fn apply(spans: &mut Spans) {
    if any(spans, ACCUSES) && !any(spans, MEETS) {
        spans.remove(&Owner::Principle(Probe));
        return;
    }
    let close: Vec<(usize, usize)> = spans
        .get(&Owner::Principle(Close))
        .cloned()
        .unwrap_or_default();
    if close.is_empty() {
        return;
    }
    // Linear-logarithmic however many questions the reply holds.
    super::drop_overlapping(spans, Owner::Principle(Probe), close);
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::{Close, Probe};

    fn hits(t: &str) -> (bool, bool) {
        let f = detect(t, Lexicon::builtin(), &Context::default()).findings;
        (f[&Probe].hit, f[&Close].hit)
    }

    #[test]
    fn a_satisfaction_check_closes_and_does_not_probe() {
        assert_eq!(hits("明天上午给您补发一件,您看这样可以吗?"), (false, true));
        assert_eq!(hits("请问您的收货地址是哪里?"), (true, false));
    }

    #[test]
    fn a_question_in_a_blaming_reply_does_not_probe() {
        assert!(!hits("是您自己没看清楚吧?您到底看没看详情页?").0);
        assert!(hits("抱歉,是我们没说清楚。您看的是哪一页?").0);
    }
}
