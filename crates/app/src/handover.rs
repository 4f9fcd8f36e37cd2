//! The hand-over between the three app modules built from this crate (#17, #19): the library
//! module (`kefu_library`, neither feature `full` nor `team`) shows the library page alone; the
//! dashboard module (`kefu_team`, feature `team` alone) shows `#/team` alone; every other page
//! is in the full module (`kefu_dojo`, feature `full` alone; the default, both features, is
//! every page in one module, for native tests). The loader in `index.html` starts one of them by
//! the route and defines what this module calls on the window (through `Reflect`, not a JS
//! snippet: a snippet would be one more request on the first load):
//!
//! - `kefuPrefetch()` — warm the HTTP cache with the full module and start the scorer's worker,
//!   which the full module adopts (`worker.rs`; intent: a pointer or focus on a card or a link;
//!   or the browser idle once the cards are shown);
//! - `kefuFull()`, `kefuTeam()` — show the full module, the dashboard module: load and start it
//!   the first time, call its `kefu_mount` export after (it was shown before and stopped); a
//!   module asks for one when the route leaves its pages, and keeps the URL as it is, so the
//!   click that caused it lands on its page;
//! - `kefuStop` — set by the module shown (`register`): unmounts it. A module calls it just
//!   before it mounts in the same place (`stop_shown`), so two are never mounted at once. They
//!   share nothing but the URL and storage (language, progress, the trainer's files);
//!   `kefuShown` names the one shown (`library`, `full`, `team`).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const STOP: &str = "kefuStop";
const SHOWN: &str = "kefuShown";
/// Where a module leaves its scroll positions (`route::scrolls`) as it stops.
const SCROLLS: &str = "kefuScrolls";

/// This module's name, as `kefuShown` gives it.
pub const MODULE: &str = if cfg!(feature = "full") {
    "full"
} else if cfg!(feature = "team") {
    "team"
} else {
    "library"
};

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

/// Leave this module: the full module takes over the page at the current URL.
pub fn to_full() {
    call("kefuFull");
}

/// Leave this module: the dashboard module takes over the page at the current URL (`#/team`).
pub fn to_team() {
    call("kefuTeam");
}

/// Hand the route over to the module that shows it, if this one does not: the dashboard's to
/// the dashboard module, any other to the full module (which shows the library too).
pub fn follow(r: &super::route::Route) {
    if shows(r) {
        return;
    }
    if *r == super::route::Route::Team {
        to_team();
    } else {
        to_full();
    }
}

/// Whether this module shows the route itself.
pub fn shows(r: &super::route::Route) -> bool {
    shown_by(cfg!(feature = "full"), cfg!(feature = "team"), r)
}

/// Whether the module built with these features shows the route: both (the native build) every
/// one; `full` every one but the dashboard; `team` the dashboard alone; neither the library.
fn shown_by(full: bool, team: bool, r: &super::route::Route) -> bool {
    let dashboard = *r == super::route::Route::Team;
    match (full, team) {
        (true, true) => true,
        (true, false) => !dashboard,
        (false, true) => dashboard,
        (false, false) => is_library(r),
    }
}

/// Whether the library module shows this route itself.
pub fn is_library(r: &super::route::Route) -> bool {
    matches!(
        r,
        super::route::Route::Library | super::route::Route::Practise(_)
    )
}

