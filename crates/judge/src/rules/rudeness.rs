//! Rudeness by structure: telling the customer how to feel ("calm down") where help should be,
//! and an emoji laughing at the customer in a reply that gives them nothing else.

use super::{any, has, promote, Spans, CALM_DOWN, WRY_EMOJI};
use kefu_core::principles::PrincipleId::{self, *};

/// What counts as giving the customer something.
const HELPS: &[PrincipleId] = &[Apology, Empathy, Ownership, Solution, Probe];
/// For an emoji, an explanation or a question also shows the reply is engaging.
const ENGAGES: &[PrincipleId] = &[
    Apology, Empathy, Ownership, Solution, Explain, Probe, Gratitude,
];

pub fn apply(spans: &mut Spans) {
    if has(spans, CALM_DOWN) && !any(spans, HELPS) {
        promote(spans, CALM_DOWN, Rudeness);
    }
    if has(spans, WRY_EMOJI) && (any(spans, &[Rudeness, Blame]) || !any(spans, ENGAGES)) {
        promote(spans, WRY_EMOJI, Rudeness);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;

    fn rude(t: &str) -> bool {
        detect(t, Lexicon::builtin(), &Context::default()).findings
            [&kefu_core::principles::PrincipleId::Rudeness]
            .hit
    }

    #[test]
    fn calm_down_in_place_of_help_is_rude() {
        assert!(rude("您先冷静一下,我们在处理了。"));
        assert!(rude("Please don't get upset, it's only 10 yuan."));
        assert!(!rude("您别着急,我马上帮您补发,明天发出。"));
        // A worry told away is the same act: alone it dismisses, beside help it comforts.
        assert!(rude("您不用操心这个,肯定没问题的。"));
        assert!(!rude("您不用担心,我今天就给您补发一件。"));
    }

    /// One line per cue added to data/lexicon/rudeness.toml and data/rules/calm_down.toml for
    /// issue #14: said-it-already reproaches, conditional dismissals, "it's no use", taunts at
    /// how small or simple it is, fend for yourself, the complaint made small; look-alikes.
    #[test]
    fn reproaches_dismissals_and_taunts_in_other_words() {
        assert!(rude("上一条说了呀,您往回看。"));
        assert!(rude("您要是嫌慢,那就别在网上买了。"));
        assert!(rude("您急也没用。"));
        assert!(rude("这么简单的事情您都搞不明白?"));
        assert!(rude("您这也太较真了吧。"));
        assert!(rude("您就不能耐心点吗?"));
        assert!(rude("我说了很多次了,您到底听没听?"));
        assert!(rude("咁都唔識?"));
        assert!(rude("你自己搞掂啦。"));
        assert!(rude("唔要就算數。"));
        assert!(rude("您请便。"));
        assert!(rude("要怎么做悉听尊便。"));
        assert!(rude("差评随便。"));
        assert!(rude("Figure it out yourself."));
        assert!(rude("You can check that for yourself."));
        assert!(rude("Do your own research."));
        assert!(rude("Just google it."));
        assert!(rude("As I already mentioned, it ships Friday."));
        assert!(rude("I just told you the price."));
        assert!(rude("I've explained this twice already."));
        assert!(rude("If you don't believe me, that's up to you."));
        assert!(rude("Suit yourself."));
        assert!(rude("Do what you want."));
        assert!(rude("Your call."));
        assert!(rude("I don't have time for this."));
        assert!(rude("What else do you want?"));
        assert!(rude("What do you want me to do?"));
        // The complaint made small, or shouting told off, with nothing else given.
        assert!(rude("你唔好咁大聲啦。"));
        assert!(rude("这不是什么大事。"));
        assert!(rude("多大点事。"));
        assert!(rude("有什么好生气的。"));
        assert!(rude("It's not a big deal."));
        assert!(rude("No big deal."));
        assert!(rude("It's not the end of the world."));
        assert!(rude("These things happen."));
        // Look-alikes: an offer of a refund, the complaint made small beside a remedy.
        assert!(!rude("如果您不想等,我可以帮您直接退款。"));
        assert!(!rude("不是什么大问题,我马上给您补发,明天到。"));
        assert!(!rude("No big deal, I'll send a new one today."));
    }

    #[test]
    fn an_emoji_after_a_jab_is_rude() {
        assert!(rude("那您运气也太差了吧😂"));
        assert!(!rude("不好意思让您久等了,能退的,七天之内吊牌完好就行😊"));
    }
}
