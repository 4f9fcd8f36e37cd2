//! Names and titles (`address`): "Mr. Wang", "Hi Sarah,", "…, Sarah." in English (a scan of
//! the original text, where case tells a name), the scenario's names for the customer, and
//! the rule for 亲 as an address.

use super::scan::{is_word_char, Scan};
use crate::lexicon::{Hit, Owner};
use crate::rules::Spans;
use crate::text::{self, Folded};
use kefu_core::principles::PrincipleId::Address;

/// Capitalised words that stand where a name could (", Sure.", "Thanks,") but are not names.
const NOT_NAMES: &[&str] = &[
    "There",
    "Team",
    "Everyone",
    "Everybody",
    "All",
    "Again",
    "So",
    "For",
    "Thanks",
    "Thank",
    "Sir",
    "Madam",
    "Friend",
    "Friends",
    "Folks",
    "Guys",
    "Yes",
    "No",
    "Yeah",
    "Yep",
    "Nope",
    "Ok",
    "Okay",
    "Sorry",
    "Please",
    "Best",
    "Regards",
    "Cheers",
    "Customer",
    "We",
    "I",
    "You",
    "It",
    "This",
    "That",
    "Well",
    "Sure",
    "Today",
    "Tomorrow",
    "Yesterday",
    "Soon",
    "Too",
    "Though",
    "Anyway",
    "Also",
    "However",
    "Honestly",
    "Unfortunately",
    "Fortunately",
    "Hmm",
    "Oh",
    "Ah",
    "Aw",
    "Wow",
    "Ugh",
    "Hey",
    "Hi",
    "Hello",
    "Dear",
    "Great",
    "Good",
    "Fine",
    "Right",
    "Alright",
    "Absolutely",
    "Definitely",
    "Actually",
    "Otherwise",
    "Meanwhile",
    "Then",
    "Now",
    "Here",
    "Indeed",
    "Exactly",
    "Agreed",
    "Noted",
    "Understood",
    "Done",
    "Perfect",
    "Sadly",
    "Luckily",
    "Basically",
    "Finally",
    "First",
    "Second",
    "Next",
    "Lastly",
    "Besides",
    "Still",
    "Yet",
    "Instead",
    "Otherwise",
    "Plus",
    "Buddy",
    "Man",
    "Dude",
    "Mate",
    "Bro",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Christmas",
    "Easter",
    "English",
    "Chinese",
    "God",
    "Lol",
    "Haha",
    "Sweetie",
    "Honey",
    "Dear",
    "Love",
    "Hun",
    "Sis",
    "Bud",
    "Pal",
    "People",
    "Either",
    "Both",
    "Unless",
    "Because",
    "Since",
    "If",
    "When",
    "Where",
    "Why",
    "How",
    "What",
    "Which",
    "Who",
    "Whatever",
    "Whoever",
    "And",
    "But",
    "Or",
    "Not",
    "Only",
    "Just",
    "Even",
    "Maybe",
    "Perhaps",
    "Certainly",
    "Surely",
    "Totally",
    "Really",
    "Seriously",
    "Overall",
    "Sincerely",
    "Kind",
    "Warm",
    "Welcome",
    "Congrats",
    "Congratulations",
    "Regardless",
    "Nevertheless",
    "Besides",
];

const TITLES: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Captain",
    "Capt",
    "Professor",
    "Prof",
    "Officer",
    "Coach",
    "Doctor",
    "Mx",
];

const GREETINGS: &[&str] = &["Hi", "Hello", "Hey", "Dear"];

/// 亲 as an address stands alone (亲,…), 先生/女士 follow a surname or stand at a greeting.
pub(super) fn address_ok(text: &str, h: &Hit) -> bool {
    let cue = &text[h.start..h.end];
    if cue == "亲" {
        let next = text[h.end..].chars().next();
        let prev = text[..h.start].chars().next_back();
        let after_word = [
            "请", "谢谢", "感谢", "多谢", "让", "给", "帮", "祝", "哦", "呢", "的",
        ]
        .iter()
        .any(|w| text[..h.start].ends_with(w));
        return matches!(
            next,
            None | Some(',' | '.' | '!' | '~' | ' ' | '们' | '爱' | '的' | '?')
        ) || matches!(prev, None | Some(',' | '.' | ' ' | '!'))
            || after_word
            || matches!(next, Some(c) if !text::is_cjk(c));
    }
    true
}

