//! Blame by structure: a cause put on a third party (or out of the agent's hands) plus the
//! customer sent to it is the handbook's textbook case; either alone is blame when the reply
//! takes nothing on (no ownership, no remedy).

use super::{any, has, promote, Spans, DEFLECT, THIRD_PARTY};
use kefu_core::principles::PrincipleId::{self, *};

const TAKES_ON: &[PrincipleId] = &[Ownership, Solution];

pub fn apply(spans: &mut Spans) {
    let cause = has(spans, THIRD_PARTY);
    let sent = has(spans, DEFLECT);
    if (cause && sent) || ((cause || sent) && !any(spans, TAKES_ON)) {
        promote(spans, THIRD_PARTY, Blame);
        promote(spans, DEFLECT, Blame);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::Blame;

    fn blame(t: &str) -> bool {
        detect(t, Lexicon::builtin(), &Context::default()).findings[&Blame].hit
    }

    #[test]
    fn a_cause_on_a_third_party_with_a_deflection_is_blame() {
        assert!(blame("补发时效是快递决定的,您问问快递吧。"));
        assert!(blame("I can't give you a date, it depends on the courier."));
        assert!(blame("技术参数我们客服不清楚,您找销售工程师吧"));
        assert!(blame("Please file a claim with the courier."));
    }

    #[test]
    fn a_cause_stated_while_taking_the_case_on_is_not() {
        assert!(!blame("快递在途中延误了,我来帮您催。"));
        assert!(!blame("我这边马上联系快递,明天给您补发。"));
    }
}
