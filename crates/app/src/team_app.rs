//! The dashboard module's app (`kefu_team`: this crate with the feature `team` alone, #19): the
//! header and language switch as every module draws them (`super::header`), and the trainer's
//! dashboard (`team.rs`) on `#/team`. Any other route is handed over to the full module
//! (`handover::follow`), so a trainee never downloads the dashboard and a trainer's deep link
//! downloads neither the library nor the full module. The dashboard reads the app's context
//! (`Ctx`) for its language only: here it holds no library, progress or LRS outbox.

use super::{handover, header, notices, route, storage, team, Ctx, Engine, NoLrs, Shared};
use kefu_core::i18n::t;
use kefu_core::principles::Lang;
use kefu_core::view;
use route::Route;
use yew::prelude::*;

#[component]
pub fn TeamApp() -> Html {
    // The UI language as the app chooses it: `?lang=`, else the one last picked, else the
    // browser's.
    let lang =
        use_state(|| view::ui_lang(route::query("lang").as_deref(), &super::browser_langs()));
    // Bumped when the trainer picks a language (remembered for the bare URL, as the app does).
    let picked = use_state(|| 0u32);
    let problems = use_state(Vec::<storage::StoreError>::new);
    let route = use_state_eq(route::current);
    {
        let lang = lang.clone();
        storage::use_io_effect((), move |io, _| {
            let stored = route::query("lang")
                .is_none()
                .then(|| io.get_raw(storage::LANG).ok().flatten())
                .flatten()
                .and_then(|l| Lang::parse(&l));
            if let Some(l) = stored {
                lang.set(l);
            }
        });
    }
    {
        let problems = problems.clone();
        storage::use_io_effect((*picked, *lang), move |io, &(rev, l)| {
            if rev > 0 {
                if let Err(e) = io.set_raw(storage::LANG, l.code()) {
                    problems.set(vec![e]);
                }
            }
        });
    }
    use_effect_with(*lang, |l| {
        gloo::utils::document_element()
            .set_attribute("lang", l.code())
            .ok();
        let name = |k: &str| kefu_core::i18n::t(*l, k);
        gloo::utils::document().set_title(&format!(
            "{} · {}",
            name("team.title"),
            name("app.name")
        ));
    });
    // Follow the hash; a page this module does not show is the full module's. Back or forward
    // to an entry whose `?lang=` differs fires `popstate`, not `hashchange`: the page follows
    // the URL, its language too (shown, not remembered as picked), as the app does.
    {
        let (route, lang) = (route.clone(), lang.clone());
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let on_hash = gloo::events::EventListener::new(&win, "hashchange", {
                let route = route.clone();
                move |_| route.set(route::current())
            });
            let on_pop = gloo::events::EventListener::new(&win, "popstate", move |_| {
                if let Some(l) = route::query("lang").as_deref().and_then(Lang::parse) {
                    lang.set(l);
                }
                route.set(route::current());
            });
            move || drop((on_hash, on_pop))
        });
    }
    use_effect_with((*route).clone(), |r| {
        route::arrive();
        handover::follow(r);
    });

    let on_lang = {
        let (lang, picked) = (lang.clone(), picked.clone());
        Callback::from(move |l: Lang| {
            lang.set(l);
            picked.set(*picked + 1);
        })
    };
    let dismiss = {
        let problems = problems.clone();
        Callback::from(move |_| problems.set(Vec::new()))
    };
    let lang = *lang;
    let ctx = Ctx {
        lang,
        lib: Shared::default(),
        loaded: false,
        listed: false,
        progress_loaded: false,
        want_card: Callback::noop(),
        checking: 0,
        unchecked: Default::default(),
        engine: Engine::Idle,
        progress: Shared::default(),
        import: None,
        dispatch: Callback::noop(),
        add_file: Callback::noop(),
        keep_file: Callback::noop(),
        opened_broken: None,
        trial: None,
        play_test: Callback::noop(),
        local: Shared::default(),
        remove_local: Callback::noop(),
        lrs: NoLrs,
    };
    let page = match &*route {
        // Not keyed by the language: a switch keeps the cohort read (files, an LRS's answer).
        Route::Team => html! { <team::TeamPage /> },
        _ => html! { <p role="status">{ t(lang, "lib.loading") }</p> },
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            { header(lang, &route, on_lang) }
            { notices(lang, &problems, dismiss) }
            <main id="main">{ page }</main>
        </ContextProvider<Ctx>>
    }
}
