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

    /// One line per cue added to data/lexicon/blame.toml for issue #14 (structure: the
    /// customer's own slip, a denial of what was said or done, the agent vouching for their
    /// own manner, a conditional apology), and their look-alikes.
    #[test]
    fn customer_slips_and_defensive_denials() {
        assert!(blame("您签收前没检查包装吧。"));
        assert!(blame("肯定是您家里电压不稳。"));
        assert!(blame("我可没说过包邮。"));
        assert!(blame("我沒有敷衍您,我一直在回答。"));
        assert!(blame("我什麼時候說過三天到?"));
        assert!(blame("我已经很客气了。"));
        assert!(blame("如果您觉得被冒犯了,那我道歉。"));
        assert!(blame("抱歉你会这样认为。"));
        assert!(blame("You must have misread the size chart."));
        assert!(blame("You didn't select the right colour."));
        assert!(blame("I never said it would arrive today."));
        assert!(blame("I'm not being rude, that's the policy."));
        assert!(blame("I'm just telling you how it works."));
        assert!(blame("There is no attitude, the parcel is on the way."));
        assert!(blame("I've been nothing but polite."));
        // Look-alikes: a question about the step, the customer cleared, an apology for rushing.
        assert!(!blame("您看一下有没有装好?"));
        assert!(!blame("您没选错,是我们发错了,今天给您补发。"));
        assert!(!blame("I'm sorry, I didn't mean to rush you."));
    }

    #[test]
    fn a_cause_stated_while_taking_the_case_on_is_not() {
        assert!(!blame("快递在途中延误了,我来帮您催。"));
        assert!(!blame("我这边马上联系快递,明天给您补发。"));
    }
}
