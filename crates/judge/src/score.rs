//! Scoring: turn detections into a judgement — per-principle hit/miss with evidence, a 0–100
//! score weighted per scenario kind (or per turn), one tip per miss citing the handbook, and a
//! graded courtesy estimate. Never panics.

use crate::detect::{self, Context, Detection};
use crate::lexicon::Lexicon;
use crate::text::Folded;
pub use kefu_core::judgement::{
    penalty, ClaimRule, FactRule, Finding, JudgeRequest, Judgement, ScenarioKind, Tip, TurnRules,
};
use kefu_core::principles::{self, Lang, PrincipleId};
use std::collections::BTreeMap;

/// The engine module's `judge`: a `JudgeRequest` as JSON in, a `Judgement` as JSON out, or
/// `{"error": …}` for a request that does not parse. Never panics.
pub fn judge_json(request: &str) -> String {
    match kefu_core::judgement::read::request(request) {
        Ok(r) => judge(&r.text, r.lang, &r.rules, r.secs).to_json(),
        // Written by hand, as the judgement is (`judgement::write`): no serializer here (#17).
        Err(e) => kefu_core::judgement::write::error(&e),
    }
}

/// The scorer as the dialogue engine takes it natively (`kefu_core::dialogue::Judge`): a reply
/// judged at a turn, turn principles included.
pub fn native_judge(text: &str, lang: Lang, rules: &TurnRules, secs: Option<f64>) -> Judgement {
    judge(text, lang, rules, secs)
}

/// Score a reply on its own (no scenario): the reply principles, and a turn principle only
/// where the general kind weighs it (`kefu score` without `--turn`).
pub fn score(text: &str, lang: Lang) -> Judgement {
    judge_with(
        text,
        lang,
        &TurnRules::default(),
        None,
        TurnPrinciples::WhenWeighted,
    )
}

/// Score a reply to what the customer said, without a scenario (`kefu score` with a line's
/// `context`): as [`score`], and the learned heads read it too (they judge replies to a
/// customer's line, as in play).
pub fn score_reply_to(text: &str, lang: Lang, customer_said: &str) -> Judgement {
    let turn = TurnRules {
        customer_said: Some(customer_said.to_string()),
        ..TurnRules::default()
    };
    judge_with(text, lang, &turn, None, TurnPrinciples::WhenWeighted)
}

/// Judge a reply at a scenario turn: the reply principles and the turn principles (`facts`,
/// `order`, `close`, and `timeliness` when the turn has a target time), always reported
/// (contract §2, `kefu score --turn`). `elapsed_secs` is the time the trainee took.
pub fn judge(text: &str, lang: Lang, turn: &TurnRules, elapsed_secs: Option<f64>) -> Judgement {
    judge_with(text, lang, turn, elapsed_secs, TurnPrinciples::Always)
}

/// The weight of `timeliness` at a turn with a target time whose `expects` does not weigh it.
pub const TIMELINESS_WEIGHT: f32 = 1.0;

/// Which turn principles (`facts`, `order`, `close`) a judgement reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TurnPrinciples {
    /// Every one: the reply was given at a turn.
    Always,
    /// Only those the weights ask for: a reply scored on its own.
    WhenWeighted,
}

/// Byte ranges of the decimal numbers (`12`, `3.5`) in already-folded ASCII-digit text. A
/// scan this simple needs no regex engine (which would add ~70 KB gzipped to the app).
fn numbers(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let digits = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // A run of Chinese numerals (四十八, 两千万); a lone 一 or 两 is mostly "a"/"a couple".
        if s.get(i..)
            .and_then(|r| r.chars().next())
            .is_some_and(crate::policy::is_cn_numeral)
        {
            let end = i + s[i..]
                .find(|c: char| !crate::policy::is_cn_numeral(c))
                .unwrap_or(s.len() - i);
            if !matches!(&s[i..end], "一" | "两" | "万" | "千" | "百") {
                out.push((i, end));
            }
            i = end;
            continue;
        }
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut end = digits(i);
        if end + 1 < b.len() && b[end] == b'.' && b[end + 1].is_ascii_digit() {
            end = digits(end + 1);
        }
        out.push((i, end));
        i = end;
    }
    out
}

