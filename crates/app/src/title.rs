//! The tab's title on the full module's pages (`page_title` in `lib.rs` adds the app's name;
//! the library's pages are named there, the dashboard by its own module).

use crate::route::Route;
use kefu_core::i18n::t;
use kefu_core::principles::Lang;

/// The page's own name on `route`, in `lang`. `None` for a page named elsewhere (the
/// library's and a scenario's in `lib.rs`, the dashboard by its module).
pub fn page_title(lang: Lang, route: &Route) -> Option<String> {
    let key = match route {
        Route::History | Route::Transcript(_) => "hist.title",
        Route::Exam => "exam.title",
        Route::Studio | Route::StudioPlay => "studio.title",
        Route::Settings => "settings.title",
        Route::Library | Route::Practise(_) | Route::Play(_) | Route::Team => return None,
    };
    Some(t(lang, key))
}
