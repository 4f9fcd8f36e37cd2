//! A small learned component for the two violations a phrase list misses most (issue #14):
//! `blame` and `rudeness`. A logistic regression over the reply's character 1–3-grams (on the
//! folded text, so Traditional and Simplified, full- and half-width read alike), trained from the
//! trainee corpus's *tuning* part only by `make train` (`examples/train.rs`) into
//! `data/model/learned.txt`. It reads only what it was trained on, a reply to a customer's line
//! (`detect::Context::customer_said`; a bare text is judged by the rules alone), and it adds a
//! hit only where the rules found none (blame only where the reply takes nothing on, rudeness not
//! where it both apologises and takes the case on). Every hit keeps an evidence span: the clause
//! whose n-grams weigh most towards the violation.
//!
//! Linear in the length of the reply: each n-gram is hashed once; weights are integers
//! (hundredths), so the sum does not depend on the order a hash set yields them.

use crate::lexicon::Owner;
use crate::rules::Spans;
use crate::text::Seg;
use kefu_core::principles::PrincipleId;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// The longest n-gram (in chars) the model reads.
pub const MAX_GRAM: usize = 3;

/// One principle's model: log-odds in hundredths.
#[derive(Debug)]
pub struct Model {
    pub bias: i64,
    /// A reply is a hit when `bias + Σ weights` exceeds this.
    pub threshold: i64,
    /// n-gram → weight (never 0: a gram the model leaves out weighs nothing).
    pub weights: HashMap<&'static str, i64>,
}

/// `data/model/learned.txt`: principle id → model.
#[derive(Debug)]
pub struct Models {
    pub principles: BTreeMap<String, Model>,
}

/// The models in a compact text form (#17: the scorer module embeds it; as JSON, one object of
/// n-gram keys per model, it was 152 KB and 40 KB brotli): `#` comment lines, then one line per
/// principle, `ID BIAS THRESHOLD W1 W2 … WN` (space-separated integers, hundredths; `0`: the
/// n-gram is not in this model), then a line `--`, then the N n-grams, one per line, sorted (an
/// n-gram never holds a line break: `make train` refuses one). The n-grams are written once
/// for every model, and their weights apart from them, so each compresses well.
const LEARNED: &str = include_str!("../../../data/model/learned.txt");

/// The embedded models (parsed once). A model that does not parse is no model: the rules alone
/// judge (a test checks the embedded file parses).
pub fn builtin() -> Option<&'static Models> {
    static M: OnceLock<Option<Models>> = OnceLock::new();
    M.get_or_init(|| parse(LEARNED).ok()).as_ref()
}

/// Read the text form (see `LEARNED`).
pub fn parse(src: &'static str) -> Result<Models, String> {
    let (head, grams) = src
        .split_once("\n--\n")
        .ok_or("learned: no `--` line before the n-grams")?;
    let grams: Vec<&'static str> = grams.split_terminator('\n').collect();
    let mut principles = BTreeMap::new();
    for line in head
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split(' ');
        let id = f.next().unwrap_or_default().to_string();
        let mut num = || -> Result<i64, String> {
            f.next()
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("learned: {id}: a number expected"))
        };
        let (bias, threshold) = (num()?, num()?);
        let mut weights = HashMap::new();
        for g in &grams {
            let w = num()?;
            if w != 0 {
                weights.insert(*g, w);
            }
        }
        if f.next().is_some() {
            return Err(format!("learned: {id}: more weights than n-grams"));
        }
        principles.insert(
            id,
            Model {
                bias,
                threshold,
                weights,
            },
        );
    }
    Ok(Models { principles })
}

/// Write the text form (`make train`): `comment`, then each model as `(id, bias, threshold,
/// weights)`. `Err` names an n-gram the format cannot hold (a line break in it).
pub fn write(
    comment: &str,
    models: &[(&str, i64, i64, &BTreeMap<String, i64>)],
) -> Result<String, String> {
    let mut grams: Vec<&str> = models
        .iter()
        .flat_map(|m| m.3.keys().map(String::as_str))
        .collect();
    grams.sort_unstable();
    grams.dedup();
    if let Some(g) = grams.iter().find(|g| g.contains('\n') || g.is_empty()) {
        return Err(format!("learned: the n-gram {g:?} cannot be written"));
    }
    let mut out = String::new();
    for l in comment.lines() {
        out.push_str(&format!("# {l}\n"));
    }
    for (id, bias, threshold, w) in models {
        out.push_str(&format!("{id} {bias} {threshold}"));
        for g in &grams {
            out.push_str(&format!(" {}", w.get(*g).copied().unwrap_or(0)));
        }
        out.push('\n');
    }
    out.push_str("--\n");
    for g in &grams {
        out.push_str(g);
        out.push('\n');
    }
    Ok(out)
}

