//! Feedback on one reply: every judged principle hit or missed (each item carries
//! `data-principle` and `data-hit`), the evidence highlighted in the trainee's own words,
//! violations apart, the turn score, one tip per miss citing the handbook, the model answer.

use super::{use_ctx, Shared};
use kefu_core::dialogue::Exchange;
use kefu_core::i18n::{colon, t, tf};
use kefu_core::judgement::Judgement;
use kefu_core::principles;
use kefu_core::scenario::Scenario;
use kefu_core::view;
use yew::prelude::*;

/// At most this many characters of a reply are drawn with their evidence (a reply from the box
/// is at most 2,000; an older or imported one may be longer): the rest is summarised.
pub const MAX_SHOWN_CHARS: usize = 4000;
/// At most this many evidence marks are drawn in a reply, and quotes listed per principle.
pub const MAX_MARKS: usize = 200;
pub const MAX_QUOTES: usize = 5;

/// Evidence spans (char offsets) sorted, clipped to `len`, empty ones dropped, and overlapping
/// or touching ones merged: linear in the spans whatever the judge found (32,522 spans in a
/// 1 MB paste become a few runs).
pub fn merge_spans(spans: &[(usize, usize)], len: usize) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.min(len), e.min(len)))
        .filter(|(s, e)| s < e)
        .collect();
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// The judgement as drawn: every finding's evidence merged and clipped to the first `len`
/// characters.
fn bounded(j: &Judgement, len: usize) -> Judgement {
    let mut b = j.clone();
    for f in b.principles.values_mut() {
        f.evidence = merge_spans(&f.evidence, len);
    }
    b
}

/// The reply with its evidence marked: its first `MAX_SHOWN_CHARS` characters, at most
/// `MAX_MARKS` marks (the rest of the text is drawn plain), so drawing stays quick.
pub fn highlighted(text: &str, j: &Judgement, lang: principles::Lang) -> Html {
    let total = text.chars().count();
    let shown: String = text.chars().take(MAX_SHOWN_CHARS).collect();
    let pieces = view::highlight(&shown, &bounded(j, MAX_SHOWN_CHARS));
    let mut marks = 0;
    let mut html: Vec<Html> = Vec::new();
    let mut plain = String::new();
    for p in pieces {
        match p.principle {
            Some(id) if marks < MAX_MARKS => {
                marks += 1;
                if !plain.is_empty() {
                    html.push(html! { { std::mem::take(&mut plain) } });
                }
                // What the mark is evidence of, in words (its colour is not all it says): seen
                // on hover, and read after the words marked.
                let name = principles::get(id).map_or(id, |p| p.name.get(lang));
                let status = t(
                    lang,
                    if p.violation {
                        "fb.violation"
                    } else {
                        "fb.hit"
                    },
                );
                let said = format!("{name}{}{status}", colon(lang));
                html.push(html! {
                    <>
                        <mark class={classes!("ev", p.violation.then_some("bad"))} data-evidence={id} title={said.clone()}>{ p.text }</mark>
                        <span class="visually-hidden">{ format!(" ({said})") }</span>
                    </>
                });
            }
            _ => plain.push_str(&p.text),
        }
    }
    if total > MAX_SHOWN_CHARS {
        plain.push_str(&format!(" … (+{})", total - MAX_SHOWN_CHARS));
    }
    if !plain.is_empty() {
        html.push(html! { { plain } });
    }
    html! { { for html } }
}

/// Is this principle's finding a violation (blame/rudeness/jargon present, a false fact)?
pub fn is_violation(id: &str, hit: bool, has_evidence: bool) -> bool {
    match id {
        "facts" => !hit && has_evidence,
        _ => principles::get(id).is_some_and(|p| p.violation) && hit,
    }
}

#[derive(Properties, PartialEq)]
pub struct FeedbackProps {
    pub exchange: Shared<Exchange>,
    pub scenario: Shared<Scenario>,
}

