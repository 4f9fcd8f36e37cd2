//! Sorting through one instantiation of the standard library's sort (#17): `v.sort()`,
//! `v.sort_by_key(…)` and `v.sort_unstable()` each compile the whole sort (driftsort or
//! quicksort, 3-5 KB of wasm) again for every element type and comparison; these sort an index
//! list instead, always with the same code, and move the elements into place. The result is the
//! stable sort's (`sort_by`'s), which is also `sort_unstable`'s wherever elements that compare
//! equal are equal (numbers, strings, tuples of them).

use std::cmp::Ordering;

/// The positions `0..n` stably sorted by `cmp` (the one instantiation of the standard sort),
/// or `None` when they are in order already.
///
/// A list the judge sorts is usually found in text order, nearly sorted already: insertion
/// sorts it in about `n` comparisons, so it is tried first, with a budget of moves; past it, the
/// standard sort finishes from where insertion stopped. Insertion moves a position only past
/// greater ones, so equal elements keep their order and the result is the stable sort's.
fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Option<Vec<usize>> {
    let mut idx: Vec<usize> = (0..n).collect();
    let mut budget = 2 * n + 8;
    let mut moved = false;
    for i in 1..n {
        let mut j = i;
        while j > 0 && cmp(idx[j - 1], idx[j]) == Ordering::Greater {
            if budget == 0 {
                idx.sort_by(|&a, &b| cmp(a, b));
                return Some(idx);
            }
            budget -= 1;
            idx.swap(j - 1, j);
            j -= 1;
            moved = true;
        }
    }
    moved.then_some(idx)
}

/// `v.sort_by(cmp)`: stable.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let Some(idx) = order(v.len(), &|a, b| cmp(&v[a], &v[b])) else {
        return;
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(idx.into_iter().filter_map(|i| slots[i].take()));
}

/// `v.sort_by_key(key)`: stable.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()` (and `v.sort_unstable()` where equal elements are alike).
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys kept in order.
        #[test]
        fn sorts_as_the_standard_library_does(v in prop::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v.clone();
            super::sort_by_key(&mut got, |p| p.0);
            prop_assert_eq!(&got, &want);
            let mut want = v.clone();
            want.sort_unstable();
            let mut got = v;
            super::sort(&mut got);
            prop_assert_eq!(got, want);
        }

        /// A nearly sorted list (sorted by key, then some swaps: sorted by insertion alone, or
        /// past the budget by both), equal keys kept in order as the standard sort keeps them.
        #[test]
        fn nearly_sorted_as_the_standard_library_does(
            v in prop::collection::vec((0u8..16, any::<u16>()), 0..200),
            swaps in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let mut v = v;
            v.sort_by_key(|p| p.0);
            for s in &swaps {
                if v.len() > 1 {
                    let i = s.index(v.len() - 1);
                    v.swap(i, i + 1);
                }
            }
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut got = v;
            super::sort_by_key(&mut got, |p| p.0);
            prop_assert_eq!(got, want);
        }
    }
}
