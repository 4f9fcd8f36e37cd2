//! `#/studio`: the trainer studio. Its editor, live check, map and samples are a separate
//! JS bundle (`studio/`, `dist/studio.<hash>.js`) imported only when this page opens, so none
//! of it is in the first load (nor its strings: the catalogue's `studio.*` keys are built into
//! the bundle); this component only mounts it, play-tests the text (`Ctx::play_test`,
//! [`TrialPage`] at `#/studio/play`: from the start, or from a chosen turn and mood,
//! `?turn=&mood=`, see `play::wanted_start`), which leaves the library and the history as they
//! were, and keeps it in the library ("add to my library": `Ctx::keep_file`, the same store as
//! a file opened in the library): the one way a studio text becomes a card.

use crate::{play, route, storage, use_ctx, worker};
use kefu_core::i18n::{self, t};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[function_component(StudioPage)]
pub fn studio_page() -> Html {
    let ctx = use_ctx();
    let node = use_node_ref();
    let failed = use_state(|| None::<String>);
    let lang = ctx.lang;
    {
        let node = node.clone();
        let play_test = ctx.play_test.clone();
        let keep_file = ctx.keep_file.clone();
        let failed = failed.clone();
        use_effect_with(lang, move |&lang| {
            let el = node.cast::<web_sys::Element>();
            let loading = t(lang, "nav.studio_loading");
            // Play-test: from the start (`turn` empty) or from a turn with a mood, which the
            // play page reads from the URL (and checks: a bad one is a message there).
            let play = Closure::<dyn Fn(String, String, String, String)>::new(
                move |name, src, turn: String, mood: String| {
                    let from = (!turn.is_empty()).then_some(turn);
                    route::set_query("turn", from.as_deref());
                    route::set_query("mood", from.as_ref().map(|_| mood.as_str()));
                    play_test.emit((name, src, true));
                },
            );
            // Add to my library: `done` gets `{"id": …}` or `{"errors": […]}` as JSON.
            let add = Closure::<dyn Fn(String, String, js_sys::Function)>::new(
                move |name: String, src: String, done: js_sys::Function| {
                    #[derive(serde::Serialize)]
                    struct Kept {
                        #[serde(skip_serializing_if = "Option::is_none")]
                        id: Option<String>,
                        errors: Vec<String>,
                    }
                    let done = Callback::from(move |r: Result<String, Vec<String>>| {
                        let (id, errors) = match r {
                            Ok(id) => (Some(id), Vec::new()),
                            Err(e) => (None, e),
                        };
                        let v = serde_json::to_string(&Kept { id, errors }).unwrap_or_default();
                        let _ = done.call1(&JsValue::NULL, &v.into());
                    });
                    keep_file.emit((name, src, done));
                },
            );
            let f: js_sys::Function = play.as_ref().unchecked_ref::<js_sys::Function>().clone();
            let a: js_sys::Function = add.as_ref().unchecked_ref::<js_sys::Function>().clone();
            if let Some(el) = el.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = worker::studio(&el, lang.code(), &loading, &f, &a).await {
                        failed.set(Some(e));
                    }
                });
            }
            move || {
                if let Some(el) = el {
                    worker::studio_stop(&el);
                }
                drop(play);
                drop(add);
            }
        });
    }
    html! {
        <>
            if let Some(e) = &*failed {
                <p class="error" role="alert">{ i18n::tf(lang, "nav.studio_failed", &[("error", e)]) }</p>
            }
            <div class="studio-root" ref={node}></div>
        </>
    }
}

/// Where this tab keeps the text being play-tested (`[name, source]`), so a reload of
/// `#/studio/play` plays it again.
const TRIAL_KEY: &str = "kefu.studio.trial";

/// `#/studio/play`: the studio's text in the normal play screen, as a test: not in the
/// library, not recorded, no session kept (`play::Play` with `trial`). "Try again" starts it
/// afresh in place; a reload checks the text again from this tab's storage.
#[function_component(TrialPage)]
pub fn trial_page() -> Html {
    let ctx = use_ctx();
    let round = use_state(|| 0u32);
    let asked = use_mut_ref(|| false);
    {
        let play_test = ctx.play_test.clone();
        storage::use_io_effect(ctx.trial.clone(), move |io, trial| match trial {
            Some(t) => io.set_tab(
                TRIAL_KEY,
                &serde_json::to_string(&(&t.name, &t.src)).unwrap_or_default(),
            ),
            None if !std::mem::replace(&mut *asked.borrow_mut(), true) => {
                if let Some((name, src)) = io
                    .get_tab(TRIAL_KEY)
                    .and_then(|j| kefu_core::json::from_str::<(String, String)>(&j).ok())
                {
                    play_test.emit((name, src, false));
                }
            }
            None => {}
        });
    }
    // (The library is not needed: the text is all there is to play.)
    if let Some(wait) = play::engine_failed(&ctx) {
        return wait;
    }
    let back = html! { <a href="#/studio" class="back-studio">{ ctx.t("play.back_studio") }</a> };
    let Some(trial) = &ctx.trial else {
        return html! { <section><p role="status">{ ctx.t("lib.loading") }</p>{ back }</section> };
    };
    match &trial.scenario {
        Some(s) => {
            let again = {
                let round = round.clone();
                Callback::from(move |()| round.set(*round + 1))
            };
            html! { <play::Play key={*round} scenario={s.clone()} exam={false} trial={Some(again)} /> }
        }
        None => html! {
            <section>
                <p role="alert">{ i18n::tf(ctx.lang, "play.trial_broken", &[("name", &trial.name)]) }</p>
                <pre class="diagnostics">{ trial.diagnostics.join("\n") }</pre>
                { back }
            </section>
        },
    }
}