#[component]
pub fn Feedback(p: &FeedbackProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let e = &p.exchange;
    let j = &e.judgement;
    let tr = |k: &str| ctx.t(k);
    let chars: Vec<char> = e.reply.chars().collect();
    // Expected principles first, then the rest, in the rulebook's order.
    let mut ids: Vec<&str> = j.expected.iter().map(String::as_str).collect();
    // `facts` on a turn with no facts to state (hit, nothing marked, not expected) has
    // nothing to say: "correct product facts" under a late parcel would only confuse.
    let idle_facts = |id: &str| {
        id == "facts"
            && j.principles
                .get(id)
                .is_some_and(|f| f.hit && f.evidence.is_empty())
    };
    for pr in principles::all() {
        if j.principles.contains_key(pr.id.as_str())
            && !ids.contains(&pr.id.as_str())
            && !idle_facts(pr.id.as_str())
        {
            ids.push(pr.id.as_str());
        }
    }
    let (bad, rest): (Vec<&str>, Vec<&str>) = ids.into_iter().partition(|id| {
        principles::get(id).is_some_and(|p| p.violation)
            || *id == "facts" && is_violation(id, j.hit(id), !j.principles[*id].evidence.is_empty())
    });
    // What the turn did not ask for is listed apart, shown or not: it is neither a miss nor
    // part of the turn's score (nor of the summary's rates, which count the turns that asked).
    let (good, unasked): (Vec<&str>, Vec<&str>) = rest
        .into_iter()
        .partition(|id| j.expected.iter().any(|x| x == id));
    let item = |id: &str| -> Html {
        let Some(f) = j.principles.get(id) else {
            return html! {};
        };
        let pr = principles::get(id);
        let name = pr.map_or(id.to_string(), |p| p.name.get(lang).to_string());
        let violation = is_violation(id, f.hit, !f.evidence.is_empty());
        let is_rule = pr.is_some_and(|p| p.violation);
        let expected = j.expected.iter().any(|x| x == id);
        let status = if !expected && !f.hit && !is_rule && !violation {
            tr("fb.unasked")
        } else if is_rule {
            if f.hit {
                tr("fb.violation")
            } else {
                tr("fb.clean")
            }
        } else if violation {
            tr("fb.violation")
        } else if f.hit {
            tr("fb.hit")
        } else {
            tr("fb.miss")
        };
        let class = classes!(
            "fb-item",
            if violation {
                "violation"
            } else if is_rule || f.hit {
                "ok"
            } else if expected {
                "miss"
            } else {
                "neutral"
            },
            expected.then_some("expected")
        );
        // A few distinct quotes per principle, each cut from the reply's chars once.
        let mut quotes: Vec<String> = Vec::new();
        for (s, en) in merge_spans(&f.evidence, chars.len()) {
            let q: String = chars[s..en].iter().take(80).collect();
            if !quotes.contains(&q) {
                quotes.push(q);
            }
            if quotes.len() == MAX_QUOTES {
                break;
            }
        }
        html! {
            <li class={class} data-principle={id.to_string()} data-hit={f.hit.to_string()}>
                <span class="fb-name">{ name }</span>
                <span class="visually-hidden">{ colon(lang) }</span>
                <span class="fb-status">{ status }</span>
                if !quotes.is_empty() {
                    <span class="fb-ev">{ for quotes.into_iter().map(|q| html! { <q>{ q }</q> }) }</span>
                }
            </li>
        }
    };
    html! {
        <section class="feedback" role="region" aria-label={tr("fb.title")}>
            <h2>{ tr("fb.title") }</h2>
            <p class="turn-score"><strong>{ tf(lang, "fb.turn_score", &[("score", &j.score.to_string())]) }</strong>
                { " · " }{ tf(lang, "fb.courtesy", &[("pct", &((j.courtesy * 100.0).round() as u32).to_string())]) }</p>
            { for e.not_asked.iter().map(|q| html! {
                <p class="not-asked">{ tf(lang, "fb.not_asked", &[("question", q)]) }</p>
            }) }
            <h3>{ tr("fb.your_reply") }</h3>
            <p class="reply-hl">{ highlighted(&e.reply, j, lang) }</p>
            <ul class="fb-list">{ for good.iter().map(|id| item(id)) }</ul>
            if !unasked.is_empty() {
                <h3 id="fb-unasked">{ tr("fb.unasked_title") }</h3>
                <ul class="fb-list fb-unasked" aria-labelledby="fb-unasked">{ for unasked.iter().map(|id| item(id)) }</ul>
            }
            <h3>{ tr("fb.violations") }</h3>
            <ul class="fb-list fb-violations">{ for bad.iter().map(|id| item(id)) }</ul>
            if !j.tips.is_empty() {
                <h3>{ tr("fb.tips") }</h3>
                <ul class="tips">
                    { for j.tips.iter().map(|t| html! {
                        <li data-tip={t.principle.clone()}>{ t.text.clone() }<cite>{ format!(" ({})", t.source) }</cite></li>
                    }) }
                </ul>
            }
            if let Some(m) = &e.model {
                <h3>{ tr("fb.model") }</h3>
                <blockquote class="model">{ m.clone() }</blockquote>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::merge_spans;

    #[test]
    fn spans_are_sorted_clipped_and_merged() {
        assert_eq!(
            merge_spans(
                &[(5, 9), (0, 2), (1, 3), (8, 12), (20, 30), (3, 3), (14, 15)],
                25
            ),
            vec![(0, 3), (5, 12), (14, 15), (20, 25)]
        );
        assert_eq!(merge_spans(&[(40, 50)], 25), vec![]);
    }

    #[test]
    fn thirty_thousand_overlapping_spans_merge_in_linear_time() {
        let spans: Vec<(usize, usize)> = (0..32_522).map(|i| (i * 30, i * 30 + 45)).collect();
        let t = std::time::Instant::now();
        let m = merge_spans(&spans, 1_000_000);
        assert_eq!(m, vec![(0, 32_521 * 30 + 45)]);
        assert!(t.elapsed().as_millis() < 200, "{:?}", t.elapsed());
    }
}
