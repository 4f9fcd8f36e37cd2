//! A small learned component for what a phrase list misses most (issue #14): the violations
//! `blame` and `rudeness`, and the paraphrased `empathy`, `explain`, `ownership`, `solution`,
//! `follow_up`, `jargon` and `close` (the heads that raised the locked validation part's F1;
//! `restate` and `probe` lowered it and have none). One logistic regression per head over the reply's character 1–3-grams (on the
//! folded text, so Traditional and Simplified, full- and half-width read alike), trained from the
//! trainee corpus's *tuning* part only by `make train` (`examples/train.rs`) into
//! `data/model/learned.txt`. It reads only what it was trained on, a reply to a customer's line
//! (`detect::Context::customer_said`; a bare text is judged by the rules alone), and it adds a
//! hit only where the rules found none (blame only where the reply takes nothing on — a learned
//! remedy or ownership, weighed first, counts as taking it on — rudeness not
//! where it both apologises and takes the case on, explain not where the reply blames or is
//! rude). Every hit keeps an evidence span: the clause whose n-grams weigh most towards it.
//! The heads share one vocabulary (n-gram → a weight per head), written once in a compact text
//! form (see `LEARNED`; 371 KB, ~123 KB gzipped, n-grams seen in at least 3 tuning replies).
//!
//! Linear in the length of the reply: each n-gram is hashed once; weights are integers
//! (hundredths), so the sum does not depend on the order a hash set yields them.

use crate::lexicon::Owner;
use crate::rules::Spans;
use crate::text::Seg;
use kefu_core::principles::PrincipleId;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

/// The longest n-gram (in chars) the model reads.
pub const MAX_GRAM: usize = 3;

/// One principle's head: log-odds in hundredths.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// The principle id.
    pub id: String,
    pub bias: i64,
    /// A reply is a hit when `bias + Σ weights` exceeds this.
    pub threshold: i64,
}

/// `data/model/learned.txt`: the heads, and each n-gram's weight for every head (in the heads'
/// order), one vocabulary for all (the n-grams of the models overlap almost entirely).
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    pub principles: Vec<Head>,
    pub grams: HashMap<String, Vec<i64>>,
}

impl Models {
    /// The weight of n-gram `g` for head `k`.
    fn weight(&self, g: &str, k: usize) -> i64 {
        self.grams
            .get(g)
            .and_then(|w| w.get(k))
            .copied()
            .unwrap_or(0)
    }

    /// Every head's score for `text` (folded): bias plus the weight of each distinct n-gram.
    pub fn scores(&self, text: &str) -> Vec<i64> {
        let mut s: Vec<i64> = self.principles.iter().map(|h| h.bias).collect();
        let mut seen: HashSet<&str> = HashSet::new();
        for (a, b) in grams(text) {
            let g = &text[a..b];
            if !seen.insert(g) {
                continue;
            }
            if let Some(w) = self.grams.get(g) {
                for (x, w) in s.iter_mut().zip(w) {
                    *x = x.saturating_add(*w);
                }
            }
        }
        s
    }
}

/// The models in a compact text form (#17: the scorer module embeds it; as JSON, an array of
/// nine weights per n-gram key, it was 423 KB): `#` comment lines, then one line per head,
/// `ID BIAS THRESHOLD W1 W2 … WN` (space-separated integers, hundredths; `0`: the n-gram weighs
/// nothing for this head), then a line `--`, then the N n-grams, one per line, sorted and
/// distinct, with `\\`, `\n` and `\r` for a backslash, a line feed and a carriage return (a
/// reply's n-grams may span a line break). The n-grams are written once for every head, and each
/// head's weights apart from them, so both compress well.
const LEARNED: &str = include_str!("../../../data/model/learned.txt");

/// The embedded models (parsed once). A model that does not parse is no model: the rules alone
/// judge (a test checks the embedded file parses).
pub fn builtin() -> Option<&'static Models> {
    static M: OnceLock<Option<Models>> = OnceLock::new();
    M.get_or_init(|| parse(LEARNED).ok()).as_ref()
}