thread_local! {
    /// This module's app is mounted (`register`; until its stop).
    static SHOWN_APP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this module's app is mounted now.
pub fn mounted() -> bool {
    SHOWN_APP.with(|m| m.get())
}

/// Whether a module (this one or another) is shown: one has registered its stop.
#[cfg(all(feature = "team", not(feature = "full")))]
pub fn any_shown() -> bool {
    js_sys::Reflect::get(&gloo::utils::window(), &JsValue::from_str(STOP))
        .is_ok_and(|f| f.is_function())
}

/// The module shown now: remember how to unmount it (called by the next module to show).
pub fn register<C: yew::BaseComponent>(app: yew::AppHandle<C>) {
    SHOWN_APP.with(|m| m.set(true));
    let stop = Closure::once_into_js(move || {
        SHOWN_APP.with(|m| m.set(false));
        let at = super::route::scrolls();
        if !at.is_empty() {
            let at = js_sys::Float64Array::from(&at[..]);
            let _ = js_sys::Reflect::set(&gloo::utils::window(), &JsValue::from_str(SCROLLS), &at);
        }
        app.destroy();
    });
    let w = gloo::utils::window();
    let _ = js_sys::Reflect::set(&w, &JsValue::from_str(STOP), &stop);
    let _ = js_sys::Reflect::set(&w, &JsValue::from_str(SHOWN), &JsValue::from_str(MODULE));
}

/// Before this module mounts: unmount the module shown, if one is (and take in its scroll
/// positions, so back returns where the trainee was). Whether one was.
pub fn stop_shown() -> bool {
    let w = gloo::utils::window();
    let key = JsValue::from_str(STOP);
    let Ok(f) = js_sys::Reflect::get(&w, &key) else {
        return false;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return false;
    };
    let _ = js_sys::Reflect::delete_property(&w, &key);
    let _ = js_sys::Reflect::delete_property(&w, &JsValue::from_str(SHOWN));
    let _ = f.call0(&w);
    if let Ok(at) = js_sys::Reflect::get(&w, &JsValue::from_str(SCROLLS)) {
        if let Some(at) = at.dyn_ref::<js_sys::Float64Array>() {
            super::route::restore_scrolls(&at.to_vec());
        }
    }
    true
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
    use super::super::route::Route;

    /// The gate before `mod NAME;` in lib.rs (`""`: none, the module is in every app module).
    fn gate(m: &str) -> String {
        let lib = include_str!("../src/lib.rs");
        let lines: Vec<&str> = lib.lines().map(str::trim).collect();
        let at = lines
            .iter()
            .position(|l| *l == format!("mod {m};"))
            .unwrap_or_else(|| panic!("lib.rs declares mod {m}"));
        let before = lines[at - 1];
        if before.starts_with("#[cfg(") {
            before.to_string()
        } else {
            String::new()
        }
    }

    /// The pages the library module must never contain: each is compiled only with `full`
    /// (the full module), the dashboard only with `team` (the dashboard module), so the library
    /// module's build (no features, `make dist`) fails if the code it keeps reaches one of
    /// them, and the full module's (`full` alone) if it reaches the dashboard.
    const FULL_ONLY: [&str; 10] = [
        "exam", "feedback", "history", "lrs", "pace", "play", "settings", "studio", "summary",
        "title",
    ];

    #[test]
    fn the_library_module_never_contains_play_exam_team_or_studio_code() {
        for m in FULL_ONLY {
            assert_eq!(
                gate(m),
                "#[cfg(feature = \"full\")]",
                "mod {m} is compiled only into the full module"
            );
        }
        assert_eq!(
            gate("team"),
            "#[cfg(feature = \"team\")]",
            "the dashboard: its module only"
        );
        assert_eq!(
            gate("team_app"),
            "#[cfg(all(feature = \"team\", not(feature = \"full\")))]",
            "the dashboard module's app"
        );
        // Every other module is in every app module; none is declared twice.
        let lib = include_str!("../src/lib.rs");
        let mods: Vec<&str> = lib
            .lines()
            .filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';'))
            .collect();
        for m in &mods {
            assert_eq!(mods.iter().filter(|x| *x == m).count(), 1, "mod {m}");
            if !FULL_ONLY.contains(m) && !m.starts_with("team") {
                assert_eq!(gate(m), "", "mod {m} is in every module");
            }
        }
    }

    /// Which module shows which route: the one-module build (both features) every one; of
    /// `make dist`'s modules, the full one or the dashboard's each route (exactly one: no
    /// route is handed back and forth), and the library module the library's routes alone.
    #[test]
    fn every_route_is_shown_by_exactly_one_module() {
        let routes = [
            Route::Library,
            Route::Practise("apology".into()),
            Route::Play("x".into()),
            Route::History,
            Route::Transcript("x".into()),
            Route::Exam,
            Route::Studio,
            Route::StudioPlay,
            Route::Settings,
            Route::Team,
        ];
        for r in &routes {
            assert!(super::shown_by(true, true, r), "{r:?}");
            let (full, team) = (
                super::shown_by(true, false, r),
                super::shown_by(false, true, r),
            );
            assert!(full != team, "{r:?}: the full module or the dashboard's");
            assert_eq!(team, *r == Route::Team, "{r:?}");
            assert_eq!(
                super::shown_by(false, false, r),
                matches!(r, Route::Library | Route::Practise(_)),
                "{r:?}: the library module"
            );
        }
        assert!(super::shows(&Route::Team) && super::shows(&Route::Library));
    }
}