/// Every char 1..=`MAX_GRAM`-gram of `text` as a byte range, skipping grams that are only
/// whitespace. The features of training and scoring alike.
pub fn grams(text: &str) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let mut out = Vec::with_capacity(starts.len() * MAX_GRAM);
    for i in 0..starts.len().saturating_sub(1) {
        for n in 1..=MAX_GRAM {
            let Some(&end) = starts.get(i + n) else { break };
            if !text[starts[i]..end].trim().is_empty() {
                out.push((starts[i], end));
            }
        }
    }
    out
}

/// The model's score for `text` (folded): bias plus the weight of each distinct n-gram.
pub fn score(m: &Model, text: &str) -> i64 {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut s = m.bias;
    for (a, b) in grams(text) {
        let g = &text[a..b];
        if seen.insert(g) {
            s = s.saturating_add(m.weights.get(g).copied().unwrap_or(0));
        }
    }
    s
}

/// The learned hits of the folded `text`: for each modelled principle above its threshold, the
/// clause (byte span) whose n-grams weigh most towards it.
pub fn hits(text: &str, clauses: &[Seg]) -> Vec<(PrincipleId, (usize, usize))> {
    let Some(models) = builtin() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (id, m) in &models.principles {
        let Some(p) = PrincipleId::parse(id) else {
            continue;
        };
        if score(m, text) <= m.threshold {
            continue;
        }
        if let Some(span) = best_clause(m, text, clauses) {
            out.push((p, span));
        }
    }
    out
}

/// Add the learned hits to the rules' spans: only where the rules found nothing; blame only where
/// the reply takes nothing on (no ownership, no remedy): a cause stated while the case is taken
/// on is not blame (快递在途中延误了,我来帮您催), whatever its words; rudeness not where the reply
/// both apologises and takes the case on.
pub fn apply(text: &str, clauses: &[Seg], spans: &mut Spans) {
    let has = |spans: &Spans, id: PrincipleId| {
        spans
            .get(&Owner::Principle(id))
            .is_some_and(|v| !v.is_empty())
    };
    for (id, span) in hits(text, clauses) {
        // Blame: a cause stated while the case is taken on (ownership or a remedy) is not blame.
        // Rudeness: a reply that both apologises and takes the case on is read by the rules
        // alone (the n-grams of "I'll get back to you" are not a taunt).
        let guard: &[PrincipleId] = match id {
            PrincipleId::Blame => &[PrincipleId::Ownership, PrincipleId::Solution],
            PrincipleId::Rudeness => &[PrincipleId::Apology, PrincipleId::Ownership],
            _ => &[],
        };
        let guarded = match id {
            PrincipleId::Rudeness => guard.iter().all(|g| has(spans, *g)),
            _ => guard.iter().any(|g| has(spans, *g)),
        };
        if has(spans, id) || guarded {
            continue;
        }
        spans.entry(Owner::Principle(id)).or_default().push(span);
    }
}

