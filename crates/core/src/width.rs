//! The one width fold: full-width ASCII to half-width, for the judge's text folding and name
//! scan (`kefu_judge::text`) and the scenario's model-reply acronyms (`Scenario::rules`).

/// Full-width ASCII (`Ａ`, `！`, `１`) and the ideographic space to their half-width forms;
/// every other char as it is.
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}