thread_local! {
    /// Models given by `with_models` (on this thread), in place of the embedded ones.
    static GIVEN: RefCell<Option<Arc<Models>>> = const { RefCell::new(None) };
}

/// Run `f` with `models` in place of the embedded ones on this thread (`make eval` scores each
/// tuning reply with heads that were not trained on it). The embedded models are back when `f`
/// returns or unwinds.
pub fn with_models<R>(models: Arc<Models>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Arc<Models>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let prev = self.0.take();
            GIVEN.with(|g| *g.borrow_mut() = prev);
        }
    }
    let _restore = Restore(GIVEN.with(|g| g.borrow_mut().replace(models)));
    f()
}

/// Read the text form (see `LEARNED`). Linear in the length of `src`; `Err` for anything but
/// what `write` makes (a missing `--` line, a number that does not parse, a head with more or
/// fewer weights than there are n-grams, an unknown escape, n-grams out of order or repeated).
pub fn parse(src: &str) -> Result<Models, String> {
    let (head, tail) = src
        .split_once("\n--\n")
        .ok_or("learned: no `--` line before the n-grams")?;
    let mut names: Vec<String> = Vec::new();
    for line in tail.split_terminator('\n') {
        let g = unescape(line)?;
        if names.last().is_some_and(|last| *last >= g) {
            return Err(format!(
                "learned: the n-gram {g:?} is out of order or repeated"
            ));
        }
        names.push(g);
    }
    let mut principles = Vec::new();
    // Head by head, then n-gram by n-gram: the weights as the file holds them.
    let mut columns: Vec<Vec<i64>> = Vec::new();
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
        let weights = (0..names.len())
            .map(|_| num())
            .collect::<Result<Vec<_>, _>>()?;
        if f.next().is_some() {
            return Err(format!("learned: {id}: more weights than n-grams"));
        }
        principles.push(Head {
            id,
            bias,
            threshold,
        });
        columns.push(weights);
    }
    let grams = names
        .into_iter()
        .enumerate()
        .map(|(j, g)| (g, columns.iter().map(|c| c[j]).collect()))
        .collect();
    Ok(Models { principles, grams })
}

