//! Principle detectors: lexicon hits plus the context rules a phrase list cannot express —
//! negation scope, quoted speech, blocked look-alikes, question form, rhetorical questions,
//! closings, shouting, explained jargon and names.
//!
//! Never panics; every offset it returns is a `[start, end)` char range of the original text.

use crate::lexicon::{Class, Ctx, Hit, Lexicon, Mode, Owner};
use crate::text::{self, Folded, Seg};
use kefu_core::judgement::Finding;
use kefu_core::principles::PrincipleId::{self, *};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// What the detectors found in one reply.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Every reply principle (and `close`), by id.
    pub findings: BTreeMap<PrincipleId, Finding>,
    /// Index of the sentence each principle first shows in (for `order`).
    pub first_sentence: BTreeMap<PrincipleId, usize>,
    /// Sum of courtesy feature weights found (each times its count).
    pub courtesy_raw: f32,
    /// The reply's language as detected ("zh" or "en").
    pub lang: &'static str,
    pub folded: Folded,
}

/// Extra context for detection: names the customer goes by, jargon the customer used first.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub customer_names: &'a [String],
    /// The customer's last message: jargon the customer used first is not jargon.
    pub customer_said: Option<&'a str>,
    /// Extra jargon terms (folded) and whitelisted terms (folded).
    pub extra_jargon: &'a [String],
    pub allowed_terms: &'a [String],
}

/// How far after a term (in chars) a gloss still explains it.
const JARGON_GLOSS_CHARS: usize = 40;
/// Max gap (in chars) between a negator and the cue it negates.
const NEG_GAP_ZH: usize = 5;
const NEG_GAP_EN: usize = 3; // words

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

/// First words of an English question that asks: auxiliaries and modals before their
/// subject, and the openings of elliptic questions ("Anyone you can talk to?"). Not "care",
/// "want", "need", "got": as often an imperative or an offer as a question.
/// The first `ASKING_VERBS` are verbs; the rest open elliptic questions, which without "you"
/// may ask the room ("Anyone else in the same boat?").
const ASKING_VERBS: usize = 35;
const ASKING_FIRST_WORDS: [&str; 44] = [
    "am",
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "have",
    "has",
    "had",
    "can",
    "could",
    "would",
    "will",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "haven't",
    "hasn't",
    "hadn't",
    "can't",
    "couldn't",
    "wouldn't",
    "won't",
    "shouldn't",
    "any",
    "anything",
    "anyone",
    "anybody",
    "anywhere",
    "someone",
    "somebody",
    "something",
    "yourself",
];

/// Longest span (bytes) one lexicon hit can cover: patterns are short and gaps are bounded.
const MAX_HIT_BYTES: usize = 512;

/// Hits sorted by start, with range queries, so that every context rule is a binary search
/// rather than a scan (1 MB of text must score in well under a second).
struct Sorted<'a>(Vec<&'a Hit>);

impl<'a> Sorted<'a> {
    /// Hits starting in `[a, b)`.
    fn starting_in(&self, a: usize, b: usize) -> &[&'a Hit] {
        let i = self.0.partition_point(|h| h.start < a);
        let j = self.0.partition_point(|h| h.start < b);
        &self.0[i..j.max(i)]
    }
    /// Hits lying wholly inside `[a, b)`.
    fn inside(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a, b).iter().filter(move |h| h.end <= b)
    }
    /// Hits that overlap `[a, b)`.
    fn overlapping(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a.saturating_sub(MAX_HIT_BYTES), b)
            .iter()
            .filter(move |h| h.end > a)
    }
}

struct Ctxs<'a> {
    f: &'a Folded,
    lex: &'a Lexicon,
    cues: Sorted<'a>,
    blocks: Sorted<'a>,
    ctx: BTreeMap<Ctx, Sorted<'a>>,
    clauses: Vec<Seg>,
    sentences: Vec<Seg>,
    /// Per sentence: does it ask (ends in "?", a question particle, or starts like an
    /// English question)?
    asks: Vec<bool>,
    quotes: Vec<(usize, usize)>,
    memo: Memo<'a>,
}

/// What the context rules compute once per reply (or once per sentence) rather than once per
/// cue: a rule asked about every cue of a long sentence must not rescan the sentence each time.
/// Scoring stays linear in the length of the reply whatever it holds.
#[derive(Default)]
struct Memo<'a> {
    /// Per sentence (by index): `after_interjection`, `is_latin`, `declarative`, `probe_ok`.
    interjection: Vec<OnceCell<usize>>,
    latin: Vec<OnceCell<bool>>,
    declarative: Vec<OnceCell<bool>>,
    probe_ok: Vec<OnceCell<bool>>,
    /// Where the opening of the reply ends for `opening_offer`.
    opening_end: OnceCell<usize>,
    /// Prefix counts for the gaps of `negated`.
    gaps: OnceCell<GapCounts>,
    /// Per principle: the negators that can negate its cues.
    negators: RefCell<HashMap<Owner, Rc<Negators<'a>>>>,
    /// Per jargon term: used by the customer first, or allowed by the scenario.
    jargon_known: RefCell<HashMap<&'a str, bool>>,
}

/// The negators that can negate a cue of one principle (not an exception like 是不是, not part
/// of another cue of the principle like 不好意思), sorted by start, and the longest one's length.
struct Negators<'a> {
    hits: Sorted<'a>,
    max_len: usize,
}

/// Counts over every prefix of the folded text, so that the size of any gap (in words, in
/// non-space chars, ASCII or not) is known in constant time.
struct GapCounts {
    /// Before each byte offset: non-ASCII chars, non-space chars, words (runs of non-space).
    non_ascii: Vec<u32>,
    non_space: Vec<u32>,
    word_starts: Vec<u32>,
}

impl GapCounts {
    fn new(t: &str) -> GapCounts {
        let mut g = GapCounts {
            non_ascii: Vec::with_capacity(t.len() + 1),
            non_space: Vec::with_capacity(t.len() + 1),
            word_starts: Vec::with_capacity(t.len() + 1),
        };
        let (mut a, mut s, mut w, mut prev_space) = (0u32, 0u32, 0u32, true);
        for c in t.chars() {
            for _ in 0..c.len_utf8() {
                g.non_ascii.push(a);
                g.non_space.push(s);
                g.word_starts.push(w);
            }
            let space = c.is_whitespace();
            a += u32::from(!c.is_ascii());
            s += u32::from(!space);
            w += u32::from(!space && prev_space);
            prev_space = space;
        }
        g.non_ascii.push(a);
        g.non_space.push(s);
        g.word_starts.push(w);
        g
    }
    /// `t[a..b]` (char boundaries): all ASCII, its `split_whitespace` count, its non-space chars.
    fn measure(&self, t: &str, a: usize, b: usize) -> (bool, u32, u32) {
        let ascii = self.non_ascii[b] == self.non_ascii[a];
        let mid_word = a < b
            && !t[a..].starts_with(char::is_whitespace)
            && t[..a]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace());
        let words = self.word_starts[b] - self.word_starts[a] + u32::from(mid_word);
        (ascii, words, self.non_space[b] - self.non_space[a])
    }
}

