//! Question form: whether a sentence asks (a "?", a question particle, an English question
//! shape), where its content starts, whether it is declarative, restates, closes or confirms.
//! What an asking sentence does is `question_kind`'s.

use super::analysis::{is_latin, trim_tail, Analysis, MAX_HIT_BYTES};
use crate::lexicon::{Ctx, Hit};
use crate::text::{self, Seg};

/// The words of `data/questions.toml` that tell a question's form and kind.
#[derive(Debug)]
pub(super) struct Words {
    pub asking_verbs: Vec<String>,
    pub asking_elliptic: Vec<String>,
    pub ne_question_words: Vec<String>,
    pub interjections: Vec<String>,
    pub wh_words: Vec<String>,
    pub declarative_breakers: Vec<String>,
    pub restating_subjects: Vec<String>,
    pub restating_modals: Vec<String>,
    pub opening_offer: Vec<String>,
    pub opening_offer_not: Vec<String>,
    pub checks_number: Vec<String>,
    pub tells: Vec<String>,
    pub offers: Vec<String>,
    pub agreement_checks: Vec<String>,
    pub asking_words_zh: Vec<String>,
    pub first_person: Vec<String>,
    pub number_words: Vec<String>,
    pub hedges: Vec<String>,
    pub vague_tails: Vec<String>,
}

/// `data/questions.toml`, parsed once.
pub(super) fn words() -> &'static Words {
    static W: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    W.get_or_init(|| {
        // Written by the build as a `Words` expression (`crates/data-build.rs`, `QUESTIONS`).
        include!(concat!(env!("OUT_DIR"), "/questions.rs"))
    })
}

/// Is `w` one of `list`?
pub(super) fn one_of(list: &[String], w: &str) -> bool {
    list.iter().any(|x| x == w)
}

