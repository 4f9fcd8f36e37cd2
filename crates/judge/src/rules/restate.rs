//! Restate by structure: an acknowledgement opening a sentence (明白了, 了解, got it) that goes
//! on to say the customer's own point back — the sentence shares at least `ECHO` words with the
//! customer's line (`Facts::echoes`: CJK character pairs, Latin words of four letters or more) —
//! confirms what the agent heard (principles.md: restate, a lead-in that presents the customer's
//! view). An acknowledgement alone, or one followed by anything else, does not; nor does an
//! echo without the acknowledgement (it may only set up an apology). (Also leaving out a
//! sentence that apologises or empathises was tried: tuning 0.939 -> 0.947, validation 0.640 ->
//! 0.612, dropped.)

use super::{Facts, Spans, ACK};
use crate::lexicon::Owner;
use kefu_core::principles::PrincipleId::Restate;

/// Shared words a sentence needs to say the customer's point back (an order number or one
/// word is no restatement).
pub const ECHO: usize = 3;

pub fn apply(spans: &mut Spans, facts: &Facts) {
    let Some(acks) = spans.get(&ACK) else {
        return;
    };
    let mut found = Vec::new();
    for &(s, e) in acks {
        let i = facts.sentences.partition_point(|&(_, end)| end <= s);
        let (Some(&(start, end)), Some(&n)) = (facts.sentences.get(i), facts.echoes.get(i)) else {
            continue;
        };
        if facts.opens.get(i) == Some(&s) && n >= ECHO && e < end {
            found.push((start, end));
        }
    }
    if !found.is_empty() {
        spans
            .entry(Owner::Principle(Restate))
            .or_default()
            .extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::{detect, Context};
    use crate::lexicon::Lexicon;
    use kefu_core::principles::PrincipleId::Restate;

    fn restates(said: &str, t: &str) -> bool {
        let cx = Context {
            customer_said: Some(said),
            ..Context::default()
        };
        detect(t, Lexicon::builtin(), &cx).findings[&Restate].hit
    }

    #[test]
    fn an_acknowledgement_that_says_the_customer_s_words_back_restates() {
        let said = "榨汁机插上电完全没反应,灯也不亮!";
        assert!(restates(
            said,
            "明白了,完全没反应,灯也不亮。您先把杯子拧紧试试。"
        ));
        assert!(restates(
            "The blender doesn't turn on at all, no lights either.",
            "Got it, the blender doesn't turn on and there are no lights. Please check the cup."
        ));
        // The acknowledgement alone, other words after it, or the echo without it: no.
        assert!(!restates(said, "明白了。您先把杯子拧紧试试。"));
        assert!(!restates(said, "明白了,我马上给您换一台。"));
        assert!(!restates(said, "完全没反应,灯也不亮,真的很抱歉。"));
    }

    /// The customer's worry put back as theirs (data/lexicon/restate.toml, one line per cue):
    /// asked as a check, or named in English; a bare fact after "so" is not.
    #[test]
    fn the_customer_s_worry_put_back_restates() {
        let said = "这个价格我还得想想,怕买了不合适。";
        assert!(restates(said, "您是担心尺码不合适吗?"));
        assert!(restates(said, "So your main worry is the price."));
        assert!(restates(said, "So what's bothering you is the wait."));
        assert!(!restates(said, "So the price is 20 yuan."));
    }
}
