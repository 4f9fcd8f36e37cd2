//! Blame by structure: a cause put on a third party (or out of the agent's hands) plus the
//! customer sent to it is the handbook's textbook case; either alone is blame when the reply
//! takes nothing on (no ownership, no remedy). So is a rule, process or price declared final
//! (规定就是这样, that's how it works: principles.md's defensive denial); beside a remedy or
//! the case taken on it is the policy stated, not a way out.

use super::{any, has, promote, Spans, DEFLECT, FINAL_RULE, THIRD_PARTY};
use kefu_core::principles::PrincipleId::{self, *};

const TAKES_ON: &[PrincipleId] = &[Ownership, Solution];

pub fn apply(spans: &mut Spans) {
    let cause = has(spans, THIRD_PARTY);
    let sent = has(spans, DEFLECT);
    if (cause && sent) || ((cause || sent) && !any(spans, TAKES_ON)) {
        promote(spans, THIRD_PARTY, Blame);
        promote(spans, DEFLECT, Blame);
    }
    if has(spans, FINAL_RULE) && !any(spans, TAKES_ON) {
        promote(spans, FINAL_RULE, Blame);
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

    /// A supposition that the customer, or customers in general, slipped (data/lexicon/blame.toml,
    /// `suppose`…`slip`): one line per shape, and what the customer may not have had yet or
    /// may do next, which is no slip.
    #[test]
    fn a_supposed_slip_of_the_customer_is_blame() {
        assert!(blame("别家拒您可能是您超时了吧。"));
        assert!(blame("有时候顾客会不小心点错的,您先确认一下。"));
        assert!(blame("Maybe you missed the technician's call?"));
        assert!(blame("You may have looked at the wrong listing."));
        assert!(blame("You could have used a laundromat in the meantime."));
        assert!(blame("Sometimes customers select the wrong variant."));
        assert!(!blame("可能您还没收到短信,我再发一次。"));
        assert!(!blame("很多顾客都没注意到这个功能,我给您介绍一下。"));
        assert!(!blame("Maybe you can use a laundromat until then?"));
        assert!(!blame("You may have it by Friday."));
    }

    /// data/rules/final_rule.toml: a rule or price declared final is blame where nothing is
    /// taken on; with the case taken on or a remedy (a policy's terms) it is not.
    #[test]
    fn a_rule_declared_final_is_blame_only_when_nothing_is_taken_on() {
        assert!(blame("我们是官方店,价格就是这样的。"));
        assert!(blame("規矩就係規矩,退貨運費買家出。"));
        assert!(blame("规定就这么写的,您看着办。"));
        assert!(blame("Rules are rules."));
        assert!(blame("That's just how it works."));
        assert!(!blame("规定就这么写的,我帮您申请退货。"));
        assert!(!blame("流程就是这样:先退货再退款,退款3个工作日内到账。"));
        assert!(!blame(
            "That's the policy, but I'll process your refund today."
        ));
        // A customer's slip said outright stays blame beside a remedy, final words or not.
        assert!(blame("您就这样没看尺码表就下单了,我给您换一个吧。"));
    }

    /// One line per role cue added to data/rules/{third_party,deflect}.toml for issue #14: the
    /// party's own fault (发错, 整烂, the courier broke it), what the agent's side cannot do,
    /// the customer sent to "them" in any wording.
    #[test]
    fn third_party_fault_and_deflection_in_other_words() {
        assert!(blame("是仓库那边发错了,不归我们客服管。"));
        assert!(blame("係速遞整爛嘅,你自己搵佢哋索償。"));
        assert!(blame("系统出的错,我这边也处理不了。"));
        assert!(blame("呢個要問倉庫,我哋客服管唔到。"));
        assert!(blame("快递公司的锅,您去找他们吧。"));
        assert!(blame("是物流延误,您跟物流沟通一下。"));
        assert!(blame(
            "It was damaged by the courier, please contact them for a claim."
        ));
        assert!(blame("The warehouse sent the wrong item."));
        assert!(blame("The delay is on the carrier's side."));
        assert!(blame("It's up to the warehouse."));
        assert!(blame("That's between you and the courier."));
        assert!(blame("The system made the error, I can't fix it."));
        assert!(blame("That's not something customer service handles."));
        assert!(blame("Sorry, it's not up to me."));
        assert!(blame("That's beyond our control."));
        assert!(blame("I have no control over the schedule."));
        assert!(blame("You'll need to reach out to the bank."));
        // Look-alikes: the agent contacts them and takes the case on.
        assert!(!blame("我这边联系快递,明天给您答复。"));
        assert!(!blame(
            "The courier delayed it; I'll contact them now and update you by 5pm."
        ));
    }

    #[test]
    fn a_cause_stated_while_taking_the_case_on_is_not() {
        assert!(!blame("快递在途中延误了,我来帮您催。"));
        assert!(!blame("我这边马上联系快递,明天给您补发。"));
    }
}
