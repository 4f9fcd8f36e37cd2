//! Spelling distance for "did you mean" suggestions (principle ids in scenario files, turn and
//! placeholder names): one implementation for the checker and the principles list.

#![warn(missing_docs)]

/// Edit distance counting a swap of two neighbouring letters as one typo (optimal string
/// alignment), so `opne` is one step from `open`.
pub fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::typo_distance;

    #[test]
    fn a_swap_of_neighbours_is_one_typo() {
        assert_eq!(typo_distance("opne", "open"), 1);
        assert_eq!(typo_distance("apolgy", "apology"), 1);
        assert_eq!(typo_distance("", "abc"), 3);
        assert_eq!(typo_distance("致歉", "道歉"), 1);
    }
}