/// Write the text form (`make train`): `comment` (one `#` line per line), then `models`. `Err`
/// for an n-gram the form cannot hold (an empty one) or one without a weight for every head.
pub fn write(comment: &str, models: &Models) -> Result<String, String> {
    use std::fmt::Write as _;
    let mut grams: Vec<(&String, &Vec<i64>)> = models.grams.iter().collect();
    grams.sort_unstable_by_key(|(g, _)| *g);
    let heads = models.principles.len();
    if let Some((g, _)) = grams.iter().find(|(g, w)| g.is_empty() || w.len() != heads) {
        return Err(format!("learned: the n-gram {g:?} cannot be written"));
    }
    let mut out = String::new();
    for l in comment.lines() {
        let _ = writeln!(out, "# {l}");
    }
    for (k, h) in models.principles.iter().enumerate() {
        if h.id.is_empty() || h.id.contains([' ', '\n', '#']) {
            return Err(format!("learned: the head {:?} cannot be written", h.id));
        }
        let _ = write!(out, "{} {} {}", h.id, h.bias, h.threshold);
        for (_, w) in &grams {
            let _ = write!(out, " {}", w[k]);
        }
        out.push('\n');
    }
    out.push_str("--\n");
    for (g, _) in &grams {
        for c in g.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// An n-gram as written (see `LEARNED`).
fn unescape(line: &str) -> Result<String, String> {
    let mut out = String::with_capacity(line.len());
    let mut cs = line.chars();
    while let Some(c) = cs.next() {
        out.push(match c {
            '\\' => match cs.next() {
                Some('\\') => '\\',
                Some('n') => '\n',
                Some('r') => '\r',
                _ => return Err(format!("learned: a bad escape in the n-gram {line:?}")),
            },
            c => c,
        });
    }
    if out.is_empty() {
        return Err("learned: an empty n-gram".to_string());
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

/// The learned hits of the folded `text`: for each modelled principle above its threshold, the
/// clause (byte span) whose n-grams weigh most towards it.
pub fn hits(text: &str, clauses: &[Seg]) -> Vec<(PrincipleId, (usize, usize))> {
    let given = GIVEN.with(|g| g.borrow().clone());
    let Some(models) = given.as_deref().or_else(|| builtin()) else {
        return Vec::new();
    };
    let scores = models.scores(text);
    let mut out = Vec::new();
    for (k, (h, s)) in models.principles.iter().zip(scores).enumerate() {
        let Some(p) = PrincipleId::parse(&h.id) else {
            continue;
        };
        if s <= h.threshold {
            continue;
        }
        if let Some(span) = best_clause(models, k, text, clauses) {
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
    // The case taken on first (a learned remedy or ownership guards a learned blame, as the
    // rules' do), then the violations (a learned blame or rudeness guards the learned explain).
    let mut found = hits(text, clauses);
    found.sort_by_key(|(id, _)| match id {
        PrincipleId::Ownership | PrincipleId::Solution => 0,
        PrincipleId::Blame | PrincipleId::Rudeness => 1,
        _ => 2,
    });
    for (id, span) in found {
        // Blame: a cause stated while the case is taken on (ownership or a remedy) is not blame.
        // Rudeness: a reply that both apologises and takes the case on is read by the rules
        // alone (the n-grams of "I'll get back to you" are not a taunt).
        let guard: &[PrincipleId] = match id {
            PrincipleId::Blame => &[PrincipleId::Ownership, PrincipleId::Solution],
            PrincipleId::Rudeness => &[PrincipleId::Apology, PrincipleId::Ownership],
            // Explain: none in a reply that blames or is rude (`rules/explain.rs`).
            PrincipleId::Explain => crate::rules::explain::DEFLECTS,
            _ => &[],
        };
        let guarded = match id {
            PrincipleId::Rudeness => guard.iter().all(|g| has(spans, *g)),
            _ => guard.iter().any(|g| has(spans, *g)),
        };
        // Jargon: not in a clause holding a term the reply may use (its n-grams are the term's).
        let excused = id == PrincipleId::Jargon
            && spans
                .get(&crate::rules::EXCUSED_JARGON)
                .is_some_and(|v| v.iter().any(|&(s, e)| s < span.1 && span.0 < e));
        if has(spans, id) || guarded || excused {
            continue;
        }
        spans.entry(Owner::Principle(id)).or_default().push(span);
    }
}

/// The clause with the largest sum of positive n-gram weights (whole text if no clause).
fn best_clause(m: &Models, k: usize, text: &str, clauses: &[Seg]) -> Option<(usize, usize)> {
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
        let w = m.weight(&text[a..b], k);
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
        let ids: Vec<&str> = m.principles.iter().map(|h| h.id.as_str()).collect();
        for id in ["blame", "rudeness", "explain", "empathy"] {
            assert!(ids.contains(&id), "{id}");
        }
        assert!(ids.iter().all(|id| PrincipleId::parse(id).is_some()));
        assert!(m.grams.values().all(|w| w.len() == ids.len()));
        assert!(!m.grams.is_empty());
    }

    /// The text form reads back exactly what `make train` writes: the embedded file is what
    /// `write` makes of the models parsed from it, and each head's weights are its own.
    #[test]
    fn the_text_form_round_trips() {
        let m = builtin().expect("parses");
        let comment: Vec<&str> = LEARNED
            .lines()
            .map_while(|l| l.strip_prefix("# "))
            .collect();
        assert_eq!(write(&comment.join("\n"), m).unwrap(), LEARNED);
        let two = Models {
            principles: vec![
                Head {
                    id: "a".into(),
                    bias: 1,
                    threshold: 2,
                },
                Head {
                    id: "b".into(),
                    bias: -3,
                    threshold: 0,
                },
            ],
            grams: HashMap::from([
                ("x y".to_string(), vec![5, 9]),
                (",\n\\".to_string(), vec![0, -7]),
            ]),
        };
        let text = write("c", &two).unwrap();
        assert_eq!(text, "# c\na 1 2 0 5\nb -3 0 -7 9\n--\n,\\n\\\\\nx y\n");
        let back = parse(&text).unwrap();
        assert_eq!(back, two);
        assert_eq!(back.scores("x y"), [6, 6]);
        let empty = Models {
            grams: HashMap::from([(String::new(), vec![1, 1])]),
            ..two.clone()
        };
        assert!(write("c", &empty).is_err());
        let short = Models {
            grams: HashMap::from([("x".to_string(), vec![1])]),
            ..two
        };
        assert!(write("c", &short).is_err());
    }

    /// A file that is not what `write` makes is an `Err` (then the rules alone judge), never a
    /// panic nor a model read askew.
    #[test]
    fn a_malformed_text_form_is_an_error() {
        for bad in [
            "",
            "a 1 2 5\n",
            "--\nx\n",
            "a 1 2 5\n--\n",
            "a 1 2\n--\nx\n",
            "a 1 2 5 6\n--\nx\n",
            "a 1 2 five\n--\nx\n",
            "a 1\n--\nx\n",
            "a 1 2 5 6\n--\ny\nx\n",
            "a 1 2 5 6\n--\nx\nx\n",
            "a 1 2 5 6\n--\nx\n\ny\n",
            "a 1 2 5\n--\n\\q\n",
            "a 1 2 5\n--\nx\\\n",
            "a 99999999999999999999 2 5\n--\nx\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        let cut = &LEARNED[..LEARNED.len() / 2];
        assert!(parse(cut).is_err());
        let (one_gram_less, _) = LEARNED.trim_end_matches('\n').rsplit_once('\n').unwrap();
        assert!(parse(one_gram_less).is_err());
        assert!(parse("# c\na 1 2 5\n--\nx\n").is_ok());
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

    /// Explain without a connective is learned (运费是按件收的,小件摊下来成本高: the reason
    /// for a price), but never in a reply that blames or is rude (`rules/explain.rs`).
    #[test]
    fn learned_explain_not_beside_blame() {
        let t = "运费是快递按件收的,小件摊下来成本就高了,所以单独寄会贵一些";
        assert!(hits(&crate::text::Folded::new(t).text, &[])
            .iter()
            .any(|(p, _)| *p == PrincipleId::Explain));
        assert!(learned(t, &mut Spans::new()).contains(&PrincipleId::Explain));
        let mut blamed = Spans::new();
        blamed.insert(Owner::Principle(PrincipleId::Blame), vec![(0, 3)]);
        assert!(!learned(t, &mut blamed).contains(&PrincipleId::Explain));
    }

    /// A learned hit's evidence is one clause of the reply, as typed.
    #[test]
    fn a_learned_hit_points_at_a_clause() {
        use crate::detect::{detect, Context};
        let t = "这么简单的问题还要问,页面上都有";
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

    /// Models given by `with_models` judge in place of the embedded ones, on this thread and
    /// only while the closure runs (make eval's out-of-fold tuning figure).
    #[test]
    fn given_models_stand_in_for_the_embedded_ones() {
        let t = &crate::text::Folded::new("你们自己没看好尺码,我们也没办法").text;
        let blame =
            |h: Vec<(PrincipleId, (usize, usize))>| h.iter().any(|(p, _)| *p == PrincipleId::Blame);
        assert!(blame(hits(t, &[])));
        let none = Arc::new(Models {
            principles: vec![],
            grams: HashMap::new(),
        });
        assert!(!with_models(none.clone(), || blame(hits(t, &[]))));
        let eager = Arc::new(Models {
            principles: vec![Head {
                id: "blame".into(),
                bias: 1,
                threshold: 0,
            }],
            grams: HashMap::new(),
        });
        let (inner, after_inner) = with_models(eager, || {
            let inner = with_models(none, || blame(hits("x", &[])));
            (inner, blame(hits("x", &[])))
        });
        assert!(!inner, "the innermost models judge");
        assert!(after_inner, "the outer models are back");
        assert!(!blame(hits("x", &[])), "the embedded models are back");
        assert!(blame(hits(t, &[])));
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