impl<'a> Analysis<'a> {
    /// Does the sentence ask: "?" at the end, a question particle (吗/么, or 呢 with a question
    /// word), or an English question shape with no full stop needed ("can you tell me …")?
    pub(super) fn sentence_asks(&self, s: Seg) -> bool {
        let t = trim_tail(s.slice(&self.f.text));
        if t.ends_with('?') {
            return true;
        }
        let core = t.trim_end_matches(['.', '!', '~', ' ', ',']);
        if core.ends_with(['吗', '么']) && !core.ends_with("什么") && !core.ends_with("怎么")
        {
            return true;
        }
        if core.ends_with('呢')
            && words()
                .ne_question_words
                .iter()
                .any(|w| core.contains(w.as_str()))
        {
            return true;
        }
        // A confirmation tag closing a Chinese sentence typed without its "?" (您是说周六要用
        // 对吧, as a phone types it; `analysis::tag_question_ends` ends a sentence there).
        if t.ends_with(text::is_cjk) && !is_latin(t) && self.confirm_tag(s).is_some() {
            return true;
        }
        // English: an interrogative start (after an interjection), no "!", and "you" in it
        // ("Can you tell me what happened" asks; "Do it on your own time" does not), or no
        // closing punctuation at all ("Is the principal strict", typed as in a chat).
        let unpunctuated = t.ends_with(|ch: char| ch.is_ascii_alphanumeric());
        if is_latin(t) && !t.ends_with('!') && (unpunctuated || self.has_ctx(Ctx::SecondPerson, s))
        {
            let start = self.after_interjection(s);
            return self
                .ctx_in(Ctx::InterrogativeStart, start, s.end)
                .any(|h| h.start == start);
        }
        false
    }
    /// Where the sentence's content starts, past "hi, ok, so, and, but, well, also".
    pub(super) fn after_interjection(&self, s: Seg) -> usize {
        self.once(&self.memo.interjection, s, || self.after_interjection_of(s))
    }
    pub(super) fn after_interjection_of(&self, s: Seg) -> usize {
        let t = s.slice(&self.f.text);
        let mut pos = 0;
        loop {
            let rest = &t[pos..];
            let word_len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..word_len];
            if word_len == 0 || !one_of(&words().interjections, word) {
                return s.start + pos;
            }
            let skip = rest[word_len..]
                .find(|c: char| !matches!(c, ' ' | ',' | '.' | '!'))
                .map_or(rest.len(), |i| word_len + i);
            if skip >= rest.len() {
                return s.start + pos;
            }
            pos += skip;
        }
    }
    /// Where the last clause of sentence `s` starts (a question may start there: "ive never
    /// drunk before, whats it like?"), or `start` when no clause is found.
    pub(super) fn last_clause_start(&self, s: Seg, start: usize) -> usize {
        self.clause_of(s.end.saturating_sub(1))
            .map_or(start, |cl| cl.start)
    }
    /// Does an English sentence (or its last clause) open on a question word ("what would you
    /// like to talk about?")?
    pub(super) fn wh_question(&self, s: Seg) -> bool {
        let start = self.after_interjection(s);
        let last_clause = self.last_clause_start(s, start);
        [start, last_clause].into_iter().any(|p| {
            let w = &self.f.text[p..s.end];
            let first = w.split(|ch: char| !ch.is_ascii_alphabetic()).next();
            first.is_some_and(|w| one_of(&words().wh_words, w))
        })
    }
    /// A declarative question (English): it ends in "?" but nothing asks: no verb before
    /// its subject or question word at the start of the sentence or of its last clause, and
    /// no question word anywhere ("I imagine you must be feeling pretty low?").
    pub(super) fn declarative(&self, s: Seg) -> bool {
        self.once(&self.memo.declarative, s, || self.declarative_of(s))
    }
    pub(super) fn declarative_of(&self, s: Seg) -> bool {
        let t = trim_tail(s.slice(&self.f.text));
        if !is_latin(t) || !t.ends_with('?') {
            return false;
        }
        let start = self.after_interjection(s);
        let last_clause = self.last_clause_start(s, start);
        let inverted = self
            .ctx_in(Ctx::InterrogativeStart, start, s.end)
            .any(|h| h.start == start || h.start == last_clause);
        // "And you?" returns the question.
        let returned = matches!(
            self.f.text[start..s.end].trim_end_matches(['?', '!', '.', ' ']),
            "you" | "u" | "yourself"
        );
        !inverted
            && !returned
            && !self.asks_first(s, false)
            && !t
                .split(|ch: char| !ch.is_ascii_alphabetic())
                .any(|w| one_of(&words().declarative_breakers, w))
    }
    /// Does the sentence open the way a restatement does: on "so" ("So the parcel came
    /// back?") or on the customer as its subject, not with a modal ("You're after a refund?",
    /// "Your order never came?"; "You could try …?" suggests)?
    pub(super) fn restating_frame(&self, s: Seg) -> bool {
        let start = self.after_interjection(s);
        let words = |t: &'a str| {
            t.split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
                .filter(|w| !w.is_empty())
        };
        if words(&self.f.text[s.start..start]).any(|w| w == "so") {
            return true;
        }
        let mut rest = words(&self.f.text[start..s.end]);
        let first = rest.next().unwrap_or("");
        let second = rest.next().unwrap_or("");
        one_of(&self::words().restating_subjects, first)
            && !one_of(&self::words().restating_modals, second)
    }
    /// Does the sentence or its last clause open the way a question does: a verb before its
    /// subject ("Did something happen …?", "Don't you have …?") or an elliptic question
    /// ("Anything on your mind?", "Anyone you can talk to?")?
    /// With `verb_only`, only a verb before its subject counts.
    pub(super) fn asks_first(&self, s: Seg, verb_only: bool) -> bool {
        let start = self.after_interjection(s);
        // "There are …" states ("there" is skipped as in "hi there, are you …").
        let stated = self.f.text[s.start..start].ends_with("there ");
        let last_clause = self.last_clause_start(s, start);
        [(start, stated), (last_clause, false)]
            .into_iter()
            .any(|(p, stated)| {
                let first = self.f.text[p..s.end]
                    .split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
                    .next()
                    .unwrap_or("");
                let w = words();
                !stated
                    && (one_of(&w.asking_verbs, first)
                        || (!verb_only && one_of(&w.asking_elliptic, first)))
            })
    }
    /// An offer of help opening the reply ("Hi, how can I help you today?", "您好,请问有什么
    /// 可以帮您?") asks for the customer's case; only "anything else?" and the like close.
    /// Opening: at most a greeting or a pleasantry before it (a few words, no question).
    pub(super) fn opening_offer(&self, s: Seg) -> bool {
        // The opening ends where the text so far holds a "?", over 6 words or over 10 CJK
        // chars; found once, not recounted before every sentence.
        let opening_end = *self.memo.opening_end.get_or_init(|| {
            let (mut words, mut cjk, mut prev_space) = (0, 0, true);
            for (i, ch) in self.f.text.char_indices() {
                let space = ch.is_whitespace();
                words += usize::from(!space && prev_space);
                cjk += usize::from(text::is_cjk(ch));
                prev_space = space;
                if ch == '?' || words > 6 || cjk > 10 {
                    return i + ch.len_utf8();
                }
            }
            usize::MAX
        });
        if s.start >= opening_end {
            return false;
        }
        let t = s.slice(&self.f.text);
        let has = |ws: &[String]| {
            ws.iter().any(|w| {
                if w.is_ascii() {
                    t.split(|ch: char| !ch.is_ascii_alphabetic())
                        .any(|x| x == w)
                } else {
                    t.contains(w.as_str())
                }
            })
        };
        (has(&words().opening_offer) || t.contains("do for you"))
            && !has(&words().opening_offer_not)
    }
    /// Closes the conversation ("anything else?"), unless it is an offer of help opening it.
    pub(super) fn closes(&self, s: Seg) -> bool {
        self.has_ctx(Ctx::Closing, s) && !self.opening_offer(s)
    }
    /// Is the char at `pos` in a question? The last clause of an asking sentence is; in
    /// English every clause of it is ("Have you tried X, or Y?").
    pub(super) fn in_question(&self, pos: usize) -> bool {
        let i = self.sentence_index(pos);
        if !self.asks.get(i).copied().unwrap_or(false) {
            return false;
        }
        let Some(s) = self.sentences.get(i) else {
            return false;
        };
        let Some(cl) = self.clause_of(pos) else {
            return true;
        };
        cl.end >= s.end || *self.memo.latin[i].get_or_init(|| is_latin(s.slice(&self.f.text)))
    }
    /// A Chinese question that checks a number the agent holds ("请问您的手机号码是186****7650
    /// 对吗?"): echoing a number is not a restatement, the customer is asked to confirm it.
    pub(super) fn checks_number(&self, s: Seg) -> bool {
        let t = s.slice(&self.f.text);
        if is_latin(t) {
            return false;
        }
        let mut run = 0;
        t.chars().any(|ch| {
            run = if ch.is_ascii_digit() || ch == '*' {
                run + 1
            } else {
                0
            };
            run >= 6
        }) || words().checks_number.iter().any(|w| t.contains(w.as_str()))
    }
    /// A question that puts the customer's point back for confirmation: a confirmation tag,
    /// unless the sentence only checks a number.
    pub(super) fn confirms_point(&self, s: Seg) -> bool {
        self.confirm_tag(s).is_some() && !self.checks_number(s)
    }
    /// A confirmation tag closing the sentence ("…,对吗?", "…, is that right?").
    pub(super) fn confirm_tag(&self, s: Seg) -> Option<&&'a Hit> {
        let t = trim_tail(s.slice(&self.f.text)).trim_end_matches(['?', '.', '!', '~', ' ']);
        let end = s.start + t.len();
        // A tag standing as its own sentence after a summary ("… Is that right?") confirms it.
        let after_summary = s.start > 0 && self.sentences.first().is_some_and(|f| f.end <= s.start);
        let start = self.after_interjection(s);
        // Only a tag ending near the end can close it: look there, not through every tag.
        let near = end.saturating_sub(2 + MAX_HIT_BYTES).max(s.start);
        self.ctx_in(Ctx::ConfirmTag, near, s.end).find(|h| {
            h.end + 2 >= end
                && h.end <= s.end
                && (h.start >= s.start + 3 || (after_summary && h.start == start))
        })
    }
}
