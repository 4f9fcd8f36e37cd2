//! The hand-over between the two app modules built from this crate (#17): the library module
//! (`kefu_library`, without the feature `full`) shows the library page alone; every other page
//! is in the full module (`kefu_dojo`). The loader in `index.html` starts one of them by the
//! route and defines what this module calls on the window (through `Reflect`, not a JS snippet:
//! a snippet would be one more request on the first load):
//!
//! - `kefuPrefetch()` — warm the HTTP cache with the full module and start the scorer's worker,
//!   which the full module adopts (`worker.rs`; intent: a pointer or focus on a card or a link;
//!   or the browser idle once the cards are shown);
//! - `kefuFull()` — load the full module and start it (once); the library module asks for it
//!   when the route leaves the library, and keeps the URL as it is, so the click that caused
//!   it lands on its page;
//! - `kefuLiteStop` — set by the library module at start: unmounts it. The full module calls it
//!   just before it mounts in the same place, so the two are never mounted at once. They share
//!   nothing but the URL and storage (language, progress, the trainer's files).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const STOP: &str = "kefuLiteStop";
/// Where the library module leaves its scroll positions (`route::scrolls`) as it stops.
const SCROLLS: &str = "kefuScrolls";

/// Call a function the page's loader put on the window, if it is there.
fn call(name: &str) {
    let w = gloo::utils::window();
    if let Ok(f) = js_sys::Reflect::get(&w, &JsValue::from_str(name)) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            if let Err(e) = f.call0(&w) {
                gloo::console::error!(name, e);
            }
        }
    }
}

/// Get what the next page needs ready: the full module into the cache, the scorer's worker started.
pub fn prefetch() {
    call("kefuPrefetch");
}

/// Leave the library module: the full module takes over the page at the current URL.
pub fn to_full() {
    call("kefuFull");
}

/// Whether the library module shows this route itself.
pub fn is_library(r: &super::route::Route) -> bool {
    matches!(
        r,
        super::route::Route::Library | super::route::Route::Practise(_)
    )
}

/// The library module: remember how to unmount it (called once, by the full module's start).
#[cfg(not(feature = "full"))]
pub fn register<C: yew::BaseComponent>(app: yew::AppHandle<C>) {
    let stop = Closure::once_into_js(move || {
        let at = js_sys::Float64Array::from(&super::route::scrolls()[..]);
        let _ = js_sys::Reflect::set(&gloo::utils::window(), &JsValue::from_str(SCROLLS), &at);
        app.destroy();
    });
    let _ = js_sys::Reflect::set(&gloo::utils::window(), &JsValue::from_str(STOP), &stop);
}

/// The full module, before it mounts: unmount the library module if it is there.
#[cfg(feature = "full")]
pub fn stop_library() {
    let w = gloo::utils::window();
    let key = JsValue::from_str(STOP);
    let Ok(f) = js_sys::Reflect::get(&w, &key) else {
        return;
    };
    if let Some(f) = f.dyn_ref::<js_sys::Function>() {
        let _ = js_sys::Reflect::delete_property(&w, &key);
        let _ = f.call0(&w);
        if let Ok(at) = js_sys::Reflect::get(&w, &JsValue::from_str(SCROLLS)) {
            if let Some(at) = at.dyn_ref::<js_sys::Float64Array>() {
                super::route::restore_scrolls(&at.to_vec());
            }
        }
    }
}

/// Where the library module leaves what it fetched (the bundles, `index.json`) for the full
/// module, which takes each once instead of asking the server again after the hand-over.
const FETCHED: &str = "kefuFetched";

/// The library module: keep a fetched file's text for the full module.
pub fn keep(url: &str, text: &str) {
    if cfg!(feature = "full") {
        return;
    }
    let w = gloo::utils::window();
    let key = JsValue::from_str(FETCHED);
    let map = match js_sys::Reflect::get(&w, &key) {
        Ok(m) if m.is_object() => m,
        _ => {
            let m: JsValue = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&w, &key, &m);
            m
        }
    };
    let _ = js_sys::Reflect::set(&map, &JsValue::from_str(url), &JsValue::from_str(text));
}

/// The full module: the text the library module fetched from `url`, once.
pub fn take(url: &str) -> Option<String> {
    if !cfg!(feature = "full") {
        return None;
    }
    let map = js_sys::Reflect::get(&gloo::utils::window(), &JsValue::from_str(FETCHED)).ok()?;
    if !map.is_object() {
        return None;
    }
    let k = JsValue::from_str(url);
    let text = js_sys::Reflect::get(&map, &k).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(map.unchecked_ref::<js_sys::Object>(), &k);
    Some(text)
}

#[cfg(test)]
mod tests {
    /// The pages the library module must never contain: each is compiled only with `full`, so
    /// the library module's build (`--no-default-features`, `make dist`) fails if the code it
    /// keeps reaches one of them.
    const FULL_ONLY: [&str; 9] = [
        "exam", "feedback", "history", "lrs", "play", "settings", "studio", "summary", "team",
    ];

    #[test]
    fn the_library_module_never_contains_play_exam_team_or_studio_code() {
        let lib = include_str!("lib.rs");
        let lines: Vec<&str> = lib.lines().map(str::trim).collect();
        for m in FULL_ONLY {
            let at = lines
                .iter()
                .position(|l| *l == format!("mod {m};"))
                .unwrap_or_else(|| panic!("lib.rs declares mod {m}"));
            assert_eq!(
                lines[at - 1],
                "#[cfg(feature = \"full\")]",
                "mod {m} is compiled only into the full module"
            );
        }
        // Every other module is in both; none is declared twice.
        let mods: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';'))
            .collect();
        for m in &mods {
            assert_eq!(mods.iter().filter(|x| *x == m).count(), 1, "mod {m}");
        }
    }
}