/// The clause with the largest sum of positive n-gram weights (whole text if no clause).
fn best_clause(m: &Model, text: &str, clauses: &[Seg]) -> Option<(usize, usize)> {
    if clauses.is_empty() {
        return (!text.is_empty()).then_some((0, text.len()));
    }
    let mut sums = vec![0i64; clauses.len()];
    let mut ci = 0;
    for (a, b) in grams(text) {
        while ci < clauses.len() && clauses[ci].end <= a {
            ci += 1;
        }
        let Some(c) = clauses.get(ci) else { break };
        if a < c.start || b > c.end {
            continue;
        }
        let w = m.weights.get(&text[a..b]).copied().unwrap_or(0);
        if w > 0 {
            sums[ci] = sums[ci].saturating_add(w);
        }
    }
    let (i, _) = sums
        .iter()
        .enumerate()
        .max_by_key(|&(i, s)| (*s, -(i as i64)))?;
    clauses.get(i).map(|c| (c.start, c.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_models_parse_and_cover_blame_and_rudeness() {
        let m = builtin().expect("data/model/learned.txt parses");
        assert!(m.principles.contains_key("blame"));
        assert!(m.principles.contains_key("rudeness"));
        assert!(m.principles.values().all(|p| !p.weights.is_empty()));
    }

    /// The text form reads back exactly what `make train` writes: the embedded file is what
    /// `write` makes of the models parsed from it, and a model's weights are its own.
    #[test]
    fn the_text_form_round_trips() {
        let m = builtin().expect("parses");
        let maps: Vec<(&str, i64, i64, BTreeMap<String, i64>)> = m
            .principles
            .iter()
            .map(|(id, p)| {
                let w = p.weights.iter().map(|(g, w)| (g.to_string(), *w)).collect();
                (id.as_str(), p.bias, p.threshold, w)
            })
            .collect();
        let maps: Vec<_> = maps.iter().map(|(id, b, t, w)| (*id, *b, *t, w)).collect();
        let comment = LEARNED.lines().next().unwrap().trim_start_matches("# ");
        assert_eq!(write(comment, &maps).unwrap(), LEARNED);
        let two = write(
            "c",
            &[
                ("a", 1, 2, &BTreeMap::from([("x y".to_string(), 5)])),
                (
                    "b",
                    -3,
                    0,
                    &BTreeMap::from([(" z".to_string(), -7), ("x y".to_string(), 9)]),
                ),
            ],
        )
        .unwrap();
        assert_eq!(two, "# c\na 1 2 0 5\nb -3 0 -7 9\n--\n z\nx y\n");
        let back = parse(Box::leak(two.into_boxed_str())).unwrap();
        assert_eq!(back.principles["a"].weights, HashMap::from([("x y", 5)]));
        assert_eq!(
            back.principles["b"].weights,
            HashMap::from([(" z", -7), ("x y", 9)])
        );
        assert_eq!(
            (back.principles["b"].bias, back.principles["b"].threshold),
            (-3, 0)
        );
        assert!(write(
            "c",
            &[("a", 0, 0, &BTreeMap::from([("x\ny".to_string(), 1)]))]
        )
        .is_err());
    }

    fn learned(t: &str, spans: &mut Spans) -> Vec<PrincipleId> {
        let f = crate::text::Folded::new(t);
        apply(&f.text, &crate::text::clauses(&f.text), spans);
        spans
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .filter_map(|(o, _)| o.principle())
            .collect()
    }

    /// The model adds blame where the reply takes nothing on, never where it takes the case on
    /// (a remedy or ownership beside a cause is not blame), and never beside a rule's own hit.
    #[test]
    fn learned_blame_only_where_nothing_is_taken_on() {
        let t = "你们自己没看好尺码,我们也没办法";
        assert!(learned(t, &mut Spans::new()).contains(&PrincipleId::Blame));
        let mut owned = Spans::new();
        owned.insert(Owner::Principle(PrincipleId::Ownership), vec![(0, 3)]);
        assert!(!learned(t, &mut owned).contains(&PrincipleId::Blame));
        let mut ruled = Spans::new();
        ruled.insert(Owner::Principle(PrincipleId::Blame), vec![(0, 3)]);
        learned(t, &mut ruled);
        assert_eq!(ruled[&Owner::Principle(PrincipleId::Blame)], vec![(0, 3)]);
    }

    /// A reply that apologises and takes the case on is not called rude for its n-grams: the
    /// shipped model answer of angry-refund-not-received's `angrier` turn.
    #[test]
    fn an_apology_with_the_case_taken_on_is_not_learned_rude() {
        use crate::detect::{detect, Context};
        let cx = Context {
            customer_said: Some("You're the ones who haven't refunded me, and you blame me?"),
            ..Context::default()
        };
        let t = "I'm very sorry, I shouldn't have said that. I'll take care of your refund \
                 myself: I'm checking and submitting it now, and I'll get back to you within ten \
                 minutes.";
        let d = detect(t, crate::lexicon::Lexicon::builtin(), &cx);
        assert!(!d.findings[&PrincipleId::Rudeness].hit);
        assert!(!d.findings[&PrincipleId::Blame].hit);
    }

    /// A learned hit's evidence is one clause of the reply, as typed.
    #[test]
    fn a_learned_hit_points_at_a_clause() {
        use crate::detect::{detect, Context};
        let t = "那是您自己没注意,我们页面写得很明白";
        let cx = Context {
            customer_said: Some("你们的产品有问题!"),
            ..Context::default()
        };
        let d = detect(t, crate::lexicon::Lexicon::builtin(), &cx);
        let r = &d.findings[&PrincipleId::Rudeness];
        assert!(r.hit);
        assert_eq!(r.evidence.len(), 1);
        let (a, b) = r.evidence[0];
        let clause: String = t.chars().skip(a).take(b - a).collect();
        assert!(
            t.split(',').any(|c| clause.trim_end_matches(',') == c),
            "{clause}"
        );
        // Scored on its own (no customer line: not what the model was trained on), the rules alone.
        let alone = detect(t, crate::lexicon::Lexicon::builtin(), &Context::default());
        assert!(!alone.findings[&PrincipleId::Rudeness].hit);
    }

    #[test]
    fn grams_are_char_ranges_without_blank_ones() {
        let g: Vec<&str> = grams("您 好")
            .iter()
            .map(|&(a, b)| &"您 好"[a..b])
            .collect();
        assert_eq!(g, ["您", "您 ", "您 好", " 好", "好"]);
        assert!(grams("").is_empty());
    }
}
