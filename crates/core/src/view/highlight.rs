//! Evidence highlighting: the reply cut into runs, each marked with the principle whose
//! evidence covers it.

use crate::judgement::Judgement;
use crate::principles::{self, PrincipleId};

/// A run of the reply with the principle whose evidence covers it (violations win).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The run of text, as typed.
    pub text: String,
    /// The principle whose evidence covers it (`None`: plain text).
    pub principle: Option<&'static str>,
    /// Whether that principle is committed (a violation, a false fact) rather than shown.
    pub violation: bool,
}

/// Cut `text` into pieces marked with the principle whose evidence covers them. Spans are char
/// offsets from the judgement; out-of-range or empty spans are ignored, never a panic.
pub fn highlight(text: &str, j: &Judgement) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut owner: Vec<Option<(&'static str, bool)>> = vec![None; chars.len()];
    // Shown principles first, violations last so they win where both cover a char.
    let mut marks: Vec<(&'static str, bool, (usize, usize))> = Vec::new();
    for p in principles::all() {
        let id = p.id.as_str();
        let Some(f) = j.principles.get(id) else {
            continue;
        };
        let facts = p.id == PrincipleId::Facts;
        let violation = if facts { !f.hit } else { p.violation };
        if !(f.hit || facts && violation) {
            continue;
        }
        marks.extend(f.evidence.iter().map(|&sp| (id, violation, sp)));
    }
    // The first principle in the rulebook's order keeps a char; a violation takes it from any.
    for (id, v, (s, e)) in marks {
        for o in owner.iter_mut().take(e.min(chars.len())).skip(s) {
            if o.is_none() || (v && !o.is_some_and(|x| x.1)) {
                *o = Some((id, v));
            }
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    for (c, o) in chars.into_iter().zip(owner) {
        match out.last_mut() {
            Some(last) if last.principle.zip(Some(last.violation)) == o => last.text.push(c),
            _ => out.push(Piece {
                text: c.to_string(),
                principle: o.map(|x| x.0),
                violation: o.is_some_and(|x| x.1),
            }),
        }
    }
    out
}
