//! Feedback on one reply: every judged principle hit or missed (each item carries
//! `data-principle` and `data-hit`), the evidence highlighted in the trainee's own words,
//! violations apart, the turn score, one tip per miss citing the handbook, the model answer.

use super::{use_ctx, Shared};
use kefu_core::dialogue::Exchange;
use kefu_core::i18n::tf;
use kefu_core::judgement::Judgement;
use kefu_core::principles;
use kefu_core::scenario::Scenario;
use kefu_core::view;
use yew::prelude::*;

/// The reply with its evidence marked.
pub fn highlighted(text: &str, j: &Judgement) -> Html {
    html! {
        { for view::highlight(text, j).into_iter().map(|p| match p.principle {
            Some(id) => html! {
                <mark class={classes!("ev", p.violation.then_some("bad"))} data-evidence={id} title={id}>{ p.text }</mark>
            },
            None => html! { { p.text } },
        }) }
    }
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
    // What the turn did not ask for and the reply did not show is neither a miss nor a hit.
    let (good, unasked): (Vec<&str>, Vec<&str>) = rest
        .into_iter()
        .partition(|id| j.hit(id) || j.expected.iter().any(|x| x == id));
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
        let mut quotes: Vec<String> = Vec::new();
        for &(s, en) in &f.evidence {
            let q: String = e.reply.chars().skip(s).take(en.saturating_sub(s)).collect();
            if !quotes.contains(&q) {
                quotes.push(q);
            }
        }
        html! {
            <li class={class} data-principle={id.to_string()} data-hit={f.hit.to_string()}>
                <span class="fb-name">{ name }</span>
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
            <h3>{ tr("fb.your_reply") }</h3>
            <p class="reply-hl">{ highlighted(&e.reply, j) }</p>
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
