//! Conditions and line variants as written, into `Cond` and `Line` (one function for
//! `[[turn.next]]`'s condition, `[[turn.line]]` and `[[ending.line]]`).

use super::*;

/// A condition as written (a branch or a line variant) into a `Cond`: principle ids known,
/// scores, moods and turn counts in range.
pub(super) fn cond_of(ck: &mut Checker, c: RawCond, max_turns_declared: usize) -> Cond {
    let mut cond = Cond::default();
    for (src, dst) in [
        (c.all, &mut cond.all),
        (c.any, &mut cond.any),
        (c.none, &mut cond.none),
    ] {
        for p in src {
            if let Some(p) = ck.principle(p) {
                dst.push(p);
            }
        }
    }
    for (src, dst) in [
        (c.min_score, &mut cond.min_score),
        (c.max_score, &mut cond.max_score),
    ] {
        if let Some(v) = src {
            if !(0..=100).contains(v.get_ref()) {
                ck.err(v, msg!("check.score_from_0_100"));
            }
            *dst = Some((*v.get_ref()).clamp(0, 100) as u8);
        }
    }
    if let Some(v) = c.mood_below {
        if !(1..=100).contains(v.get_ref()) {
            ck.err(v, msg!("check.mood_below_from_1_100"));
        }
        cond.mood_below = Some((*v.get_ref()).clamp(1, 100) as i32);
    }
    if let Some(v) = c.mood_above {
        if !(0..=99).contains(v.get_ref()) {
            ck.err(v, msg!("check.mood_above_from_0_99"));
        }
        cond.mood_above = Some((*v.get_ref()).clamp(0, 99) as i32);
    }
    if let (Some(b), Some(a)) = (c.mood_below, c.mood_above) {
        if *b.get_ref() <= *a.get_ref() + 1 {
            ck.err(
                b,
                msg!(
                    "check.mood_both_below_above",
                    a = b.get_ref(),
                    b = a.get_ref()
                ),
            );
        }
    }
    if let Some(v) = c.turns_taken {
        if !(1..=100).contains(v.get_ref()) {
            ck.err(v, msg!("check.turns_taken_from_1_100"));
        } else if *v.get_ref() > max_turns_declared as i64 {
            ck.err(
                v,
                msg!(
                    "check.turns_taken_never_holds_customer",
                    a = v.get_ref(),
                    max_turns_declared = max_turns_declared
                ),
            );
        }
        cond.turns_taken = Some((*v.get_ref()).clamp(1, 100) as usize);
    }
    cond
}

/// A line variant, `[[turn.line]]` or `[[ending.line]]`: its condition, the principles it
/// requires, and what it says (each variant checked for placeholders and languages, named
/// `what` in messages).
#[allow(clippy::too_many_arguments)]
pub(super) fn line_of(
    ck: &mut Checker,
    cond: RawCond,
    requires: &[Spanned<String>],
    variants: &[Spanned<RawText>],
    what: &Msg,
    known: &BTreeSet<String>,
    languages: &[Lang],
    max_turns_declared: usize,
) -> Line {
    let cond = cond_of(ck, cond, max_turns_declared);
    let requires = requires.iter().filter_map(|p| ck.principle(p)).collect();
    let say = ck.variants(variants, what, known, languages);
    Line {
        cond,
        requires,
        say,
    }
}
