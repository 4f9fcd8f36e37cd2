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
//! form (`form::parse`; 371 KB, ~105 KB brotli; n-grams seen in at least 3 tuning replies) and
//! embedded packed (`PACKED`).
//!
//! Linear in the length of the reply: each n-gram is looked up once (a binary search in the
//! fixed vocabulary); weights are integers (hundredths), so the sum does not depend on the
//! order a hash set yields them.

use crate::lexicon::Owner;
use crate::rules::Spans;
use crate::text::Seg;
use kefu_core::principles::PrincipleId;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

mod form;
pub use form::{grams, pack, parse, write, Head, Models, Packed, Weights, MAX_GRAM};

/// The embedded models: `data/model/learned.txt` (the text form `make train` writes, the source
/// of truth) packed by `crates/data-build.rs` at build time (`pack`; a file that does not parse
/// fails the build at its path), read in place (#17: the scorer module carries neither the text,
/// 375 KB, nor its parser, and opening it at start only sums the n-grams' lengths).
static PACKED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/learned.bin"));

/// The embedded models (opened once). Bytes that are not the packed form are no model: the
/// rules alone judge (a test checks the embedded models open and equal the text form's).
pub fn builtin() -> Option<&'static Packed<'static>> {
    static M: OnceLock<Option<Packed<'static>>> = OnceLock::new();
    M.get_or_init(|| Packed::read(PACKED).ok()).as_ref()
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

/// The learned hits of the folded `text`: for each modelled principle above its threshold, the
/// clause (byte span) whose n-grams weigh most towards it.
pub fn hits(text: &str, clauses: &[Seg]) -> Vec<(PrincipleId, (usize, usize))> {
    let given = GIVEN.with(|g| g.borrow().clone());
    let models: &dyn Weights = match (&given, builtin()) {
        (Some(m), _) => &**m,
        (None, Some(m)) => m,
        (None, None) => return Vec::new(),
    };
    let scores = models.scores(text);
    let mut out = Vec::new();
    for (k, (h, s)) in models.heads().iter().zip(scores).enumerate() {
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
fn best_clause(m: &dyn Weights, k: usize, text: &str, clauses: &[Seg]) -> Option<(usize, usize)> {
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
    use std::collections::HashMap;

    /// The source of truth the embedded models are packed from.
    const LEARNED: &str = include_str!("../../../data/model/learned.txt");

    #[test]
    fn the_embedded_models_open_and_cover_blame_and_rudeness() {
        let m = builtin().expect("the packed models open").to_models();
        let ids: Vec<&str> = m.principles.iter().map(|h| h.id.as_str()).collect();
        for id in ["blame", "rudeness", "explain", "empathy"] {
            assert!(ids.contains(&id), "{id}");
        }
        assert!(ids.iter().all(|id| PrincipleId::parse(id).is_some()));
        assert!(m.grams.values().all(|w| w.len() == ids.len()));
        assert!(!m.grams.is_empty());
    }

    /// The embedded (packed) models are exactly the text form's: every head, n-gram and weight,
    /// and the same scores and evidence weights for a reply.
    #[test]
    fn the_packed_models_are_the_text_forms() {
        let text = parse(LEARNED).expect("data/model/learned.txt parses");
        let packed = builtin().expect("opens");
        assert_eq!(packed.to_models(), text);
        for t in [
            "你们自己没看好尺码,我们也没办法",
            "I'm so sorry, I'll fix it now.\n",
        ] {
            let f = crate::text::Folded::new(t).text;
            assert_eq!(Weights::scores(packed, &f), text.scores(&f), "{t}");
            for (a, b) in grams(&f) {
                for k in 0..text.principles.len() + 1 {
                    assert_eq!(packed.weight(&f[a..b], k), text.weight(&f[a..b], k));
                }
            }
        }
        // Weights outside a byte and heads as they come: packed and read back exactly.
        let wide = Models {
            principles: vec![Head {
                id: "a".into(),
                bias: i64::MIN,
                threshold: i64::MAX,
            }],
            grams: HashMap::from([
                ("x".to_string(), vec![-128]),
                ("y".to_string(), vec![127]),
                ("z".to_string(), vec![1 << 40]),
                ("\n您".to_string(), vec![-129]),
            ]),
        };
        let bytes = pack(&wide).unwrap();
        assert_eq!(Packed::read(&bytes).unwrap().to_models(), wide);
        assert!(Packed::read(&bytes[..bytes.len() - 1]).is_err());
        assert!(Packed::read(b"").is_err());
        let empty_gram = Models {
            grams: HashMap::from([(String::new(), vec![1])]),
            ..wide
        };
        assert!(pack(&empty_gram).is_err());
    }

    /// The text form reads back exactly what `make train` writes: the embedded file is what
    /// `write` makes of the models parsed from it, and each head's weights are its own.
    #[test]
    fn the_text_form_round_trips() {
        let m = builtin().expect("opens").to_models();
        let comment: Vec<&str> = LEARNED
            .lines()
            .map_while(|l| l.strip_prefix("# "))
            .collect();
        assert_eq!(write(&comment.join("\n"), &m).unwrap(), LEARNED);
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