fn seg_of(segs: &[Seg], pos: usize) -> Option<Seg> {
    let i = segs.partition_point(|s| s.end <= pos);
    segs.get(i).copied().filter(|s| s.contains(pos))
}

/// Mostly Latin letters: an English sentence or clause.
fn is_latin(t: &str) -> bool {
    let latin = t.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let cjk = t.chars().filter(|c| text::is_cjk(*c)).count();
    latin > 0 && cjk * 3 <= latin
}

/// The sentence without trailing quotes, brackets, emoticons and spaces.
fn trim_tail(t: &str) -> &str {
    t.trim_end_matches([
        '"', '\'', ')', ']', '>', ' ', '~', ':', ';', '*', '(', '^', '-', '_',
    ])
}

/// The length of a cue's evidence: a pattern may end on the word that follows its verb to tell a
/// remedy from its negation ("refund the"); the highlight stops before a trailing article.
fn evidence_len(cue: &str) -> usize {
    for art in [" the", " a", " an"] {
        if let Some(rest) = cue.strip_suffix(art) {
            if !rest.trim().is_empty() {
                return rest.len();
            }
        }
    }
    cue.len()
}

impl<'a> Ctxs<'a> {
    fn new(f: &'a Folded, lex: &'a Lexicon, hits: &'a [Hit]) -> Ctxs<'a> {
        let mut cues = Vec::new();
        let mut blocks = Vec::new();
        let mut ctx: BTreeMap<Ctx, Sorted<'a>> = BTreeMap::new();
        for h in hits {
            match lex.entries[h.entry].class {
                Class::Cue => cues.push(h),
                Class::Block => blocks.push(h),
                Class::Context(c) => ctx.entry(c).or_insert_with(|| Sorted(Vec::new())).0.push(h),
                Class::Courtesy(_) => {}
            }
        }
        let sentences = text::sentences(&f.text);
        fn cells<T>(n: usize) -> Vec<OnceCell<T>> {
            (0..n).map(|_| OnceCell::new()).collect()
        }
        let n = sentences.len();
        let memo = Memo {
            interjection: cells(n),
            latin: cells(n),
            declarative: cells(n),
            probe_ok: cells(n),
            ..Memo::default()
        };
        let mut c = Ctxs {
            f,
            lex,
            cues: Sorted(cues),
            blocks: Sorted(blocks),
            ctx,
            clauses: text::clauses(&f.text),
            sentences,
            asks: Vec::new(),
            quotes: quote_ranges(&f.text),
            memo,
        };
        c.asks = c.sentences.iter().map(|s| c.sentence_asks(*s)).collect();
        c
    }
    fn clause_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.clauses, pos)
    }
    /// A per-sentence result, computed once (`s` is one of the sentences; else computed anew).
    fn once<T: Copy>(&self, cells: &[OnceCell<T>], s: Seg, f: impl FnOnce() -> T) -> T {
        let i = self.sentences.partition_point(|x| x.start < s.start);
        match cells.get(i).filter(|_| self.sentences.get(i) == Some(&s)) {
            Some(cell) => *cell.get_or_init(f),
            None => f(),
        }
    }
    fn sentence_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.sentences, pos)
    }
    fn sentence_index(&self, pos: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= pos)
            .min(self.sentences.len().saturating_sub(1))
    }
    /// Context hits of one kind lying inside `[a, b)`.
    fn ctx_in(&self, ctx: Ctx, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.ctx
            .get(&ctx)
            .into_iter()
            .flat_map(move |s| s.inside(a, b))
    }
    fn has_ctx(&self, ctx: Ctx, s: Seg) -> bool {
        self.ctx_in(ctx, s.start, s.end).next().is_some()
    }
    /// Cue hits of one principle (any mode) lying inside `s`.
    fn cues_of(&self, id: PrincipleId, s: Seg) -> impl Iterator<Item = &&'a Hit> + '_ {
        let owner = Owner::Principle(id);
        self.cues
            .inside(s.start, s.end)
            .filter(move |h| self.lex.entries[h.entry].owner == owner && !self.blocked(h, owner))
    }
    /// Does the sentence ask: "?" at the end, a question particle (吗/么, or 呢 with a question
    /// word), or an English question shape with no full stop needed ("can you tell me …")?
    fn sentence_asks(&self, s: Seg) -> bool {
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
            && [
                "什么",
                "怎么",
                "哪",
                "多少",
                "几",
                "谁",
                "是否",
                "还是",
                "有没有",
                "是不是",
                "如何",
            ]
            .iter()
            .any(|w| core.contains(w))
        {
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
    fn after_interjection(&self, s: Seg) -> usize {
        self.once(&self.memo.interjection, s, || self.after_interjection_of(s))
    }
    fn after_interjection_of(&self, s: Seg) -> usize {
        let t = s.slice(&self.f.text);
        let mut pos = 0;
        loop {
            let rest = &t[pos..];
            let word_len = rest
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(rest.len());
            let word = &rest[..word_len];
            if word_len == 0
                || ![
                    "hi", "hello", "hey", "ok", "okay", "so", "and", "but", "well", "also", "sure",
                    "hmm", "hm", "um", "uh", "yeah", "yes", "yep", "no", "wow", "right", "there",
                    "anyway", "gotcha", "ooh", "oooh", "aww", "aw", "alrighty", "thanks", "cool",
                    "great", "oh", "ah", "alright", "then", "or", "now", "good", "first",
                ]
                .contains(&word)
            {
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
    /// Does an English sentence (or its last clause) open on a question word ("what would you
    /// like to talk about?")?
    fn wh_question(&self, s: Seg) -> bool {
        let start = self.after_interjection(s);
        let last_clause = self
            .clause_of(s.end.saturating_sub(1))
            .map_or(start, |cl| cl.start);
        [start, last_clause].into_iter().any(|p| {
            let w = &self.f.text[p..s.end];
            let first = w.split(|ch: char| !ch.is_ascii_alphabetic()).next();
            first.is_some_and(|w| {
                [
                    "what", "which", "where", "when", "why", "how", "who", "whom",
                ]
                .contains(&w)
            })
        })
    }
    /// A declarative question (English): it ends in "?" but nothing asks: no verb before
    /// its subject or question word at the start of the sentence or of its last clause, and
    /// no question word anywhere ("I imagine you must be feeling pretty low?").
    fn declarative(&self, s: Seg) -> bool {
        self.once(&self.memo.declarative, s, || self.declarative_of(s))
    }
    fn declarative_of(&self, s: Seg) -> bool {
        let t = trim_tail(s.slice(&self.f.text));
        if !is_latin(t) || !t.ends_with('?') {
            return false;
        }
        let start = self.after_interjection(s);
        let last_clause = self
            .clause_of(s.end.saturating_sub(1))
            .map_or(start, |cl| cl.start);
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
            && !t.split(|ch: char| !ch.is_ascii_alphabetic()).any(|w| {
                [
                    "what", "which", "where", "when", "why", "how", "who", "whom", "whose",
                    "whats", "hows", "wheres", "whos", "whys", "whether", "if",
                ]
                .contains(&w)
            })
    }
    /// Does the sentence open the way a restatement does: on "so" ("So the parcel came
    /// back?") or on the customer as its subject, not with a modal ("You're after a refund?",
    /// "Your order never came?"; "You could try …?" suggests)?
    fn restating_frame(&self, s: Seg) -> bool {
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
        ["you", "you're", "youre", "you've", "you'd", "your"].contains(&first)
            && ![
                "could", "should", "might", "may", "can", "must", "would", "will", "need", "ought",
            ]
            .contains(&second)
    }
    /// Does the sentence or its last clause open the way a question does: a verb before its
    /// subject ("Did something happen …?", "Don't you have …?") or an elliptic question
    /// ("Anything on your mind?", "Anyone you can talk to?")?
    /// With `verb_only`, only a verb before its subject counts.
    fn asks_first(&self, s: Seg, verb_only: bool) -> bool {
        let start = self.after_interjection(s);
        // "There are …" states ("there" is skipped as in "hi there, are you …").
        let stated = self.f.text[s.start..start].ends_with("there ");
        let last_clause = self
            .clause_of(s.end.saturating_sub(1))
            .map_or(start, |cl| cl.start);
        [(start, stated), (last_clause, false)]
            .into_iter()
            .any(|(p, stated)| {
                let first = self.f.text[p..s.end]
                    .split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
                    .next()
                    .unwrap_or("");
                let at = ASKING_FIRST_WORDS.iter().position(|w| *w == first);
                !stated && at.is_some_and(|i| !verb_only || i < ASKING_VERBS)
            })
    }
    /// An offer of help opening the reply ("Hi, how can I help you today?", "您好,请问有什么
    /// 可以帮您?") asks for the customer's case; only "anything else?" and the like close.
    /// Opening: at most a greeting or a pleasantry before it (a few words, no question).
    fn opening_offer(&self, s: Seg) -> bool {
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
        let has = |ws: &[&str]| {
            ws.iter().any(|w| {
                if w.is_ascii() {
                    t.split(|ch: char| !ch.is_ascii_alphabetic())
                        .any(|x| x == *w)
                } else {
                    t.contains(w)
                }
            })
        };
        (has(&["help", "assist", "service", "support", "帮", "为您", "为你"])
            || t.contains("do for you"))
            && !has(&[
                "else", "other", "another", "more", "further", "还有", "其他", "其它", "别的",
                "另外", "满意", "疑问",
            ])
    }
    /// Closes the conversation ("anything else?"), unless it is an offer of help opening it.
    fn closes(&self, s: Seg) -> bool {
        self.has_ctx(Ctx::Closing, s) && !self.opening_offer(s)
    }
    /// Is the char at `pos` in a question? The last clause of an asking sentence is; in
    /// English every clause of it is ("Have you tried X, or Y?").
    fn in_question(&self, pos: usize) -> bool {
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
    /// Does the cue stand where its mode allows (outside or inside a question, at a
    /// sentence start)?
    fn mode_ok(&self, h: &Hit) -> bool {
        match self.lex.entries[h.entry].mode {
            Mode::Any => true,
            // A declarative question states the point it checks ("So you were charged
            // twice?"): a restatement cue counts in it.
            Mode::Statement => {
                !self.in_question(h.start)
                    || (self.lex.entries[h.entry].owner == Owner::Principle(Restate)
                        && self
                            .sentence_of(h.start)
                            .is_some_and(|s| self.declarative(s)))
            }
            Mode::Question => self.in_question(h.start),
            Mode::Start => self
                .sentence_of(h.start)
                .is_some_and(|s| self.after_interjection(s) == h.start),
        }
    }
    fn in_quotes(&self, s: usize) -> bool {
        let i = self.quotes.partition_point(|&(_, b)| b <= s);
        self.quotes.get(i).is_some_and(|&(a, b)| s > a && s < b)
    }
    /// Is the negator part of a cue of the same principle (不好意思, 不便) other than `h`?
    fn negator_in_cue(&self, n: &Hit, owner: Owner, h: &Hit) -> bool {
        let exception = self
            .ctx
            .get(&Ctx::NegatorException)
            .is_some_and(|s| s.overlapping(n.start, n.end).next().is_some());
        exception
            || self.cues.overlapping(n.start, n.end).any(|o| {
                // Within the cue's first part: a negator in a cue's gap negates it instead.
                !std::ptr::eq(*o, h)
                    && o.start <= n.start
                    && o.gap_from >= n.end
                    && (o.start, o.gap_from) != (n.start, n.end)
                    && self.lex.entries[o.entry].owner == owner
            })
    }
    fn negated(&self, h: &Hit) -> bool {
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        let owner = self.lex.entries[h.entry].owner;
        // A reason is negated only right before it ("not because"); other cues a few words on.
        let (gap_zh, gap_en) = if owner == Owner::Principle(Explain) {
            (1, 1)
        } else {
            (NEG_GAP_ZH, NEG_GAP_EN)
        };
        // A negator in the gap of a cue ("我们不可能给您退款").
        if h.gap_from < h.last_from
            && self
                .ctx_in(Ctx::Negator, h.gap_from, h.last_from)
                .any(|n| !self.negator_in_cue(n, owner, h))
        {
            return true;
        }
        // A negator before the cue in its clause: at most `gap_en` words (an ASCII gap) or
        // `gap_zh` non-space chars before it. Tried nearest first; the search stops where no
        // farther negator can be that near, so a clause full of negators costs no more per cue
        // than a short one (each gap is measured in constant time).
        let negs = self.negators_for(owner);
        let g = self.memo.gaps.get_or_init(|| GapCounts::new(&self.f.text));
        let t = &self.f.text;
        let (gap_en, gap_zh) = (gap_en as u32, gap_zh as u32);
        for n in negs.hits.starting_in(clause.start, h.start).iter().rev() {
            if n.end <= h.start {
                let (ascii, words, chars) = g.measure(t, n.end, h.start);
                if if ascii {
                    words <= gap_en
                } else {
                    chars <= gap_zh
                } {
                    return true;
                }
            }
            // Every negator still to try ends before `from`: its gap holds `t[from..h.start]`.
            let mut from = (n.start + negs.max_len).min(h.start);
            while !t.is_char_boundary(from) {
                from += 1;
            }
            let (ascii, words, chars) = g.measure(t, from, h.start);
            if chars > gap_zh && (!ascii || words > gap_en) {
                return false;
            }
        }
        false
    }
    /// The negators that can negate a cue of `owner` (built once per principle): whether a
    /// negator before a cue is part of another cue does not depend on the cue.
    fn negators_for(&self, owner: Owner) -> Rc<Negators<'a>> {
        if let Some(n) = self.memo.negators.borrow().get(&owner) {
            return n.clone();
        }
        let none = Hit {
            entry: usize::MAX,
            start: 0,
            end: 0,
            gap_from: 0,
            last_from: 0,
        };
        let hits: Vec<&'a Hit> = self
            .ctx
            .get(&Ctx::Negator)
            .map(|s| s.0.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|n| !self.negator_in_cue(n, owner, &none))
            .copied()
            .collect();
        let max_len = hits.iter().map(|n| n.end - n.start).max().unwrap_or(0);
        let negs = Rc::new(Negators {
            hits: Sorted(hits),
            max_len,
        });
        self.memo.negators.borrow_mut().insert(owner, negs.clone());
        negs
    }
    fn reported(&self, h: &Hit) -> bool {
        if self.in_quotes(h.start) {
            return true;
        }
        // A question that confirms the customer's point repeats the customer's words: the
        // remedy named in it is the customer's wish, not the agent's offer.
        let i = self.sentence_index(h.start);
        let owner = self.lex.entries[h.entry].owner;
        if matches!(owner.principle(), Some(Solution | Ownership))
            && self.asks.get(i).copied().unwrap_or(false)
            && self
                .sentences
                .get(i)
                .is_some_and(|s| s.contains(h.start) && self.confirm_tag(*s).is_some())
        {
            return true;
        }
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        self.ctx_in(Ctx::QuoteIntro, clause.start, h.start)
            .next()
            .is_some()
    }
    fn blocked(&self, h: &Hit, owner: Owner) -> bool {
        self.blocks
            .overlapping(h.start, h.end)
            .any(|b| self.lex.entries[b.entry].owner == owner)
    }
    /// A Chinese question that checks a number the agent holds ("请问您的手机号码是186****7650
    /// 对吗?"): echoing a number is not a restatement, the customer is asked to confirm it.
    fn checks_number(&self, s: Seg) -> bool {
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
        }) || ["号码是", "订单号是", "单号是", "账号是"]
            .iter()
            .any(|w| t.contains(w))
    }
    /// A question that puts the customer's point back for confirmation: a confirmation tag,
    /// unless the sentence only checks a number.
    fn confirms_point(&self, s: Seg) -> bool {
        self.confirm_tag(s).is_some() && !self.checks_number(s)
    }
    /// A confirmation tag closing the sentence ("…,对吗?", "…, is that right?").
    fn confirm_tag(&self, s: Seg) -> Option<&&'a Hit> {
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

fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    let idx: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    idx.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}

/// Detect every reply principle (and `close`) in `original`.
pub fn detect(original: &str, lex: &Lexicon, cx: &Context) -> Detection {
    let f = Folded::new(original);
    let hits = lex.find(&f.text);
    let c = Ctxs::new(&f, lex, &hits);
    let said = cx.customer_said.map(Folded::new);

    // Byte spans (folded) per principle.
    let mut spans = crate::rules::Spans::new();
    let lang = text::detect_lang(original);
    let mut courtesy_counts: BTreeMap<u16, (u8, usize)> = BTreeMap::new();
    for h in &hits {
        let e = &lex.entries[h.entry];
        match e.class {
            Class::Courtesy(i) => {
                let feat = &lex.courtesy[i as usize];
                let at_start = || c.sentence_of(h.start).is_some_and(|s| s.start == h.start);
                if feat.lang.is_some_and(|l| l != lang) || (feat.start && !at_start()) {
                    continue;
                }
                // Count distinct places, up to the feature's maximum.
                let e = courtesy_counts.entry(i).or_insert((0, usize::MAX));
                if e.1 != h.start && e.0 < feat.max {
                    *e = (e.0 + 1, h.start);
                }
                continue;
            }
            Class::Cue => {}
            _ => continue,
        }
        let p = e.owner;
        let principle = p.principle().map(PrincipleId::principle);
        if !c.mode_ok(h)
            || c.blocked(h, p)
            || (principle.is_some_and(|pr| pr.negatable) && c.negated(h))
            || (principle.is_some_and(|pr| pr.quotable) && c.reported(h))
        {
            continue;
        }
        let excused = match p.principle() {
            Some(Jargon) => jargon_excused(&c, h, said.as_ref(), cx.allowed_terms),
            Some(Probe) => !probe_ok(&c, h),
            Some(Address) => !address_ok(&f.text, h),
            _ => false,
        };
        if excused {
            continue;
        }
        spans.entry(p).or_default().push((h.start, h.end));
    }

    // Scenario jargon: every term at once through an automaton, a Latin term on word
    // boundaries ("sku" is not in "skunk").
    for (start, end) in find_terms(&f.text, cx.extra_jargon) {
        let h = Hit {
            entry: usize::MAX,
            start,
            end,
            gap_from: end,
            last_from: end,
        };
        if !jargon_excused(&c, &h, said.as_ref(), cx.allowed_terms) {
            spans
                .entry(Owner::Principle(Jargon))
                .or_default()
                .push((h.start, h.end));
        }
    }

    // Questions: a sentence that really asks is a probe; one that confirms the customer's
    // point ("…,对吗?") is a restatement.
    for (i, s) in c.sentences.iter().enumerate() {
        if !c.asks[i] {
            continue;
        }
        match question_kind(&c, *s) {
            Question::Probe => {
                // The last clause of the question sentence.
                let cl = c
                    .clause_of(s.end.saturating_sub(1))
                    .filter(|cl| cl.start >= s.start)
                    .unwrap_or(*s);
                spans
                    .entry(Owner::Principle(Probe))
                    .or_default()
                    .push((cl.start, cl.end));
            }
            Question::Confirm => {
                spans
                    .entry(Owner::Principle(Restate))
                    .or_default()
                    .push((s.start, s.end));
            }
            Question::Other => {}
        }
    }

    // Handing the case on, then promising to report back, takes the case on.
    if spans.contains_key(&Owner::Principle(FollowUp)) {
        let handed: Vec<(usize, usize)> = c
            .ctx_in(Ctx::Handoff, 0, f.text.len())
            .filter(|h| !c.negated(h))
            .map(|h| (h.start, h.end))
            .collect();
        spans
            .entry(Owner::Principle(Ownership))
            .or_default()
            .extend(handed);
        if spans
            .get(&Owner::Principle(Ownership))
            .is_some_and(|v| v.is_empty())
        {
            spans.remove(&Owner::Principle(Ownership));
        }
    }

    // Names and titles (English), shouting and rows of "!!!", scanned on the original text.
    let mut extra_evidence: Vec<(PrincipleId, (usize, usize))> = Vec::new();
    let scan = Scan::new(original);
    for sp in scan.names() {
        extra_evidence.push((Address, sp));
    }
    for name in cx.customer_names {
        let n = Folded::fold_pattern(name);
        if n.chars().count() >= 2 {
            for (i, _) in f.text.match_indices(n.as_str()) {
                spans
                    .entry(Owner::Principle(Address))
                    .or_default()
                    .push((i, i + n.len()));
            }
        }
    }
    let shouted: Vec<(usize, usize)> = scan
        .shouts()
        .into_iter()
        .filter(|&(s, e)| {
            let w: String = scan.chars[s..e]
                .iter()
                .map(|c| c.to_ascii_lowercase())
                .collect();
            !is_acronym(lex, &w)
        })
        .collect();
    // Shouting is a run of capitalised words ("READ THE LISTING"), not acronyms scattered
    // through a technical answer ("SSID … DNS"): two in a row, apart only by spaces or
    // punctuation (or a short capitalised word: "WHY IS THIS").
    for pair in shouted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let between = &scan.chars[a.1..b.0];
        if between.len() <= 6
            && between
                .iter()
                .all(|c| c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_uppercase())
        {
            extra_evidence.push((Rudeness, a));
            extra_evidence.push((Rudeness, b));
        }
    }
    for sp in scan.bangs() {
        extra_evidence.push((Rudeness, sp));
    }

    crate::rules::apply(&mut spans);

    // Soft blame (a fact used to contradict the customer) counts only when nothing is taken on.
    let mut findings: BTreeMap<PrincipleId, Finding> = BTreeMap::new();
    let mut first_sentence = BTreeMap::new();
    for id in kefu_core::principles::reply_ids().chain([Close]) {
        let mut ev: Vec<(usize, usize)> = spans
            .get(&Owner::Principle(id))
            .map(|v| {
                v.iter()
                    .map(|&(s, e)| f.span(s, s + evidence_len(&f.text[s..e])))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(&(s, _)) = spans
            .get(&Owner::Principle(id))
            .and_then(|v| v.iter().min())
        {
            first_sentence.insert(id, c.sentence_index(s));
        }
        ev.extend(
            extra_evidence
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, sp)| *sp),
        );
        ev.sort_unstable();
        ev.dedup();
        // Merge overlapping spans so highlights don't nest.
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ev {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        findings.insert(
            id,
            Finding {
                hit: !merged.is_empty(),
                evidence: merged,
            },
        );
    }
    if findings[&Blame].hit && findings[&Ownership].hit {
        // "快递在途中延误了,我来帮您催" is a fact, not a way out: keep blame only for hard cues.
        let hard: Vec<(usize, usize)> = spans
            .get(&Owner::Principle(Blame))
            .map(|v| {
                v.iter()
                    .filter(|(s, e)| !is_soft_blame(&f.text[*s..*e]))
                    .map(|&(s, e)| f.span(s, e))
                    .collect()
            })
            .unwrap_or_default();
        findings.insert(
            Blame,
            Finding {
                hit: !hard.is_empty(),
                evidence: hard,
            },
        );
    }
    let courtesy_raw = courtesy_counts
        .iter()
        .map(|(i, (n, _))| lex.courtesy[*i as usize].weight * f32::from(*n))
        .sum();
    Detection {
        findings,
        first_sentence,
        courtesy_raw,
        lang,
        folded: f,
    }
}

/// Every occurrence (byte range) of any of `terms` in folded `text`, through one Aho-Corasick
/// automaton: linear in the text whatever the terms. A Latin term stands on word boundaries
/// (`text::on_word_boundaries`: "sku" is not in "skunk", but is in "SKUs"). Overlapping
/// occurrences are all found.
fn find_terms(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .collect();
    let Ok(ac) = aho_corasick::AhoCorasick::new(&terms) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, usize)> = ac
        .find_overlapping_iter(text)
        .filter(|m| text::on_word_boundaries(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Blame cues that only state a fact; they are blame when nothing is taken on.
fn is_soft_blame(cue: &str) -> bool {
    const SOFT: &[&str] = &[
        "系统显示",
        "记录显示",
        "显示您",
        "快递的问题",
        "物流的问题",
        "是快递",
        "the system shows",
        "our records show",
        "according to our records",
    ];
    SOFT.iter().any(|s| cue.contains(s))
}

fn is_acronym(lex: &Lexicon, w: &str) -> bool {
    lex.acronyms.iter().any(|a| a == w)
}

/// The original text as chars (full-width ASCII made half-width, case kept), for the few
/// scans that need case or exact punctuation: English names, shouting, rows of "!!!". Plain
/// linear scans (no regex: they run on every reply).
struct Scan {
    chars: Vec<char>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !text::is_cjk(c) || c == '_'
}

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

impl Scan {
    fn new(original: &str) -> Scan {
        Scan {
            chars: original.chars().map(text::half_width).collect(),
        }
    }
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }
    /// Maximal runs of ASCII letters: `[start, end)` char ranges.
    fn words(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            if self.chars[i].is_ascii_alphabetic() {
                let s = i;
                while i < self.chars.len() && self.chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                out.push((s, i));
            } else {
                i += 1;
            }
        }
        out
    }
    fn word_is(&self, (s, e): (usize, usize), w: &str) -> bool {
        e - s == w.len() && self.chars[s..e].iter().copied().eq(w.chars())
    }
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
    fn names(&self) -> Vec<(usize, usize)> {
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
        out.sort_unstable();
        out.dedup();
        out
    }
    /// Words in capitals (`[A-Z][A-Z']{2,}`), as char spans.
    fn shouts(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        let n = self.chars.len();
        while i < n {
            let c = self.chars[i];
            if is_word_char(c) || c == '\'' {
                let s = i;
                while i < n && (is_word_char(self.chars[i]) || self.chars[i] == '\'') {
                    i += 1;
                }
                let w = &self.chars[s..i];
                let w = &w[..w.len() - w.iter().rev().take_while(|c| **c == '\'').count()];
                if w.len() >= 3
                    && w[0].is_ascii_uppercase()
                    && w.iter().all(|c| c.is_ascii_uppercase() || *c == '\'')
                {
                    out.push((s, s + w.len()));
                }
            } else {
                i += 1;
            }
        }
        out
    }
    /// Rows of "!!!" (or "?!!!"), as char spans.
    fn bangs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        let n = self.chars.len();
        while i < n {
            if matches!(self.chars[i], '!' | '?') {
                let s = i;
                while i < n && matches!(self.chars[i], '!' | '?') {
                    i += 1;
                }
                let run = &self.chars[s..i];
                let bangs3 = run.windows(3).any(|w| w.iter().all(|c| *c == '!'));
                let q_then3 = run
                    .iter()
                    .position(|c| *c == '?')
                    .is_some_and(|q| run.len() - q > 3);
                if bangs3 || q_then3 {
                    out.push((s, i));
                }
            } else {
                i += 1;
            }
        }
        out
    }
}

/// Jargon is excused when the customer used the term first, the scenario allows it, or the
/// agent explains it right away ("SKU(商品编码)", "RMA, i.e. return number", "A SKU is just our
/// internal product code", "…SKU暂时没库存了,就是说…"): a gloss marker soon after the term.
fn jargon_excused(c: &Ctxs, h: &Hit, said: Option<&Folded>, allowed: &[String]) -> bool {
    let text = &c.f.text;
    let term = &text[h.start..h.end];
    let known = *c
        .memo
        .jargon_known
        .borrow_mut()
        .entry(term)
        .or_insert_with(|| {
            said.is_some_and(|s| s.text.contains(term)) || allowed.iter().any(|a| a == term)
        });
    if known {
        return true;
    }
    let after = text[h.end..].trim_start();
    if after.starts_with(['(', '[', '（']) || after.starts_with("- ") {
        return true;
    }
    // A gloss within the next few words (the same or the next sentence).
    let end = text[h.end..]
        .char_indices()
        .nth(JARGON_GLOSS_CHARS)
        .map_or(text.len(), |(i, _)| h.end + i);
    c.ctx_in(Ctx::JargonGloss, h.end, end).next().is_some()
}

/// 亲 as an address stands alone (亲,…), 先生/女士 follow a surname or stand at a greeting.
fn address_ok(text: &str, h: &Hit) -> bool {
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

/// A probe cue (请问, 请提供…) counts unless its sentence closes, accuses or doesn't ask, or
/// (in Chinese) confirms the customer's point ("请问您是反映…的情况,对吗?" restates).
fn probe_ok(c: &Ctxs, h: &Hit) -> bool {
    let Some(s) = c.sentence_of(h.start) else {
        return true;
    };
    // It depends on the sentence only: judged once per sentence.
    c.once(&c.memo.probe_ok, s, || probe_ok_in(c, s))
}

fn probe_ok_in(c: &Ctxs, s: Seg) -> bool {
    let confirms = !is_latin(s.slice(&c.f.text)) && c.confirms_point(s);
    !c.closes(s)
        && !confirms
        && ![Ctx::Rhetorical, Ctx::NotAsking]
            .into_iter()
            .any(|k| c.has_ctx(k, s))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    /// Asks the customer for information about their case or their view.
    Probe,
    /// Confirms the customer's point ("您是说…,对吗?").
    Confirm,
    /// Closes, accuses, suggests, offers, or is a filler.
    Other,
}

/// What an asking sentence does.
fn question_kind(c: &Ctxs, s: Seg) -> Question {
    if c.closes(s)
        || [Ctx::Rhetorical, Ctx::Request]
            .into_iter()
            .any(|k| c.has_ctx(k, s))
    {
        return Question::Other;
    }
    // An offer to talk invites ("Do you want to talk?"); asking what about asks ("What would
    // you like to talk about?").
    if c.has_ctx(Ctx::NotAsking, s) && !c.wh_question(s) {
        return Question::Other;
    }
    // "Did you know that …?", "Are you aware there are …?" tell the customer something; they
    // don't ask ("How do you know that …?" does).
    let opening = &c.f.text[c.after_interjection(s)..s.end];
    if [
        "are you aware that",
        "are you aware there",
        "were you aware that",
        "did you know that",
        "did you know there",
        "do you know that",
        "do you know there",
    ]
    .iter()
    .any(|p| opening.starts_with(p))
    {
        return Question::Other;
    }
    // An offer ("Would you like me to resend it?", "Shall I book it?", "May I suggest …?")
    // seeks consent; it asks nothing about the case.
    let last_clause = c
        .clause_of(s.end.saturating_sub(1))
        .map_or(s.start, |cl| cl.start)
        .max(s.start);
    let offers = |t: &str| {
        [
            "would you like me to ",
            "would you like us to ",
            "do you want me to ",
            "do you want us to ",
            "would you want me to ",
            "want me to ",
            "shall i ",
            "shall we ",
            "may i suggest",
            "can i suggest",
            "could i suggest",
            "may i make a suggestion",
            "can i make a suggestion",
            "can i offer",
            "may i offer",
        ]
        .iter()
        .any(|p| t.starts_with(p))
    };
    if offers(opening) || offers(c.f.text[last_clause..s.end].trim_start()) {
        return Question::Other;
    }
    // Rude or blaming sentences are not questions that ask.
    if [Rudeness, Blame]
        .into_iter()
        .any(|p| c.cues_of(p, s).any(|h| c.mode_ok(h)))
    {
        return Question::Other;
    }
    if c.confirms_point(s) {
        return Question::Confirm;
    }
    // A filler tag closing the sentence, or standing alone ("…, you know?", "Okay?"); typed
    // without its comma, it closes a statement too ("Life is fleeting isn't it?"), not a
    // question ("Why isn't it?").
    let t_end = s.start + trim_tail(s.slice(&c.f.text)).len();
    let stated = || {
        let start = c.after_interjection(s);
        !c.wh_question(s)
            && !c.asks_first(s, false)
            && !c
                .ctx_in(Ctx::InterrogativeStart, start, s.end)
                .any(|h| h.start == start)
    };
    if c.ctx_in(Ctx::FillerTag, s.start, s.end).any(|h| {
        h.end >= t_end.saturating_sub(1)
            && (h.start == s.start
                || c.f.text[..h.start]
                    .trim_end()
                    .ends_with([',', '.', '!', ';', '-'])
                || (h.start > s.start + 12 && stated()))
    }) {
        return Question::Other;
    }
    // A restatement put as a question ("So you're saying …?") confirms; a suggestion put as
    // a question ("Have you tried …?") suggests.
    if c.cues_of(Restate, s)
        .any(|h| c.lex.entries[h.entry].mode != Mode::Statement)
    {
        return Question::Other;
    }
    if c.cues_of(Solution, s)
        .any(|h| c.lex.entries[h.entry].mode == Mode::Question)
    {
        return Question::Other;
    }
    let t = trim_tail(s.slice(&c.f.text));
    let core = t.trim_end_matches(['?', '.', '!', '~', ' ']);
    // Agreement checks at the end (好吗? 可以吗? ok?) seek consent, they don't probe.
    if [
        "好吗",
        "可以吗",
        "行吗",
        "好不好",
        "好么",
        "行不行",
        "可以么",
    ]
    .iter()
    .any(|e| core.ends_with(e))
    {
        return Question::Other;
    }
    // A bare echo ("退货?") repeats a word, it does not ask.
    if !is_latin(t) && core.chars().filter(|ch| text::is_cjk(*ch)).count() <= 3 {
        let asks_word = [
            "吗",
            "么",
            "呢",
            "什么",
            "怎么",
            "哪",
            "多少",
            "几",
            "谁",
            "是否",
            "有没有",
        ]
        .iter()
        .any(|w| core.contains(w));
        if !asks_word {
            return Question::Other;
        }
    }
    if is_latin(t) {
        // An English question asks about the customer ("you"), or is a true question about
        // the case ("Is it a clicking sound?"); one about "I/we" alone wonders aloud.
        let start = c.after_interjection(s);
        // The question may start the sentence or its last clause ("ive never drunk before,
        // whats it like?").
        let last_clause = c
            .clause_of(s.end.saturating_sub(1))
            .map_or(start, |cl| cl.start);
        let asked_from = c
            .ctx_in(Ctx::InterrogativeStart, start, s.end)
            .filter(|h| h.start == start || h.start == last_clause)
            .map(|h| h.start)
            .min();
        let inverted = asked_from.is_some();
        let second = c.has_ctx(Ctx::SecondPerson, s);
        if !second {
            // "I'm sorry to hear that, what is going on?" asks; "How do I cope?" wonders.
            let asked = asked_from.map_or(core, |q| {
                let end = (s.start + core.len()).max(q);
                &c.f.text[q..end]
            });
            let first_person = asked
                .split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
                .any(|w| {
                    ["i", "me", "my", "we", "us", "our", "i'm", "i've", "myself"].contains(&w)
                });
            // A bare question word asks too ("If not, why?"); so does a short fragment that
            // names what it asks about ("Friends nearby?", "Recently or years ago?").
            let asks = inverted
                || c.asks_first(s, true)
                || c.wh_question(s)
                || short_fragment(&c.f.text[start..s.end])
                || two_choice(core);
            if !asks || first_person {
                // "So the parcel came back?" confirms the customer's point.
                let confirms = !asks && !first_person && c.declarative(s) && c.restating_frame(s);
                return if confirms {
                    Question::Confirm
                } else {
                    Question::Other
                };
            }
        } else if !inverted && c.declarative(s) {
            // "You feel judged?", "So it's the move that has you worried?": a declarative
            // question checks what the agent took in; it does not ask for anything new. Put
            // as the customer's point ("So …", "You're …", "Your …"), it confirms it.
            return if c.restating_frame(s) {
                Question::Confirm
            } else {
                Question::Other
            };
        }
    }
    Question::Probe
}

/// A question offering two (or more) alternatives ("Before or after the update?", "Cash,
/// card or voucher?") asks which one holds, whatever its length. Not a vague tail ("… or
/// something?", "… or not?"), which hedges a guess, nor a rough number ("two or three days?").
fn two_choice(core: &str) -> bool {
    let words: Vec<&str> = core
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| {
        w.chars().all(|ch| ch.is_ascii_digit())
            || [
                "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a",
                "few", "couple",
            ]
            .contains(&w)
    };
    let Some(i) = words.iter().rposition(|w| *w == "or") else {
        return false;
    };
    let (Some(before), Some(after)) = (i.checked_sub(1).map(|j| words[j]), words.get(i + 1)) else {
        return false;
    };
    // "Maybe a walk or a swim?" suggests.
    let hedged = ["maybe", "perhaps", "possibly", "probably"].contains(&words[0]);
    // "two or three days" is a rough number, not a choice.
    let rough = number(before) && number(after);
    let vague = [
        "something",
        "anything",
        "not",
        "what",
        "so",
        "whatever",
        "no",
        "else",
        "nothing",
    ]
    .contains(after);
    !hedged && !rough && !vague
}

/// A fragment question of two to four words ("Friends nearby?", "Recently or years ago?"),
/// not a hedged suggestion ("Maybe a walk?"). A single word ("Really?", "Oatmeal?", a name cut
/// off at an initial) is too often a reaction, an echo or a list item.
fn short_fragment(t: &str) -> bool {
    let words: Vec<&str> = t
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    // A hedged fragment suggests ("Maybe a walk?").
    let hedged = words
        .first()
        .is_some_and(|w| ["maybe", "perhaps", "possibly", "probably"].contains(w));
    !hedged && (2..=4).contains(&words.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, p: &str) -> bool {
        let id = PrincipleId::parse(p).expect("a principle id");
        detect(text, Lexicon::builtin(), &Context::default()).findings[&id].hit
    }

    #[test]
    fn apology_and_its_look_alikes() {
        assert!(hit("非常抱歉让您久等了", "apology"));
        assert!(hit("對不起，讓您久等了", "apology"));
        assert!(hit("不好意思,请问您的订单号是多少?", "apology"));
        assert!(!hit("我不会道歉的", "apology"));
        assert!(!hit("没什么好道歉的", "apology"));
        assert!(!hit("很遗憾您这么认为", "apology"));
        assert!(!hit("您说要我们道歉,这个要求我们记下了", "apology"));
        assert!(hit("I'm so sorry for the delay.", "apology"));
        assert!(!hit("I'm sorry you feel that way.", "apology"));
        assert!(!hit("I won't apologise for that.", "apology"));
    }

    #[test]
    fn evidence_stops_before_a_trailing_article() {
        let text = "I'll refund the shipping in full.";
        let d = detect(text, Lexicon::builtin(), &Context::default());
        let ev: Vec<&str> = d.findings[&Solution]
            .evidence
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert!(ev.contains(&"I'll refund"), "{ev:?}");
        assert!(ev.iter().all(|t| !t.ends_with(" the")), "{ev:?}");
    }

    #[test]
    fn evidence_points_into_the_original() {
        let text = "ＨＩ，王先生！非常抱歉";
        let d = detect(text, Lexicon::builtin(), &Context::default());
        let (s, e) = d.findings[&Apology].evidence[0];
        let got: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "抱歉");
    }

    #[test]
    fn probe_needs_a_real_question() {
        assert!(hit("请问您是什么时候下单的?", "probe"));
        assert!(hit("Could you tell me your order number?", "probe"));
        assert!(!hit("你难道没看说明书吗?", "probe"));
        assert!(!hit("请问还有什么可以帮您的吗?", "probe"));
        assert!(hit("请提供一下您的订单号", "probe"));
    }

    #[test]
    fn address_blame_rudeness_jargon() {
        assert!(hit("您好,这边为您查询", "address"));
        assert!(!hit("你好,我查一下", "address"));
        assert!(!hit("我亲自查了", "address"));
        assert!(hit("Hi Sarah, thanks for waiting.", "address"));
        assert!(hit("这是快递的问题,跟我们没关系", "blame"));
        assert!(hit("是您自己没看清楚", "blame"));
        assert!(!hit("快递在途中延误了,我来帮您催", "blame"));
        assert!(hit("爱买不买", "rudeness"));
        assert!(hit("PLEASE READ THE PAGE", "rudeness"));
        assert!(hit("好的!!!", "rudeness"));
        assert!(hit("已经给您提交工单了", "jargon"));
        assert!(!hit("SKU(商品编码)是123", "jargon"));
    }

    #[test]
    fn chases_promises_and_handoffs() {
        // The known weak spot: a chase plus a reply time is a solution and a follow-up.
        let t = "我马上帮您催快递,今天下午给您回复";
        assert!(hit(t, "solution") && hit(t, "ownership") && hit(t, "follow_up"));
        assert!(hit(
            "I'm chasing the courier now and I'll get back to you today.",
            "solution"
        ));
        // Handing on alone is not ownership; with a report back it is.
        assert!(!hit("退款已转相关部门处理。", "ownership"));
        assert!(hit(
            "已转给财务同事,他们处理完我会第一时间告诉您结果。",
            "ownership"
        ));
        // Bare generic promises.
        assert!(!hit("我们会尽快处理的,请耐心等待。", "ownership"));
        assert!(!hit("我们会尽快处理的,请耐心等待。", "solution"));
        assert!(!hit("会有专人联系您。", "follow_up"));
        // A negator inside a cue's gap negates it.
        assert!(!hit("我们不可能给你全额退款", "ownership"));
        // 是不是 / 不便 don't negate.
        assert!(hit("造成不便请见谅", "apology"));
        assert!(hit("你是不是没看清楚就下单了?", "blame"));
    }

    #[test]
    fn question_kinds() {
        // A confirming question restates; it does not probe.
        assert!(hit("您是说杯子把手断了,对吗?", "restate"));
        assert!(!hit("您是说杯子把手断了,对吗?", "probe"));
        // A suggestion put as a question suggests.
        assert!(hit("Have you tried restarting it?", "solution"));
        assert!(!hit("Have you tried restarting it?", "probe"));
        // English questions about "I" wonder aloud; fillers and offers don't ask.
        assert!(!hit("How do I even cope with this?", "probe"));
        assert!(!hit("It's hard, you know?", "probe"));
        assert!(!hit(
            "It's safer to keep the box if you can dont you think?",
            "probe"
        ));
        assert!(!hit("Do you want to talk?", "probe"));
        assert!(hit("How long has it been doing that?", "probe"));
        assert!(hit("Can you tell me what happened", "probe"));
        // Asking for a procedural step is not a probe; a bare echo doesn't ask.
        assert!(!hit("Could you check your spam folder?", "probe"));
        assert!(!hit("退货?你自己不看清楚就拍", "probe"));
        // A declarative question checks; a fragment, a bare question word or a verb first asks.
        assert!(!hit("So the parcel never turned up at your door?", "probe"));
        assert!(hit("Receipt still around?", "probe"));
        assert!(hit("I see. Since when?", "probe"));
        assert!(hit("Did anything change after the update?", "probe"));
        assert!(!hit("Maybe a bigger box?", "probe"));
        // Two alternatives ask which holds, whatever the length; a rough number does not.
        assert!(hit(
            "Upstairs, in the garage or out in the garden?",
            "probe"
        ));
        assert!(!hit("Maybe two or three more days?", "probe"));
        // A declarative question put as the customer's point confirms it.
        assert!(hit("So the box arrived already opened?", "restate"));
        assert!(hit("You're still waiting on the second parcel?", "restate"));
        assert!(!hit("You could ask the front desk?", "restate"));
        // "Are you aware that …?" informs; "How do you know that …?" asks.
        assert!(!hit("Are you aware that there's a newer model?", "probe"));
        assert!(hit("How do you know that it was opened?", "probe"));
        // An offer seeks consent; asking the customer to tell asks.
        assert!(!hit("Do you want me to cancel the second one?", "probe"));
        assert!(!hit("Sure, shall I book the engineer for Monday?", "probe"));
        assert!(hit("Would you like to tell me what happened?", "probe"));
        // An offer of help opening the reply asks for the case; "anything else" closes.
        assert!(hit("Good morning! How may I help you?", "probe"));
        assert!(hit("你好,请问有什么可以帮你?", "probe"));
        assert!(!hit(
            "All done now. Anything else I can help with?",
            "probe"
        ));
        assert!(!hit(
            "退款已经到账了,您查收一下。请问还有什么可以帮您?",
            "probe"
        ));
    }

    #[test]
    fn address_names_and_jargon_glosses() {
        assert!(hit("David, I've passed your case on.", "address"));
        assert!(hit("Happy to help, Jenny.", "address"));
        assert!(!hit("See you on Friday, Monday.", "address"));
        assert!(!hit("Dear customer, thanks.", "address"));
        assert!(!hit("A SKU is just our internal product code.", "jargon"));
        assert!(!hit("这个颜色的SKU暂时没库存了,就是说卖完了", "jargon"));
        assert!(hit("该SKU已下架", "jargon"));
    }

    #[test]
    fn nothing_panics_on_odd_input() {
        for t in [
            "",
            "?",
            "\u{0}",
            "吗",
            "'\"\"'",
            "A…B",
            "！！！",
            "亲",
            "Mr.",
            "🙂🙂",
        ] {
            let _ = detect(t, Lexicon::builtin(), &Context::default());
        }
    }
}