/// Judge a reply against `turn`, reporting the turn principles `turn_principles` says.
fn judge_with(
    text: &str,
    lang: Lang,
    turn: &TurnRules,
    elapsed_secs: Option<f64>,
    turn_principles: TurnPrinciples,
) -> Judgement {
    let fold = |terms: &[String]| -> Vec<String> {
        terms.iter().map(|j| Folded::fold_pattern(j)).collect()
    };
    let (folded_jargon, folded_allowed, folded_model) = (
        fold(&turn.jargon),
        fold(&turn.allowed_terms),
        fold(&turn.model_terms),
    );
    let cx = Context {
        customer_names: &turn.customer_names,
        customer_said: turn.customer_said.as_deref(),
        extra_jargon: &folded_jargon,
        allowed_terms: &folded_allowed,
        model_terms: &folded_model,
    };
    let d = detect::detect(text, Lexicon::builtin(), &cx);
    // Findings by id; the judgement's map (keyed by the ids as written) is built at the end.
    let mut found: BTreeMap<PrincipleId, Finding> = BTreeMap::new();
    for id in principles::reply_ids() {
        found.insert(id, d.findings.get(&id).cloned().unwrap_or_default());
    }
    // The turn's weights, or its kind's; an id no principle has weighs nothing (the checker
    // reports it in a scenario file).
    let weights: Vec<(PrincipleId, f32)> = if turn.weights.is_empty() {
        turn.kind.default_weights()
    } else {
        &turn.weights
    }
    .iter()
    .filter_map(|(k, w)| PrincipleId::parse(k).map(|id| (id, *w)))
    .collect();
    let wants = |id: PrincipleId| weights.iter().any(|(k, w)| *k == id && *w > 0.0);
    let always = turn_principles == TurnPrinciples::Always;

    let mut false_claim = false;
    let mut stated_facts = Vec::new();
    if always || wants(PrincipleId::Facts) || turn.asks.is_some() {
        let (f, claim) = judge_facts(&d, turn, &mut stated_facts);
        false_claim = claim;
        if always || wants(PrincipleId::Facts) {
            found.insert(PrincipleId::Facts, f);
        }
    }
    // The customer's question (`asks`): `answers`, weighted at that turn even when its
    // `expects` does not name it.
    let mut weights = weights;
    if let Some(ask) = &turn.asks {
        let fact_spans: Vec<(usize, usize)> = ask
            .fact
            .as_ref()
            .and_then(|id| stated_facts.iter().find(|(k, _)| k == id))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        found.insert(
            PrincipleId::Answers,
            crate::answers::judge(
                &d.folded,
                ask,
                turn.customer_said.as_deref(),
                &fact_spans,
                &turn.policy,
            ),
        );
        if !weights.iter().any(|(k, _)| *k == PrincipleId::Answers) {
            weights.push((PrincipleId::Answers, crate::answers::weight()));
        }
    }
    let wants = |id: PrincipleId| weights.iter().any(|(k, w)| *k == id && *w > 0.0);
    if always || wants(PrincipleId::Order) {
        found.insert(PrincipleId::Order, judge_order(&d));
    }
    if always || wants(PrincipleId::Close) {
        let close = d.findings.get(&PrincipleId::Close);
        found.insert(PrincipleId::Close, close.cloned().unwrap_or_default());
    }
    if let (Some(target), Some(took)) = (turn.target_secs, elapsed_secs) {
        found.insert(
            PrincipleId::Timeliness,
            Finding {
                hit: took <= f64::from(target),
                evidence: vec![],
            },
        );
        // A turn with a target time asks for it, weighted `TIMELINESS_WEIGHT` when its
        // `expects` does not weigh it (0 there: not judged): a late reply is a miss, with its
        // tip, not "not asked for".
        if !weights.iter().any(|(k, _)| *k == PrincipleId::Timeliness) {
            weights.push((PrincipleId::Timeliness, TIMELINESS_WEIGHT));
        }
    }
    let wants = |id: PrincipleId| weights.iter().any(|(k, w)| *k == id && *w > 0.0);

    // Score: share of the weighted principles shown, minus violations.
    let mut total = 0.0f32;
    let mut got = 0.0f32;
    for &(id, w) in &weights {
        if w <= 0.0 || id.is_violation() {
            continue;
        }
        let Some(f) = found.get(&id) else {
            continue;
        };
        total += w;
        if f.hit {
            got += w;
        }
    }
    let mut s = if total > 0.0 {
        100.0 * got / total
    } else {
        100.0
    };
    let mut tips = Vec::new();
    let violation_hit = |id: PrincipleId, f: &Finding| -> bool {
        if id == PrincipleId::Facts {
            // A false claim is the violation of `facts`; a fact left out is only a miss.
            false_claim && !f.hit
        } else {
            id.is_violation() && f.hit
        }
    };
    // In the order of the ids as written (the judgement's map), as the scores always added up.
    let mut by_name: Vec<(&PrincipleId, &Finding)> = found.iter().collect();
    crate::sort::sort_by_key(&mut by_name, |(id, _)| id.as_str());
    for (&id, f) in by_name {
        if violation_hit(id, f) {
            let w = weights
                .iter()
                .find(|(k, _)| *k == id)
                .map_or(1.0, |(_, w)| w.abs().max(1.0));
            s -= id.principle().penalty * w.min(2.0);
        }
    }
    for (&id, f) in &found {
        let p = id.principle();
        let missed = wants(id) && !p.violation && !f.hit;
        if missed || violation_hit(id, f) {
            let mut text = p.tip_text(turn.kind.id(), lang, turn.customer_name.as_deref());
            if id == PrincipleId::Answers {
                text = answers_tip(&text, turn, lang);
            }
            tips.push(Tip {
                principle: id.to_string(),
                text,
                source: p.cite.get(lang).to_string(),
            });
        }
    }
    let expected = PrincipleId::ALL
        .into_iter()
        .filter(|&id| wants(id))
        .map(|id| id.to_string())
        .collect();
    let courtesy = courtesy(&d, &found);
    // Inserted one by one, not collected: `BTreeMap`'s `FromIterator` sorts what it is given (a
    // sort instantiation of its own, #17), and these come in order already.
    let mut principles = BTreeMap::new();
    for (id, f) in found {
        principles.insert(id.to_string(), f);
    }
    // The questions the next turns would ask: a reply that already answers one is not asked
    // it (`Session::reply_with`).
    let mut ahead = 0u32;
    for (k, q) in turn.ahead.iter().take(32).enumerate() {
        if crate::answers::ahead(&d.folded, q, &d.said, &turn.policy) {
            ahead |= 1 << k;
        }
    }
    Judgement {
        score: s.clamp(0.0, 100.0).round() as u8,
        principles,
        courtesy,
        expected,
        tips,
        ahead,
    }
}

