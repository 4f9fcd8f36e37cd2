//! Shop rules (issue #15, item 3): every number a reply states about a rule of the scenario's
//! `[policy]` (warranty, return window, free-shipping threshold, visit time) is read — digits,
//! Chinese numerals (两年, 四十八小时, 七天) and English number words — and compared with the
//! rule. A clause names the rule by a topic word; the number counts when it carries one of the
//! rule's units. Which words are topics, units and negators is data (`data/policy.toml`).
//! Linear in the reply: each clause is scanned once per (constant) list of words.

use crate::text::Folded;
use std::collections::BTreeMap;

#[derive(Debug)]
struct Data {
    negators: Vec<String>,
    not_negating: Vec<String>,
    not_claimed: Vec<String>,
    compared: Vec<String>,
    not_ours: Vec<String>,
    words: BTreeMap<String, BTreeMap<String, f64>>,
    rule: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    id: String,
    topic: Vec<String>,
    units: Vec<Unit>,
    prefix: Vec<String>,
    /// Only in the clause that names it (not carried to the next clause of the sentence).
    clause: bool,
}

#[derive(Debug)]
struct Unit {
    say: Vec<String>,
    times: f64,
}

fn data() -> &'static Data {
    static D: std::sync::OnceLock<Data> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        // Written by the build as a `Data` expression (`crates/data-build.rs`, `POLICY`).
        include!(concat!(env!("OUT_DIR"), "/policy.rs"))
    })
}

/// A number stated about a rule: the rule, its value in the rule's base unit, the folded bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    pub rule: String,
    pub value: f64,
    pub span: (usize, usize),
}

/// The value of a run of Chinese numerals (`四十八` = 48, `两` = 2, `一百` = 100, `十五` = 15),
/// or `None` when it is not one.
pub fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let (mut total, mut section, mut cur) = (0u64, 0u64, None::<u32>);
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c) {
            cur = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total += (section + u64::from(cur.take().unwrap_or(0))) * 10_000;
                section = 0;
                continue;
            }
            _ => return None,
        };
        section += u64::from(cur.take().unwrap_or(1)) * unit;
    }
    any.then(|| (total + section + u64::from(cur.unwrap_or(0))) as f64)
}

/// A Chinese numeral character (一…九, 两, 零, 十, 百, 千, 万).
pub fn is_cn_numeral(c: char) -> bool {
    "零〇一二两三四五六七八九十百千万".contains(c)
}

