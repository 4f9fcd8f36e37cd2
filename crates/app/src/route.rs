//! Where the trainee is: the URL's hash (`#/play/ID`, `#/history`, `#/exam`) and query
//! (`?lang=`, `?seed=`). The URL is the only navigation state, so a reload lands in place.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Library,
    Play(String),
    History,
    Exam,
}

impl Route {
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = h.splitn(2, '/');
        match (parts.next(), parts.next()) {
            (Some("play"), Some(id)) if !id.is_empty() => Route::Play(id.to_string()),
            (Some("history"), _) => Route::History,
            (Some("exam"), _) => Route::Exam,
            _ => Route::Library,
        }
    }
    pub fn hash(&self) -> String {
        match self {
            Route::Library => "#/".into(),
            Route::Play(id) => format!("#/play/{id}"),
            Route::History => "#/history".into(),
            Route::Exam => "#/exam".into(),
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

/// A query parameter of the page URL.
pub fn query(name: &str) -> Option<String> {
    let search = location()?.search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
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
    let url = format!(
        "{}{}{}",
        l.pathname().unwrap_or_default(),
        if q.is_empty() {
            String::new()
        } else {
            format!("?{q}")
        },
        l.hash().unwrap_or_default()
    );
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
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
