//! The summary at the end of a scenario: total score, the ending, a per-principle radar chart
//! (inline SVG from `chart`), the annotated transcript, try again, print (a one-page print
//! stylesheet in `index.html`), and for each principle a way to practise it
//! (`#/practise/ID`).

use super::feedback::highlighted;
use super::{use_ctx, Shared};
use kefu_core::chart;
use kefu_core::dialogue::{CutShort, Session};
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::scenario::Scenario;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub scenario: Shared<Scenario>,
    pub session: Shared<Session>,
    pub exam: bool,
    pub on_again: Callback<MouseEvent>,
    #[prop_or_default]
    pub on_next: Option<Callback<MouseEvent>>,
}

/// For each principle some turn expected, the share of the turns expecting it in which it was
/// shown (a turn that did not ask for it does not count either way).
pub fn principle_rates(s: &Session) -> Vec<(String, f32)> {
    let mut ids: Vec<String> = Vec::new();
    for e in &s.log {
        for id in &e.judgement.expected {
            if !ids.contains(id) && principles::get(id).is_some_and(|p| !p.violation) {
                ids.push(id.clone());
            }
        }
    }
    ids.into_iter()
        .map(|id| {
            let asked = s.log.iter().filter(|e| e.judgement.expected.contains(&id));
            let (n, all) = asked.fold((0, 0), |(n, all), e| {
                (n + usize::from(e.judgement.hit(&id)), all + 1)
            });
            let rate = n as f32 / all.max(1) as f32;
            (id, rate)
        })
        .collect()
}

#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let s = &p.scenario;
    let sess = &p.session;
    let outcome = sess
        .outcome(s)
        .map(|o| tr(&format!("outcome.{}", o.id())))
        .unwrap_or_default();
    let rates = principle_rates(sess);
    let labels: Vec<String> = rates
        .iter()
        .map(|(id, _)| principles::get(id).map_or(id.clone(), |p| p.name.get(lang).to_string()))
        .collect();
    let values: Vec<f32> = rates.iter().map(|(_, r)| *r).collect();
    let size = 260.0;
    let radar = chart::radar(&labels, &values, size);
    // The conversation's end takes the reply box away: the trainee (a keyboard or a screen
    // reader) is brought to the summary's heading, not left at the top of the page.
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with((), move |_| {
            // Without scrolling: the customer's last line stays in view (the chat follows it).
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let opts = web_sys::FocusOptions::new();
                opts.set_prevent_scroll(true);
                let _ = h.focus_with_options(&opts);
            }
        });
    }
    let on_print = Callback::from(|_| {
        let _ = gloo::utils::window().print();
    });
    html! {
        <section class="summary" aria-labelledby="sum-title">
            <h2 id="sum-title" tabindex="-1" ref={heading}>{ tr("sum.title") }</h2>
            { trainee_line(lang, ctx.lrs.state.identity.as_ref()) }
            <p class="total" data-score={sess.score().to_string()}>{ tf(lang, "sum.total", &[("score", &sess.score().to_string())]) }</p>
            <p class="ending" data-outcome={sess.outcome(s).map(|o| o.id()).unwrap_or("")}>
                { tf(lang, "sum.ending", &[("ending", &outcome)]) }
                // An ending the mood meter does not explain (a neutral customer who gave up).
                { for sess.cut_short(s).map(|c| html! { <>
                    { " " }
                    <span class="cut-short" data-cut={match c { CutShort::Mood => "mood", CutShort::Turns => "turns" }}>{
                        match c {
                            CutShort::Mood => tr("sum.cut_mood"),
                            CutShort::Turns => tf(lang, "sum.cut_turns", &[("n", &s.max_turns.to_string())]),
                        }
                    }</span>
                </> }) }
            </p>
            // Named by the caption's first words, not the whole caption with its list of rates
            // and links (which are read as themselves).
            <figure class="radar" aria-labelledby="radar-name">
                <svg viewBox={radar.view_box.clone()} role="img" aria-label={tr("sum.radar")}>
                    { for radar.rings.iter().map(|r| html! { <polygon class="ring" points={r.clone()} /> }) }
                    { for radar.axes.iter().map(|(x1, y1, x2, y2)| html! {
                        <line class="axis" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} />
                    }) }
                    <polygon class="shape" points={radar.shape.clone()} />
                    { for radar.label_pos.iter().zip(&labels).map(|((x, y, anchor), l)| html! {
                        <text x={x.to_string()} y={y.to_string()} text-anchor={*anchor}>{ l.clone() }</text>
                    }) }
                </svg>
                <figcaption>
                    <span id="radar-name">{ tr("sum.radar") }</span>
                    <ul class="rates">
                        { for rates.iter().zip(&labels).map(|((id, r), l)| html! {
                            <li data-rate={id.clone()}>{ format!("{l}{}{}%", kefu_core::i18n::colon(lang), (r * 100.0).round()) }
                                if !p.exam {
                                    { " " }<a class="practise" href={format!("#/practise/{id}")}>{ tf(lang, "sum.practise", &[("principle", l)]) }</a>
                                }
                            </li>
                        }) }
                    </ul>
                </figcaption>
            </figure>
            <h3>{ tr("sum.transcript") }</h3>
            <ol class="transcript">
                { for sess.log.iter().map(|e| html! {
                    <li>
                        <p class="customer"><span class="who">{ tr("play.customer") }</span><span class="visually-hidden">{ kefu_core::i18n::colon(lang) }</span>{ e.customer.clone() }</p>
                        <p class="agent"><span class="who">{ tr("play.you") }</span><span class="visually-hidden">{ kefu_core::i18n::colon(lang) }</span>{ highlighted(&e.reply, &e.judgement, lang) }</p>
                        <p class="turn-score">{ tf(lang, "fb.turn_score", &[("score", &e.judgement.score.to_string())]) }</p>
                    </li>
                }) }
            </ol>
            <div class="actions">
                if let Some(next) = &p.on_next {
                    <button onclick={next.clone()}>{ tr("sum.next_exam") }</button>
                } else {
                    <button onclick={p.on_again.clone()}>{ tr("sum.again") }</button>
                    <a class="button" href="#/">{ tr("play.back") }</a>
                }
                <button onclick={on_print}>{ tr("sum.print") }</button>
            </div>
        </section>
    }
}

/// Who the trainee is (Settings), as the summary, the exam result and a saved transcript print
/// it: the name, and the email or employee id when set. Nothing without a name.
pub(crate) fn trainee_line(
    lang: kefu_core::principles::Lang,
    who: Option<&kefu_core::xapi::Identity>,
) -> Html {
    let Some(who) = who else {
        return Html::default();
    };
    let name = if who.id.is_empty() {
        who.name.clone()
    } else {
        format!("{} · {}", who.name, who.id)
    };
    html! { <p class="trainee">{ tf(lang, "summary.trainee", &[("name", &name)]) }</p> }
}
