//! Sorting through one instantiation of the standard library's sort (#17): `v.sort()`,
//! `v.sort_by_key(…)` and `v.sort_unstable()` each compile the whole sort (driftsort or
//! quicksort, 3-5 KB of wasm) again for every element type and comparison; these sort an index
//! list instead, always with the same code, and move the elements into place. The result is the
//! stable sort's (`sort_by`'s), which is also `sort_unstable`'s wherever elements that compare
//! equal are equal (numbers, strings, tuples of them).

use std::cmp::Ordering;

/// The positions `0..n` stably sorted by `cmp` (the one instantiation of the standard sort).
fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| cmp(a, b));
    idx
}

/// `v.sort_by(cmp)`: stable.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let idx = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
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
    }
}