impl Scan {
    /// A capitalised name `[A-Z][a-z]+` starting at `i`: its end.
    fn name_at(&self, i: usize) -> Option<usize> {
        if !self.at(i)?.is_ascii_uppercase() {
            return None;
        }
        let mut j = i + 1;
        while self.at(j).is_some_and(|c| c.is_ascii_lowercase()) {
            j += 1;
        }
        (j > i + 1).then_some(j)
    }
    fn not_a_name(&self, s: usize, e: usize) -> bool {
        let w: String = self.chars[s..e].iter().collect();
        NOT_NAMES.contains(&w.as_str())
    }
    /// "Mr. Wang", "Hi Sarah,", "…, Sarah." — char spans of the names.
    pub(super) fn names(&self) -> Vec<(usize, usize)> {
        let words = self.words();
        let mut out = Vec::new();
        for (k, &(s, e)) in words.iter().enumerate() {
            let after_ws = |mut j: usize| {
                while self.at(j).is_some_and(char::is_whitespace) {
                    j += 1;
                }
                j
            };
            // Title + name.
            if TITLES.iter().any(|t| self.word_is((s, e), t))
                && !self.at(s.wrapping_sub(1)).is_some_and(is_word_char)
            {
                let mut j = e;
                if self.at(j) == Some('.') {
                    j += 1;
                }
                let n = after_ws(j);
                if n > j {
                    if let Some(ne) = self.name_at(n) {
                        out.push((s, ne));
                        continue;
                    }
                }
            }
            // Greeting at the start of a sentence + name.
            let mut g_end = None;
            if GREETINGS.iter().any(|g| self.word_is((s, e), g)) {
                g_end = Some(e);
            } else if self.word_is((s, e), "Good") {
                if let Some(&(s2, e2)) = words.get(k + 1) {
                    if s2 == e + 1
                        && self.at(e) == Some(' ')
                        && ["morning", "afternoon", "evening"]
                            .iter()
                            .any(|w| self.word_is((s2, e2), w))
                    {
                        g_end = Some(e2);
                    }
                }
            }
            if let Some(ge) = g_end {
                let mut b = s;
                while b > 0 && self.chars[b - 1].is_whitespace() && self.chars[b - 1] != '\n' {
                    b -= 1;
                }
                let starts = b == 0 || matches!(self.chars[b - 1], '.' | '!' | '?' | '\n');
                let mut j = ge;
                while matches!(self.at(j), Some(' ' | ',')) {
                    j += 1;
                }
                if starts && j > ge {
                    if let Some(ne) = self.name_at(j) {
                        if !self.at(ne).is_some_and(is_word_char) && !self.not_a_name(j, ne) {
                            out.push((j, ne));
                        }
                    }
                }
            }
        }
        // A vocative: "David, I've …" at the start, or ", Mark." / ", Jenny!" / ", Carlos?"
        // closing a clause.
        let first_word = self
            .chars
            .iter()
            .position(|c| !c.is_whitespace())
            .unwrap_or(self.chars.len());
        for (k, &(s, e)) in words.iter().enumerate() {
            if self.name_at(s) != Some(e) || self.not_a_name(s, e) {
                continue;
            }
            let starts_text = s <= first_word;
            if starts_text && self.at(e) == Some(',') {
                out.push((s, e));
                continue;
            }
            let mut b = s;
            while b > 0 && self.chars[b - 1] == ' ' {
                b -= 1;
            }
            let after_comma = b > 0 && self.chars[b - 1] == ',';
            let closes = self
                .at(e)
                .is_none_or(|c| matches!(c, '.' | '!' | '?' | ',' | '\n'));
            if after_comma && closes {
                out.push((s, e));
                continue;
            }
            // ", Captain Reyes."
            if after_comma && TITLES.iter().any(|t| self.word_is((s, e), t)) {
                if let Some(&(s2, e2)) = words.get(k + 1) {
                    if s2 == e + 1 && self.name_at(s2) == Some(e2) {
                        out.push((s, e2));
                    }
                }
            }
        }
        crate::sort::sort(&mut out);
        out.dedup();
        out
    }
}

/// The names the scenario gives the customer (`customer_names`), wherever the reply uses them.
/// A surname with 先生 is also written the Hong Kong way, the surname with 生 (陈先生 → 陈生,
/// 趙生 folded), not where 生 begins a word (陈生日, 王生气).
pub(super) fn customer_names(folded: &str, names: &[String], spans: &mut Spans) {
    for name in names {
        let n = Folded::fold_pattern(name);
        let hk = n
            .strip_suffix("先生")
            .filter(|s| s.chars().count() == 1)
            .map(|s| format!("{s}生"));
        for n in std::iter::once(n.clone()).chain(hk) {
            if n.chars().count() < 2 {
                continue;
            }
            for (i, _) in folded.match_indices(n.as_str()) {
                let after = folded[i + n.len()..].chars().next();
                if !n.ends_with("先生")
                    && n.ends_with('生')
                    && after.is_some_and(|c| "日气活意产命病".contains(c))
                {
                    continue;
                }
                spans
                    .entry(Owner::Principle(Address))
                    .or_default()
                    .push((i, i + n.len()));
            }
        }
    }
}
