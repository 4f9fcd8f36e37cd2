//! Where the trainee is: the URL's hash (`#/play/ID`, `#/practise/PRINCIPLE`, `#/history`,
//! `#/history/ID`, `#/exam`) and query
//! (`?lang=`, `?seed=`). The URL is the only navigation state, so a reload lands in place.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Library,
    Play(String),
    /// The scenarios whose turns expect a principle.
    Practise(String),
    History,
    /// `#/history/ATTEMPT_ID`: one saved attempt's transcript, read-only.
    Transcript(String),
    Exam,
    /// The trainer studio: write, check and play-test a scenario (`studio/`, loaded on demand).
    Studio,
    /// `#/studio/play`: the studio's text played as a test (`Ctx::trial`), recorded nowhere.
    StudioPlay,
    /// `#/settings`: who the trainee is, the LRS, the outbox.
    Settings,
    /// `#/team`: the trainer's dashboard.
    Team,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        // A query written after the hash (`#/play/ID?seed=1`) is not part of the route
        // (`query` reads it).
        let h = hash.split('?').next().unwrap_or_default();
        let h = h.trim_start_matches('#').trim_start_matches('/');
        let mut parts = h.splitn(2, '/');
        match (parts.next(), parts.next()) {
            (Some("play"), Some(id)) if !id.is_empty() => Route::Play(id.to_string()),
            (Some("practise"), Some(id)) if !id.is_empty() => Route::Practise(id.to_string()),
            (Some("history"), Some(id)) if !id.is_empty() => Route::Transcript(id.to_string()),
            (Some("history"), _) => Route::History,
            (Some("exam"), _) => Route::Exam,
            (Some("studio"), Some("play")) => Route::StudioPlay,
            (Some("studio"), _) => Route::Studio,
            (Some("settings"), _) => Route::Settings,
            (Some("team"), _) => Route::Team,
            _ => Route::Library,
        }
    }
    pub fn hash(&self) -> String {
        match self {
            Route::Library => "#/".into(),
            Route::Play(id) => format!("#/play/{id}"),
            Route::Practise(id) => format!("#/practise/{id}"),
            Route::History => "#/history".into(),
            Route::Transcript(id) => format!("#/history/{id}"),
            Route::Exam => "#/exam".into(),
            Route::Studio => "#/studio".into(),
            Route::StudioPlay => "#/studio/play".into(),
            Route::Settings => "#/settings".into(),
            Route::Team => "#/team".into(),
        }
    }
}

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

pub fn current() -> Route {
    Route::parse(&location().and_then(|l| l.hash().ok()).unwrap_or_default())
}

pub fn go(r: &Route) {
    if let Some(l) = location() {
        let _ = l.set_hash(&r.hash());
    }
}

/// A query parameter of the page URL (`?seed=1#/play/ID`), or of its hash as a link may
/// write it (`#/play/ID?seed=1`).
pub fn query(name: &str) -> Option<String> {
    let l = location()?;
    let get = |q: &str| web_sys::UrlSearchParams::new_with_str(q).ok()?.get(name);
    get(&l.search().ok()?).or_else(|| {
        let hash = l.hash().ok()?;
        get(hash.split_once('?')?.1)
    })
}

/// Set (or with `None` remove) a query parameter without reloading; the hash is kept.
pub fn set_query(name: &str, value: Option<&str>) {
    let Some(w) = web_sys::window() else { return };
    let l = w.location();
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&l.search().unwrap_or_default()) else {
        return;
    };
    match value {
        Some(v) => params.set(name, v),
        None => params.delete(name),
    }
    let q: String = params.to_string().into();
    // A query written after the hash (`#/play/ID?seed=1`, read by `query`) loses the name too.
    let mut hash = l.hash().unwrap_or_default();
    if let Some((route, hq)) = hash.split_once('?') {
        if let Ok(hp) = web_sys::UrlSearchParams::new_with_str(hq) {
            hp.delete(name);
            let hq: String = hp.to_string().into();
            hash = if hq.is_empty() {
                route.to_string()
            } else {
                format!("{route}?{hq}")
            };
        }
    }
    let url = format!(
        "{}{}{}",
        l.pathname().unwrap_or_default(),
        if q.is_empty() {
            String::new()
        } else {
            format!("?{q}")
        },
        hash
    );
    if let Ok(h) = w.history() {
        // Keep the entry's state: it holds the key of its scroll position.
        let st = h.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = h.replace_state_with_url(&st, "", Some(&url));
    }
}