/// A number at the start of `s`: (value, its length in bytes). Digits (`48`, `1.5`), Chinese
/// numerals, or an English number word on a word boundary (the caller checks the start).
fn number_at(s: &str, en: &BTreeMap<String, f64>) -> Option<(f64, usize)> {
    let c = s.chars().next()?;
    if c.is_ascii_digit() {
        let mut end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if s[end..].starts_with('.') && s[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            end += 1 + s[end + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(s.len() - end - 1);
        }
        return s[..end].parse().ok().map(|v| (v, end));
    }
    if is_cn_numeral(c) {
        let end = s.find(|c: char| !is_cn_numeral(c)).unwrap_or(s.len());
        return chinese_number(&s[..end]).map(|v| (v, end));
    }
    if c.is_ascii_alphabetic() {
        // The longest number word here that ends on a word boundary.
        return en
            .iter()
            .filter(|(w, _)| {
                s.starts_with(w.as_str())
                    && !s[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            })
            .max_by_key(|(w, _)| w.len())
            .map(|(w, v)| (*v, w.len()));
    }
    None
}

/// The longest of `words` at the start of `s` (a Latin word must end on a word boundary).
fn word_at(s: &str, words: &[String]) -> Option<usize> {
    words
        .iter()
        .filter(|w| {
            s.starts_with(w.as_str())
                && !(w.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && s[w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
        })
        .map(String::len)
        .max()
}

/// Does `clause` contain `w` (a Latin word on word boundaries)? Byte offset of the first.
fn find_word(clause: &str, w: &str) -> Option<usize> {
    let latin = w.starts_with(|c: char| c.is_ascii_alphanumeric());
    clause.match_indices(w).map(|(i, _)| i).find(|&i| {
        !latin
            || (!clause[..i].ends_with(|c: char| c.is_ascii_alphanumeric())
                && !clause[i + w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
    })
}

/// The folded text's clauses: byte ranges between clause punctuation, and whether the clause
/// ends its sentence.
fn clauses(text: &str) -> Vec<(usize, usize, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let sentence = matches!(c, '。' | '!' | '！' | '?' | '？' | '\n')
            || (c == '.' && !text[i + 1..].starts_with(|c: char| c.is_ascii_digit()));
        if sentence || matches!(c, ',' | '，' | ';' | '；' | '、') {
            out.push((start, i, sentence));
            start = i + c.len_utf8();
        }
    }
    out.push((start, text.len(), true));
    out
}

/// Every number the reply states about a rule in `policy`, with its value in the rule's unit.
/// A number after a negator in its clause ("不是两年", "not two years") is not stated.
pub fn stated(f: &Folded, policy: &BTreeMap<String, f64>) -> Vec<Stated> {
    let d = data();
    let rules: Vec<&Rule> = d
        .rule
        .iter()
        .filter(|r| policy.contains_key(&r.id))
        .collect();
    if rules.is_empty() {
        return vec![];
    }
    let empty = BTreeMap::new();
    let en = d.words.get("en").unwrap_or(&empty);
    let mut out = Vec::new();
    // A clause without a topic word goes on about the last one named in its sentence ("I've
    // submitted your refund; it will reach you within 3 days"), unless the rule is `clause`-only.
    let mut carried: Vec<&Rule> = Vec::new();
    for (a, b, ends) in clauses(&f.text) {
        let clause = &f.text[a..b];
        let mut here: Vec<&Rule> = rules
            .iter()
            .copied()
            .filter(|r| r.topic.iter().any(|t| find_word(clause, t).is_some()))
            .collect();
        if here.is_empty() {
            here = carried.iter().copied().filter(|r| !r.clause).collect();
        } else {
            carried = here.clone();
        }
        if ends {
            carried.clear();
        }
        if here.is_empty() {
            continue;
        }
        let negated_from = d
            .negators
            .iter()
            .chain(&d.not_ours)
            .filter_map(|n| find_word(clause, n))
            .min()
            .unwrap_or(usize::MAX);
        let mut i = 0;
        while i < clause.len() {
            let rest = &clause[i..];
            let boundary = !clause[..i].ends_with(|c: char| c.is_ascii_alphanumeric());
            let Some((v, n)) = number_at(rest, en)
                .filter(|_| boundary || !rest.starts_with(|c: char| c.is_ascii_alphabetic()))
            else {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            // "AFG2000", "2024年" and "6月3日" are names and dates, not rule values.
            let name = clause[..i].ends_with(|c: char| c.is_ascii_alphabetic())
                && rest.starts_with(|c: char| c.is_ascii_digit());
            // "6月3日" is a date, "第三天" an ordinal.
            let date = clause[..i].ends_with('月') || clause[..i].ends_with('第');
            let after = rest[n..].trim_start_matches([' ', '-']);
            let skipped = rest.len() - n - after.len();
            for r in &here {
                let unit = r
                    .units
                    .iter()
                    .find_map(|u| word_at(after, &u.say).map(|l| (u.times, l)));
                // A currency sign or code just before (a few chars: linear however many spaces).
                let lead = clause[..i]
                    .char_indices()
                    .rev()
                    .nth(4)
                    .map_or(0, |(k, _)| k);
                let prefixed = r
                    .prefix
                    .iter()
                    .any(|p| clause[lead..i].trim_end().ends_with(p.as_str()));
                // A number the rule's Chinese topic follows at once is in its base unit
                // ("满49包邮"; not "a visit": a number word before an English topic).
                let topic_next = !rest.starts_with(|c: char| c.is_ascii_alphabetic())
                    && r.topic
                        .iter()
                        .any(|t| !t.is_ascii() && after.starts_with(t.as_str()));
                let (times, len) = match (unit, prefixed || topic_next) {
                    (Some(u), _) => u,
                    (None, true) => (1.0, 0),
                    _ => continue,
                };
                let year_date = times == 12.0 && v >= 1000.0;
                if name || date || year_date || i > negated_from {
                    continue;
                }
                out.push(Stated {
                    rule: r.id.clone(),
                    value: v * times,
                    span: (a + i, a + i + n + skipped + len),
                });
            }
            i += n;
        }
    }
    out
}

/// Is the folded text just before byte `at` a negator of `data/policy.toml` ("不是", "not a")?
/// Used for a scenario's `false_claims` phrasings.
pub fn negated_before(text: &str, at: usize) -> bool {
    word_before(text, at, &data().negators)
}

/// Does the folded text before byte `at`, an article aside ("not a", "than the"), end with one
/// of `words` (a Latin one as a whole word)?
fn word_before(text: &str, at: usize, words: &[String]) -> bool {
    let before = text[..at.min(text.len())].trim_end();
    let before = ["a", "an", "the"]
        .iter()
        .find_map(|w| {
            before
                .strip_suffix(w)
                .filter(|b| b.is_empty() || b.ends_with(' '))
                .map(str::trim_end)
        })
        .unwrap_or(before);
    words.iter().any(|n| {
        before.ends_with(n.as_str())
            && !(n.starts_with(|c: char| c.is_ascii_alphabetic())
                && before[..before.len() - n.len()].ends_with(|c: char| c.is_ascii_alphanumeric()))
    })
}

/// Does a folded clause state what it says as the agent's claim (a scenario's false claim by
/// `clause`)? Not when it asks ("…吗?", "?"), denies (a negator of `data/policy.toml` anywhere
/// in it, a Latin one on word boundaries, or a word ending in "n't"; not one inside
/// `not_negating`: 非常, 不仅, no problem) or reports another's words or a supposition
/// (`not_claimed`: 您以为, 如果, you asked). Linear in the clause.
pub fn claims(clause: &str) -> bool {
    let d = data();
    let t = clause.trim_end().as_bytes();
    if t.ends_with(b"?") || t.ends_with("吗".as_bytes()) {
        return false;
    }
    // Where `w` starts in the clause (bytes; the words are short, so this is linear).
    fn starts<'a>(t: &'a [u8], w: &'a str) -> impl Iterator<Item = usize> + 'a {
        let w = w.as_bytes();
        (0..(t.len() + 1).saturating_sub(w.len())).filter(move |&i| t[i..].starts_with(w))
    }
    // The bytes of the words that only look like negators.
    let mut masked = vec![false; t.len()];
    for w in &d.not_negating {
        for i in starts(t, w) {
            masked[i..i + w.len()].fill(true);
        }
    }
    let alnum = |i: Option<&u8>| i.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'\'');
    // `w` in the clause, not masked; a Latin word on word boundaries.
    let has = |w: &str| {
        let latin = w.starts_with(|c: char| c.is_ascii_alphabetic());
        starts(t, w).any(|i| {
            !masked[i]
                && !(latin
                    && (alnum(i.checked_sub(1).and_then(|j| t.get(j)))
                        || alnum(t.get(i + w.len()))))
        })
    };
    // A word ending in "n't" (doesn't, can't) denies too.
    let nt = starts(t, "n't").any(|i| !masked[i] && !alnum(t.get(i + 3)));
    let denied = nt || has("cannot") || d.negators.iter().any(|n| has(n));
    !denied && !d.not_claimed.iter().any(|w| has(w))
}

/// Is the thing a claim is about, at folded byte `at`, the comparison rather than the subject
/// ("AFG2100比AFG2000多了FM", "over the AFG2000"): a word of `compared` just before it (an
/// article aside)?
pub fn compared_at(text: &str, at: usize) -> bool {
    word_before(text, at, &data().compared)
}

/// The rule ids of `data/policy.toml` (the keys a scenario's `[policy]` may use).
pub fn rule_ids() -> Vec<&'static str> {
    data().rule.iter().map(|r| r.id.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> BTreeMap<String, f64> {
        [
            ("warranty_months", 12.0),
            ("return_days", 7.0),
            ("free_shipping_yuan", 59.0),
            ("response_hours", 48.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    fn read(t: &str) -> Vec<(String, f64, String)> {
        let f = Folded::new(t);
        stated(&f, &policy())
            .into_iter()
            .map(|s| {
                let (a, b) = f.span(s.span.0, s.span.1);
                (s.rule, s.value, t.chars().skip(a).take(b - a).collect())
            })
            .collect()
    }

    /// The values `read` finds, in order.
    fn values(t: &str) -> Vec<f64> {
        read(t).iter().map(|x| x.1).collect()
    }

    #[test]
    fn chinese_numerals_are_numbers() {
        assert_eq!(chinese_number("两"), Some(2.0));
        assert_eq!(chinese_number("七"), Some(7.0));
        assert_eq!(chinese_number("十"), Some(10.0));
        assert_eq!(chinese_number("十五"), Some(15.0));
        assert_eq!(chinese_number("四十八"), Some(48.0));
        assert_eq!(chinese_number("五十九"), Some(59.0));
        assert_eq!(chinese_number("一百零五"), Some(105.0));
        assert_eq!(chinese_number("两万"), Some(20_000.0));
        assert_eq!(chinese_number("好"), None);
    }

    #[test]
    fn numbers_about_a_rule_in_three_languages() {
        let w = read("整机保修两年,四十八小时内上门,七天无理由退货,满99元包邮。");
        assert_eq!(
            w,
            vec![
                ("warranty_months".into(), 24.0, "两年".into()),
                ("response_hours".into(), 48.0, "四十八小时".into()),
                ("return_days".into(), 7.0, "七天".into()),
                ("free_shipping_yuan".into(), 99.0, "99元".into()),
            ]
        );
        let t = read("整機保固兩年,24小時內上門。");
        assert_eq!(t[0].1, 24.0);
        assert_eq!(t[1].1, 24.0);
        let e = read("It comes with a two-year warranty, a technician will visit within 2 days, and you can return it within 30 days.");
        let vals: Vec<(&str, f64)> = e.iter().map(|(r, v, _)| (r.as_str(), *v)).collect();
        assert_eq!(
            vals,
            vec![
                ("warranty_months", 24.0),
                ("response_hours", 48.0),
                ("return_days", 30.0)
            ]
        );
        assert_eq!(read("Free shipping on orders over ¥59.")[0].1, 59.0);
        assert_eq!(read("保修12个月")[0].1, 12.0);
    }

    #[test]
    fn negated_names_and_dates_are_not_stated() {
        // The denied number is not stated; the next clause states the rule.
        assert_eq!(values("保修不是两年,是一年。"), vec![12.0]);
        assert!(read("保修期并非两年").is_empty());
        assert!(read("The warranty is not two years.").is_empty());
        assert!(read("您2024年买的机器还在保修期内").is_empty());
        assert!(read("6月3日退货的").is_empty());
        assert!(read("AFG2000的保修").is_empty());
        assert!(read("48小时上门;装好后第三天我回访您")
            .iter()
            .all(|x| x.1 == 48.0));
        // Another shop's rule, a difference or an extension is not ours.
        assert!(read("有些店只保修一年").is_empty());
        assert!(read("多出来的一年保修").is_empty());
        assert!(read("再送您一年延长保固").is_empty());
        assert!(read("You also get an extra year of warranty.").is_empty());
        // What is left to reach the threshold is not the threshold (39 + 20 = 59).
        assert_eq!(values("满59元包邮,您再凑20元就能免运费了。"), vec![59.0]);
        assert!(read("还差20元就包邮了").is_empty());
        assert_eq!(
            values("我们店满59元包邮,您再挑一件20元以上的配件就免运费了。"),
            vec![59.0]
        );
        assert!(read("Add 20 yuan and shipping is free.").is_empty());
        assert_eq!(read("凑够59元就包邮")[0].1, 59.0);
        // A threshold without its unit, the topic right after it, is read too.
        assert_eq!(
            values("亲 满49包邮的 您再加个十块钱的东西就行啦"),
            vec![49.0]
        );
        // No topic in the clause: not about a rule.
        assert!(read("我两天后给您回电话。").is_empty());
        assert!(read("I'll call you back in 2 hours.").is_empty());
        // The free-shipping threshold stays in its clause: the order's total is not it.
        assert_eq!(read("满59元包邮,您这单80元。").len(), 1);
        // A clause goes on about the rule its sentence named; the next sentence does not.
        assert_eq!(read("整机保修一年,免费维修两次。")[0].1, 12.0);
        assert_eq!(read("We'll visit you; it takes 3 days.")[0].1, 72.0);
        assert!(read("We'll visit you. It takes 3 days.").is_empty());
    }

    #[test]
    fn negators_before_a_claim() {
        let t = Folded::new("不是保修两年").text;
        assert!(negated_before(&t, t.find("保修").unwrap()));
        let t = Folded::new("it is not a two-year warranty").text;
        assert!(negated_before(&t, t.find("two").unwrap()));
        let t = Folded::new("并非两年保修").text;
        assert!(negated_before(&t, t.find("两年").unwrap()));
        let t = Folded::new("canon two-year warranty").text;
        assert!(!negated_before(&t, t.find("two").unwrap()));
    }
}
