//! The tab's title on each page the full module draws, in the page's language ("History ·
//! Kefu Dojo"; a scenario's own title while it is played). The library module sets none (#17's
//! bytes): index.html names the tab in the language its picture of the library shows. The
//! dashboard's module names its own page.

use crate::route::Route;
use kefu_core::i18n::{t, tf};
use kefu_core::principles::{self, Lang};

/// The title on `route`: `scenario` is the played scenario's title when known. `None` for the
/// dashboard's page (its module names it).
pub fn page_title(lang: Lang, route: &Route, scenario: Option<String>) -> Option<String> {
    let app = t(lang, "app.name");
    let page = match route {
        Route::Library => return Some(app),
        Route::Play(_) => scenario,
        Route::Practise(id) => {
            let name = principles::get(id).map_or(id.as_str(), |p| p.name.get(lang));
            Some(tf(lang, "practise.title", &[("principle", name)]))
        }
        Route::History | Route::Transcript(_) => Some(t(lang, "hist.title")),
        Route::Exam => Some(t(lang, "exam.title")),
        Route::Studio | Route::StudioPlay => Some(t(lang, "nav.studio")),
        Route::Settings => Some(t(lang, "settings.title")),
        Route::Team => return None,
    };
    Some(match page {
        Some(p) => format!("{p} · {app}"),
        None => app,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tab_is_titled_by_its_page_in_the_page_language() {
        let title = |lang, r: Route, s: Option<&str>| page_title(lang, &r, s.map(String::from));
        assert_eq!(
            title(Lang::ZhHant, Route::Library, None).unwrap(),
            "客服道場"
        );
        assert_eq!(
            title(Lang::ZhHant, Route::Settings, None).unwrap(),
            "設定 · 客服道場"
        );
        assert_eq!(
            title(Lang::ZhHant, Route::Play("x".into()), Some("遲到的包裹")).unwrap(),
            "遲到的包裹 · 客服道場"
        );
        assert_eq!(
            title(Lang::En, Route::Play("x".into()), None).unwrap(),
            "Kefu Dojo"
        );
        assert_eq!(
            title(Lang::En, Route::History, None).unwrap(),
            "History · Kefu Dojo"
        );
        assert_eq!(
            title(Lang::ZhHans, Route::Practise("apology".into()), None).unwrap(),
            "专项练习：致歉 · 客服道场"
        );
        assert_eq!(
            title(Lang::En, Route::Team, None),
            None,
            "the dashboard's module names it"
        );
    }
}