thread_local! {
    /// The history entry shown now (its key in `history.state`) and where each entry was
    /// scrolled to when last seen.
    static ENTRY: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    /// `arrive` has run once in this module.
    static ARRIVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static SCROLL: std::cell::RefCell<std::collections::HashMap<u64, f64>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Remember where the current page is scrolled to (for the back button). Keep the listener.
pub fn track_scroll() -> Option<gloo::events::EventListener> {
    let w = web_sys::window()?;
    if let Ok(h) = w.history() {
        let _ = h.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    Some(gloo::events::EventListener::new(&w, "scroll", |_| {
        if let Some(w) = web_sys::window() {
            let y = w.scroll_y().unwrap_or(0.0);
            let key = ENTRY.with(|e| e.get());
            // Only for the entry `arrive` has taken over: a scroll the browser makes while the
            // next page replaces this one (it is shorter) is not where the trainee was.
            let current = w
                .history()
                .ok()
                .and_then(|h| h.state().ok())
                .and_then(|s| s.as_f64());
            if current == Some(key) {
                SCROLL.with(|s| s.borrow_mut().insert(key.to_bits(), y));
            }
        }
    }))
}

/// Every remembered scroll position, as `[entry key, y, …]`: what the library module hands
/// over to the full module (`handover`), so back to the library returns to where it was.
#[cfg_attr(feature = "full", allow(dead_code))]
pub fn scrolls() -> Vec<f64> {
    SCROLL.with(|s| {
        s.borrow()
            .iter()
            .flat_map(|(k, y)| [f64::from_bits(*k), *y])
            .collect()
    })
}

/// Take in scroll positions `scrolls` gave (the ones known here are kept).
pub fn restore_scrolls(v: &[f64]) {
    SCROLL.with(|s| {
        let mut m = s.borrow_mut();
        for p in v.chunks_exact(2) {
            m.entry(p[0].to_bits()).or_insert(p[1]);
        }
    });
}

/// A page was reached: a new history entry opens at its top; an entry visited before (back,
/// forward) returns to where it was scrolled.
pub fn arrive() {
    let Some(w) = web_sys::window() else { return };
    let Ok(h) = w.history() else { return };
    let key = h.state().ok().and_then(|s| s.as_f64());
    let back_to = key.and_then(|k| SCROLL.with(|s| s.borrow().get(&k.to_bits()).copied()));
    let key = key.unwrap_or_else(|| {
        let k = now_ms() + (fresh_seed() % 1000) as f64 / 1000.0;
        let _ = h.replace_state(&wasm_bindgen::JsValue::from_f64(k), "");
        k
    });
    ENTRY.with(|e| e.set(key));
    // The library module's first page is where the page loaded: at its top, or where the
    // trainee scrolled its static picture (index.html) to. No scroll then, which would also force
    // a layout of the page being built inside the module's start (#17: a long task on a phone).
    if cfg!(not(feature = "full")) && !ARRIVED.with(|a| a.replace(true)) && back_to.is_none() {
        return;
    }
    let y = back_to.unwrap_or(0.0);
    w.scroll_to_with_x_and_y(0.0, y);
    // The page may still be filling in (a restored session): try once more after it has.
    let _ = gloo::timers::callback::Timeout::new(50, move || {
        if let Some(w) = web_sys::window() {
            if ENTRY.with(|e| e.get()) == key {
                w.scroll_to_with_x_and_y(0.0, y);
            }
        }
    })
    .forget();
}

/// A fresh random seed (getrandom's browser backend).
pub fn fresh_seed() -> u64 {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b) % 1_000_000_000
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_route_round_trips_through_its_hash() {
        for r in [
            Route::Library,
            Route::Play("angry-late-delivery".into()),
            Route::Practise("apology".into()),
            Route::History,
            Route::Exam,
            Route::Settings,
            Route::Team,
        ] {
            assert_eq!(Route::parse(&r.hash()), r);
        }
        assert_eq!(Route::parse("#/practise/"), Route::Library);
        // A query after the hash, as a link may write it, is not part of the id.
        assert_eq!(
            Route::parse("#/play/angry-late-delivery?seed=1"),
            Route::Play("angry-late-delivery".into())
        );
    }

    #[test]
    fn scroll_positions_hand_over_and_known_ones_are_kept() {
        super::restore_scrolls(&[1.5, 300.0, 2.25, 40.0]);
        super::restore_scrolls(&[1.5, 999.0]);
        let got = super::scrolls();
        let mut pairs: Vec<(f64, f64)> = got.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(pairs, [(1.5, 300.0), (2.25, 40.0)]);
    }
}
