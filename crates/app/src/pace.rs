//! Settings' "reply time" choice (`dialogue::Pace`, WCAG 2.2.1 timing adjustable): how practice
//! times the trainee's replies. Read and written in `kefu.pace` by effects; a session keeps the
//! pace it began with (the choice applies to the next one begun).

use super::storage;
use super::use_ctx;
use kefu_core::dialogue::Pace;
use yew::prelude::*;

#[component]
pub fn PaceChoice() -> Html {
    let ctx = use_ctx();
    let tr = |k: &str| ctx.t(k);
    // `None` until storage is read; then what the trainee chose (as set when nothing is stored).
    let pace = use_state(|| None::<Pace>);
    // Bumped by a choice: the effect below stores it.
    let chosen = use_state(|| 0u32);
    {
        let pace = pace.clone();
        storage::use_io_effect((), move |io, _| {
            let stored = io.get_raw(storage::PACE).ok().flatten();
            pace.set(Some(
                stored.and_then(|p| Pace::parse(&p)).unwrap_or_default(),
            ));
        });
    }
    {
        let p = *pace;
        storage::use_io_effect(*chosen, move |io, &n| {
            if let (true, Some(p)) = (n > 0, p) {
                let _ = io.set_raw(storage::PACE, p.id());
            }
        });
    }
    let now = pace.unwrap_or_default();
    html! {
        <form aria-labelledby="pace" class="pace" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <h2 id="pace">{ tr("settings.pace") }</h2>
            <p id="pace-help">{ tr("settings.pace_help") }</p>
            <fieldset aria-describedby="pace-help">
                <legend class="visually-hidden">{ tr("settings.pace") }</legend>
                { for Pace::ALL.into_iter().map(|p| {
                    let onchange = {
                        let (pace, chosen) = (pace.clone(), chosen.clone());
                        Callback::from(move |_: Event| {
                            pace.set(Some(p));
                            chosen.set(*chosen + 1);
                        })
                    };
                    html! {
                        <label class="check">
                            <input type="radio" name="pace" value={p.id()} checked={now == p} {onchange} />
                            { tr(match p {
                                Pace::AsSet => "settings.pace.as_set",
                                Pace::Double => "settings.pace.double",
                                Pace::Untimed => "settings.pace.untimed",
                            }) }
                        </label>
                    }
                }) }
            </fieldset>
        </form>
    }
}
