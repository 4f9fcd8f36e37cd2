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

    #[test]
    fn an_emoji_after_a_jab_is_rude() {
        assert!(rude("那您运气也太差了吧😂"));
        assert!(!rude("不好意思让您久等了,能退的,七天之内吊牌完好就行😊"));
    }
}
