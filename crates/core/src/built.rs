//! What the build script's Rust for a data file calls (`crates/data-build.rs`, `rust_expr`): a
//! data file the crates read is written by the build as a Rust expression of the struct that
//! reads it, so no module parses its data at run time and the scorer module carries no JSON
//! deserializer (#17). Lists of strings and string maps are static text the calls below turn
//! into owned values once, when the data is first read.

use std::collections::BTreeMap;

/// A string.
pub fn s(x: &str) -> String {
    x.to_string()
}

/// A list of strings, written by the build joined by `\n` (no item holds one; the build checks).
pub fn l(x: &str) -> Vec<String> {
    x.split('\n').map(str::to_string).collect()
}

// Maps are filled by `insert`, one pair at a time: `collect` into a `BTreeMap` sorts first,
// which adds a stable sort's code per type to each browser module (#17).

/// A map of strings to lists of strings (each list as [`l`] reads it).
pub fn ml(x: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for (k, v) in x {
        out.insert(k.to_string(), l(v));
    }
    out
}

/// A map of strings to strings.
pub fn ms(x: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, v) in x {
        out.insert(k.to_string(), v.to_string());
    }
    out
}

/// A map of strings to numbers (`f32`, `f64`).
pub fn mn<V: Copy>(x: &[(&str, V)]) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    for (k, v) in x {
        out.insert(k.to_string(), *v);
    }
    out
}

/// A map of strings to other values.
pub fn m<V>(x: Vec<(&str, V)>) -> BTreeMap<String, V> {
    let mut out = BTreeMap::new();
    for (k, v) in x {
        out.insert(k.to_string(), v);
    }
    out
}

/// A text per language, by code (the build checks every code is listed).
pub fn text(x: &[(&str, &str)]) -> crate::principles::Text {
    use crate::principles::{Lang, Text};
    let mut t = Text::default();
    for (k, v) in x {
        if let Some(l) = Lang::from_code(k) {
            t.0.insert(l, v.to_string());
        }
    }
    t
}

/// Weights by principle id, in order.
pub fn weights(x: &[(&str, f32)]) -> Vec<(String, f32)> {
    x.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_back_as_the_build_joins_them() {
        assert_eq!(l("a\nb c\n"), ["a", "b c", ""]);
        assert_eq!(l(""), [""]);
        assert_eq!(ml(&[("g", "x\ny")])["g"], ["x", "y"]);
    }
}