/// The `answers` tip names what was asked: `{asked}` the kind of answer (catalogue
/// `answers.asked.KIND`, with the options of a choice), `{question}` the customer's line.
fn answers_tip(tip: &str, turn: &TurnRules, lang: Lang) -> String {
    use kefu_core::i18n::t;
    let Some(ask) = &turn.asks else {
        return tip.to_string();
    };
    let options = ask.options.join(&t(lang, "answers.or"));
    let asked = t(lang, &format!("answers.asked.{}", ask.kind.id())).replace("{options}", &options);
    let question = turn
        .customer_said
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(|q| {
            let short: String = q.chars().take(80).collect();
            let short = if short.len() < q.len() {
                format!("{short}…")
            } else {
                short
            };
            t(lang, "answers.question").replace("{question}", &short)
        })
        .unwrap_or_default();
    tip.replace("{asked}", &asked)
        .replace("{question}", &question)
}

/// `facts`: every required fact stated and no false claim. Evidence marks both; a false
/// claim gives `hit = false` with its evidence. The flag: a false claim was made (a fact left
/// out is a miss, not a violation).
fn judge_facts(
    d: &Detection,
    turn: &TurnRules,
    stated: &mut Vec<(String, Vec<(usize, usize)>)>,
) -> (Finding, bool) {
    let f = &d.folded;
    // Match on the folded text without spaces (20 MSa/s = 20MSa/s).
    let mut compact = String::with_capacity(f.text.len());
    let mut back = Vec::with_capacity(f.text.len());
    for (i, c) in f.text.char_indices() {
        if !c.is_whitespace() {
            compact.push(c);
            back.extend(std::iter::repeat_n(i, c.len_utf8()));
        }
    }
    back.push(f.text.len());
    // Every phrase of the turn, found at once by one automaton over the compact text (linear
    // whatever the phrases); a Latin phrase stands on word boundaries of the text as folded
    // (`text::on_word_boundaries`: "sku" is not in "skunk"). Like `str::match_indices`, the
    // occurrences of one phrase do not overlap.
    let key = |phrase: &str| -> String {
        Folded::fold_pattern(phrase)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let mut keys: Vec<String> = turn
        .facts
        .iter()
        .flat_map(|fact| &fact.say)
        .chain(turn.false_claims.iter().flat_map(|claim| &claim.say))
        .chain(
            turn.false_claims
                .iter()
                .flat_map(|c| c.clause.iter().flatten()),
        )
        .filter(|p| !p.starts_with(NUMBER))
        .map(|p| key(p))
        .filter(|k| !k.is_empty())
        .collect();
    crate::sort::sort(&mut keys);
    keys.dedup();
    let mut occurrences: Vec<Vec<(usize, usize)>> = vec![Vec::new(); keys.len()];
    if let Some(ac) = crate::ac::Ac::new(crate::ac::MatchKind::Standard, &keys) {
        for m in ac.overlapping(&compact) {
            let (first, last) = (back[m.start()], back[m.end() - 1]);
            let end = last + f.text[last..].chars().next().map_or(0, char::len_utf8);
            if crate::text::on_word_boundaries(&f.text, first, end) {
                occurrences[m.pattern().as_usize()].push((m.start(), m.end()));
            }
        }
    }
    for occ in &mut occurrences {
        crate::sort::sort(occ);
        let mut end = 0;
        occ.retain(|&(s, e)| {
            let keep = s >= end;
            if keep {
                end = e;
            }
            keep
        });
    }
    // The numbers of the text, not a model's (AFG2000, F40), for a clause word "{number}…".
    let numbers_in_text: Vec<(usize, usize)> = if turn
        .false_claims
        .iter()
        .any(|c| c.clause.iter().flatten().any(|w| w.starts_with(NUMBER)))
    {
        numbers(&f.text)
            .into_iter()
            .filter(|&(a, _)| !f.text[..a].ends_with(|c: char| c.is_ascii_alphabetic()))
            .collect()
    } else {
        Vec::new()
    };
    // The same occurrences as folded bytes (for a claim by clause, whose clauses are folded).
    let find_folded = |phrase: &str| -> Vec<(usize, usize)> {
        // "{number}小时": a number, then (spaces aside) the rest.
        if let Some(unit) = phrase.strip_prefix(NUMBER) {
            let unit = Folded::fold_pattern(unit.trim_start());
            return numbers_in_text
                .iter()
                .filter_map(|&(a, b)| {
                    let gap = f.text[b..].len() - f.text[b..].trim_start().len();
                    f.text[b + gap..]
                        .starts_with(unit.as_str())
                        .then_some((a, b + gap + unit.len()))
                })
                .collect();
        }
        let Ok(i) = keys.binary_search(&key(phrase)) else {
            return vec![];
        };
        occurrences[i]
            .iter()
            .map(|&(s, e)| {
                let last = back[e - 1];
                (
                    back[s],
                    last + f.text[last..].chars().next().map_or(0, char::len_utf8),
                )
            })
            .collect()
    };
    let find_all = |phrase: &str| -> Vec<(usize, usize)> {
        find_folded(phrase)
            .into_iter()
            .map(|(a, b)| f.span(a, b))
            .collect()
    };
    let clauses = if turn.false_claims.iter().any(|c| !c.clause.is_empty()) {
        crate::text::clauses(&f.text)
    } else {
        Vec::new()
    };
    let mut evidence = Vec::new();
    let mut all_stated = true;
    let mut false_claim = false;
    for fact in &turn.facts {
        let mut found: Vec<(usize, usize)> = fact.say.iter().flat_map(|s| find_all(s)).collect();
        if let Some(v) = fact.value {
            for (val, span) in numbers_with_units(&compact, &back, f, &fact.units) {
                if (val - v).abs() < 1e-9 * v.abs().max(1.0) {
                    found.push(span);
                } else {
                    false_claim = true;
                    evidence.push(span);
                }
            }
        }
        if found.is_empty() {
            all_stated = false;
        }
        stated.push((fact.id.clone(), found.clone()));
        evidence.extend(found);
    }
    for claim in &turn.false_claims {
        let found: Vec<(usize, usize)> = claim
            .say
            .iter()
            .flat_map(|s| {
                // A negated claim ("AFG2000 没有调频功能") is not the claim.
                find_all(s)
            })
            .filter(|&(s, _)| !negated_before(f, s))
            .collect();
        if !found.is_empty() {
            false_claim = true;
            evidence.extend(found);
        }
        if !claim.clause.is_empty() {
            let found = claimed_by_clause(f, &claim.clause, &clauses, &find_folded);
            if !found.is_empty() {
                false_claim = true;
                evidence.extend(found.into_iter().map(|(a, b)| f.span(a, b)));
            }
        }
    }
    // The shop's rules: every number stated about one (`crate::policy`), but not one the
    // customer just said, said back in their words ("上次说三天到账,现在都十天了" restates
    // their complaint; "退款一般十天到账" is a claim).
    let said = &d.said;
    for st in crate::policy::stated(f, &turn.policy) {
        // Said back: the number with the char on each side of it is in the customer's line.
        let (a, b) = st.span;
        let before = f.text[..a].chars().next_back().map_or(0, char::len_utf8);
        let after = f.text[b..].chars().next().map_or(0, char::len_utf8);
        if !said.is_empty() && said.contains(&f.text[a - before..b + after]) {
            continue;
        }
        if turn
            .policy
            .get(&st.rule)
            .is_some_and(|v| (st.value - v).abs() > 1e-9 * v.abs().max(1.0))
        {
            false_claim = true;
        }
        evidence.push(f.span(st.span.0, st.span.1));
    }
    crate::sort::sort(&mut evidence);
    evidence.dedup();
    (
        Finding {
            hit: all_stated && !false_claim,
            evidence,
        },
        false_claim,
    )
}

/// In a claim's clause word, any number (digits or Chinese numerals; not a model's, AFG2000):
/// "{number}小时" is a number of hours.
pub const NUMBER: &str = "{number}";

/// A claim by structure (`ClaimRule::clause`): in each clause that claims (`policy::claims`: not
/// a question, a denial or another's words), a word of every list; the folded spans of those
/// words. Each word's occurrences are found once and placed in their clause (a bit per list).
fn claimed_by_clause(
    f: &Folded,
    lists: &[Vec<String>],
    clauses: &[crate::text::Seg],
    find: &dyn Fn(&str) -> Vec<(usize, usize)>,
) -> Vec<(usize, usize)> {
    // Which lists each clause names (a bit per list), and every occurrence with its clause.
    let lists = &lists[..lists.len().min(63)];
    let mut named = vec![0u64; clauses.len()];
    let mut spans = Vec::new();
    for (k, words) in lists.iter().enumerate() {
        for span in words.iter().flat_map(|w| find(w)) {
            // What the claim is about, named as the comparison, is not its subject.
            if k == 0 && crate::policy::compared_at(&f.text, span.0) {
                continue;
            }
            let i = clauses.partition_point(|c| c.end <= span.0);
            if i < clauses.len() && clauses[i].start <= span.0 {
                named[i] |= 1 << k;
                spans.push((i, span));
            }
        }
    }
    let all = (1u64 << lists.len()) - 1;
    let claimed: Vec<bool> = named
        .iter()
        .zip(clauses)
        .map(|(&n, c)| n == all && crate::policy::claims(&f.text[c.start..c.end]))
        .collect();
    spans
        .into_iter()
        .filter(|(i, _)| claimed[*i])
        .map(|(_, span)| span)
        .collect()
}

/// Is the text just before char offset `s` a negator (不/没/没有/not/no)?
fn negated_before(f: &Folded, s: usize) -> bool {
    let Some(pos) = f.byte_of_char(s) else {
        return false;
    };
    let before: String = f.text[..pos]
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    ["不", "没", "没有", "并不", "不能", "不支持", "无"]
        .iter()
        .any(|n| before.ends_with(n))
        || before.trim_end().ends_with("not")
        || before.trim_end().ends_with("no")
        || crate::policy::negated_before(&f.text, pos)
}

/// Numbers followed by one of `units` in the compact text: (value, original char span).
fn numbers_with_units(
    compact: &str,
    back: &[usize],
    f: &Folded,
    units: &[String],
) -> Vec<(f64, (usize, usize))> {
    if units.is_empty() {
        return vec![];
    }
    let units: Vec<String> = units
        .iter()
        .map(|u| Folded::fold_pattern(u).replace(' ', ""))
        .collect();
    let mut out = Vec::new();
    for (m_start, m_end) in numbers(compact) {
        // "AFG2000" is a model name, not a number.
        if compact[..m_start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let Some(v) = compact[m_start..m_end]
            .parse::<f64>()
            .ok()
            .or_else(|| crate::policy::chinese_number(&compact[m_start..m_end]))
        else {
            continue;
        };
        let rest = &compact[m_end..];
        let unit_at = |r: &str| {
            units
                .iter()
                .filter(|u| r.starts_with(u.as_str()))
                .map(|u| u.len())
                .max()
        };
        // A unit right after the digits wins ("20msa/s"); else a multiplier then a unit ("2万hz").
        let found = unit_at(rest).map(|n| (v, n)).or_else(|| {
            let mult = rest.chars().next()?;
            let k = match mult {
                '万' => 10_000.0,
                '千' | 'k' => 1_000.0,
                '百' => 100.0,
                'm' => 1_000_000.0,
                _ => return None,
            };
            unit_at(&rest[mult.len_utf8()..]).map(|n| (v * k, n + mult.len_utf8()))
        });
        let Some((value, len)) = found else { continue };
        let end = m_end + len;
        out.push((value, f.span(back[m_start], back[end - 1] + 1)));
    }
    out
}

/// `order`: apology or empathy within the first two sentences and before any solution.
fn judge_order(d: &Detection) -> Finding {
    let first = |id: PrincipleId| d.first_sentence.get(&id).copied();
    let calm = match (first(PrincipleId::Apology), first(PrincipleId::Empathy)) {
        (Some(a), Some(e)) => Some(a.min(e)),
        (a, e) => a.or(e),
    };
    let hit = match (calm, first(PrincipleId::Solution)) {
        (Some(c), Some(s)) => c <= 1 && c <= s,
        (Some(c), None) => c <= 1,
        (None, _) => false,
    };
    let evidence = if hit {
        [PrincipleId::Apology, PrincipleId::Empathy]
            .iter()
            .filter_map(|id| d.findings.get(id).and_then(|f| f.evidence.first().copied()))
            .min()
            .into_iter()
            .collect()
    } else {
        vec![]
    };
    Finding { hit, evidence }
}

/// A graded politeness estimate in 0..1: the courtesy features found (`_context.toml`), the
/// principles shown (thanks, apology … raise it; rudeness, blame lower it) and the length, through
/// a logistic. Rounded to 3 decimals.
fn courtesy(d: &Detection, p: &BTreeMap<PrincipleId, Finding>) -> f32 {
    let model = &Lexicon::builtin().courtesy_model;
    let get = |m: &BTreeMap<String, f32>| m.get(d.lang).copied().unwrap_or(0.0);
    let mut x = d.courtesy_raw + get(&model.bias);
    for (id, w) in &model.principles {
        if PrincipleId::parse(id).is_some_and(|id| p.get(&id).is_some_and(|f| f.hit)) {
            x += w;
        }
    }
    let n = d.folded.original_len() as f32;
    x += get(&model.per_log_char) * (n + 1.0).ln();
    let y = 1.0 / (1.0 + (-x).exp());
    if y.is_finite() {
        (y * 1000.0).round() / 1000.0
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_digit_runs_with_an_optional_decimal_part() {
        fn spans(s: &str) -> Vec<&str> {
            numbers(s).iter().map(|&(a, b)| &s[a..b]).collect()
        }
        assert_eq!(spans("20msa/s, 3.5v, 1%-99%"), ["20", "3.5", "1", "99"]);
        assert_eq!(spans("v1. 2.x 10..2"), ["1", "2", "10", "2"]);
        assert_eq!(spans("无数字"), Vec::<&str>::new());
        assert_eq!(spans("每秒2000万次"), ["2000"]);
    }

    #[test]
    fn a_good_angry_reply_scores_high_and_a_rude_one_low() {
        let turn = TurnRules {
            kind: ScenarioKind::Angry,
            ..Default::default()
        };
        let good = judge(
            "王先生,非常抱歉让您久等了,理解您的着急。这是我们的失误,我马上为您申请补发,明天发出,单号出来后第一时间通知您。",
            Lang::ZhHans, &turn, None);
        assert!(good.score >= 85, "{good:?}");
        assert!(good.hit("order"));
        let rude = judge(
            "这是快递的问题,跟我们没关系,你自己去问快递!!!",
            Lang::ZhHans,
            &turn,
            None,
        );
        assert_eq!(rude.score, 0);
        assert!(rude
            .tips
            .iter()
            .any(|t| t.principle == "blame" && t.source.contains("No:019")));
        assert!(good.courtesy > rude.courtesy);
    }

    /// A turn with a target time judges the time taken even when its `expects` does not name
    /// `timeliness`: late is a miss with its tip and a lower score; `expects` may weigh it
    /// otherwise, or 0 (not judged). Without a time taken (a reply scored on its own), nothing.
    #[test]
    fn a_late_reply_at_a_timed_turn_is_a_miss_not_unasked() {
        let turn = TurnRules {
            kind: ScenarioKind::Angry,
            target_secs: Some(90),
            ..Default::default()
        };
        let reply = "王先生,非常抱歉让您久等了,理解您的着急。我马上为您申请补发,明天发出。";
        let on_time = judge(reply, Lang::ZhHans, &turn, Some(30.0));
        let late = judge(reply, Lang::ZhHans, &turn, Some(97.0));
        assert!(on_time.hit("timeliness") && !late.hit("timeliness"));
        for j in [&on_time, &late] {
            assert!(j.expected.iter().any(|e| e == "timeliness"), "{j:?}");
        }
        assert!(
            late.score < on_time.score,
            "{} vs {}",
            late.score,
            on_time.score
        );
        assert!(late.tips.iter().any(|t| t.principle == "timeliness"));
        assert!(!on_time.tips.iter().any(|t| t.principle == "timeliness"));
        let untimed = judge(reply, Lang::ZhHans, &turn, None);
        assert!(!untimed.expected.iter().any(|e| e == "timeliness"));
        let unweighed = TurnRules {
            weights: vec![("timeliness".into(), 0.0)],
            ..turn.clone()
        };
        let j = judge(reply, Lang::ZhHans, &unweighed, Some(97.0));
        assert!(!j.expected.iter().any(|e| e == "timeliness"));
        assert!(!j.tips.iter().any(|t| t.principle == "timeliness"));
    }

    #[test]
    fn facts_with_numbers_and_false_claims() {
        let turn = TurnRules {
            kind: ScenarioKind::Product,
            facts: vec![FactRule {
                id: "rate".into(),
                say: vec!["每秒2000万次采样".into()],
                value: Some(20.0),
                units: vec!["MSa/s".into()],
            }],
            false_claims: vec![ClaimRule {
                id: "fm".into(),
                say: vec!["AFG2000支持FM".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(judge("采样率是20 MSa/s", Lang::ZhHans, &turn, None).hit("facts"));
        assert!(judge("采样率是２０ＭＳａ/ｓ", Lang::ZhHans, &turn, None).hit("facts"));
        assert!(judge("每秒2000万次采样", Lang::ZhHans, &turn, None).hit("facts"));
        let wrong = judge("采样率是25MSa/s", Lang::ZhHans, &turn, None);
        assert!(!wrong.hit("facts"));
        assert!(!wrong.principles["facts"].evidence.is_empty());
        assert!(!judge("20MSa/s,AFG2000支持FM", Lang::ZhHans, &turn, None).hit("facts"));
    }

    /// A false claim by structure: the product and what it is said to have in one clause that
    /// claims it, however worded; not where the clause denies it, asks, or reports another's
    /// words, nor where the two are in different clauses.
    #[test]
    fn a_false_claim_by_its_clause() {
        let turn = TurnRules {
            kind: ScenarioKind::Product,
            false_claims: vec![ClaimRule {
                id: "afg2000-has-fm".into(),
                clause: vec![
                    vec!["AFG2000".into(), "2000系列".into()],
                    vec!["FM".into(), "调频".into(), "AM".into(), "modulation".into()],
                ],
                ..Default::default()
            }],
            ..Default::default()
        };
        let claimed = |t: &str| {
            let lang = if t.is_ascii() { Lang::En } else { Lang::ZhHans };
            let j = judge(t, lang, &turn, None);
            let ev = &j.principles["facts"].evidence;
            // The evidence marks the product and the feature, nothing else.
            let marked: Vec<String> = ev
                .iter()
                .map(|&(a, b)| t.chars().skip(a).take(b - a).collect())
                .collect();
            (!ev.is_empty(), marked)
        };
        for t in [
            "AFG2000也可以做FM调制的",
            "AFG2000支持AM/FM/FSK",
            "放心，AFG2000做调频非常方便",
            "AFG2000系列同樣支援調頻。",
            "Yes, the AFG2000 does FM too.",
            "The AFG2000 handles AM modulation as well",
        ] {
            assert!(claimed(t).0, "{t}");
        }
        assert_eq!(
            claimed("AFG2000也可以做FM调制的").1,
            ["AFG2000", "FM"],
            "the product and the feature are the evidence"
        );
        for t in [
            "AFG2000没有FM功能，AM/FM/FSK调制只有AFG2100系列才有。",
            "AFG2000不能做调频",
            "FM只有AFG2100有，AFG2000是基础款",
            "您是觉得AFG2000也能做FM吧？其实不行",
            "AFG2000能做FM吗",
            "The AFG2000 doesn't do FM: modulation is only on the AFG2100 series.",
            "FM is on the AFG2100 rather than the AFG2000",
            "You asked whether the AFG2000 has FM",
            "AFG2000和2100的区别就在调制",
            "AFG2100比AFG2000多了AM/FM/FSK调制",
            "The AFG2100 adds FM over the AFG2000",
            "The AFG2000 lacks FM",
            "AFG2000 has a 20MHz sine",
        ] {
            assert!(!claimed(t).0, "{t}");
        }
    }

    /// "{number}…" in a clause list: a figure the handbook does not give is invented.
    #[test]
    fn an_invented_figure_by_its_clause() {
        let turn = TurnRules {
            kind: ScenarioKind::Product,
            false_claims: vec![ClaimRule {
                id: "invented-endurance".into(),
                clause: vec![
                    vec!["续航".into(), "能飞".into(), "in the air".into()],
                    vec![
                        "{number}小时".into(),
                        "{number}个小时".into(),
                        "{number} hours".into(),
                    ],
                ],
                ..Default::default()
            }],
            ..Default::default()
        };
        let invented = |t: &str| {
            let lang = if t.is_ascii() { Lang::En } else { Lang::ZhHans };
            !judge(t, lang, &turn, None).principles["facts"]
                .evidence
                .is_empty()
        };
        for t in [
            "F40续航30个小时",
            "F40续航能达到三十小时左右",
            "续航大概２０ 小时",
            "It can stay in the air for 30 hours.",
        ] {
            assert!(invented(t), "{t}");
        }
        for t in [
            "具体能飞多少小时和载荷有关",
            "F40续航长，手册没有给出具体小时数",
            "续航没有30小时那么久",
            "I'll check the endurance and reply within the day",
            "F40 is light; it can stay in the air longer",
        ] {
            assert!(!invented(t), "{t}");
        }
    }

    #[test]
    fn a_bad_engine_request_gets_an_error_not_a_panic() {
        for bad in ["", "{", "null", "{\"text\": 3}", "[1,2]"] {
            let v: serde_json::Value = serde_json::from_str(&judge_json(bad)).unwrap();
            assert!(v["error"].is_string(), "{bad}: {v}");
        }
    }

    #[test]
    fn huge_input_does_not_panic() {
        let big = "非常抱歉,sorry!!! 您好?".repeat(20_000);
        let j = score(&big, Lang::ZhHans);
        assert!(j.hit("apology"));
    }
}
