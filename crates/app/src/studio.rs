//! `#/studio`: the trainer studio. Its editor, live check, map and samples are a separate
//! JS bundle (`studio/`, `dist/studio.<hash>.js`) imported only when this page opens, so none
//! of it is in the first load (nor its strings: the catalogue's `studio.*` keys are built into
//! the bundle); this component only mounts it and plays the text through the library's
//! opened-file flow.

use crate::{use_ctx, worker};
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
        let add_file = ctx.add_file.clone();
        let failed = failed.clone();
        use_effect_with(lang, move |&lang| {
            let el = node.cast::<web_sys::Element>();
            let loading = t(lang, "nav.studio_loading");
            let play = Closure::<dyn Fn(String, String)>::new(move |name, src| {
                add_file.emit((name, src));
            });
            let f: js_sys::Function = play.as_ref().unchecked_ref::<js_sys::Function>().clone();
            if let Some(el) = el.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = worker::studio(&el, lang.code(), &loading, &f).await {
                        failed.set(Some(e));
                    }
                });
            }
            move || {
                if let Some(el) = el {
                    worker::studio_stop(&el);
                }
                drop(play);
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
