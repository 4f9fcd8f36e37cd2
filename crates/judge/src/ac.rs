//! Aho-Corasick as the judge uses it: `aho_corasick`'s noncontiguous NFA alone, searched through
//! its `Automaton` trait. The `AhoCorasick` type picks an implementation at run time (an NFA, a
//! contiguous NFA or a DFA), so all three and their conversions end up in the scorer module;
//! the matches depend only on the match kind, not on the implementation (#17: less code, and no
//! contiguous copy of the lexicon's ~23,000 fixed strings built at start).

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::Input;
pub use aho_corasick::{Match, MatchKind};

/// An automaton over fixed strings (pattern ids are their indices).
pub struct Ac(NFA);

impl Ac {
    /// `None` when it cannot be built (too many states) or there is nothing to find (no
    /// patterns: a turn without jargon terms, facts or options builds no automaton, which
    /// would cost a reply more than the search).
    pub fn new<I, P>(kind: MatchKind, patterns: I) -> Option<Ac>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<[u8]>,
    {
        let patterns: Vec<P> = patterns.into_iter().collect();
        if patterns.is_empty() {
            return None;
        }
        NFA::builder().match_kind(kind).build(patterns).ok().map(Ac)
    }

    /// Every match, overlapping ones included (an automaton of `MatchKind::Standard`; none for
    /// another kind), in the order `AhoCorasick::find_overlapping_iter` gives them.
    pub fn overlapping<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Match> + 'a {
        self.0
            .try_find_overlapping_iter(Input::new(text))
            .into_iter()
            .flatten()
    }

    /// The non-overlapping matches, as `AhoCorasick::find_iter` gives them.
    pub fn find<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Match> + 'a {
        self.0.try_find_iter(Input::new(text)).into_iter().flatten()
    }
}
