//! The settings page (`#/settings`): who the trainee is (a name and an optional email or
//! employee id: the xAPI actor, the name on exports and printouts), the LRS results go to (the
//! site's from `config.json`, or the trainee's own) and the outbox: what waits, the last error,
//! retry now.

use super::lrs::LrsAction;
use super::use_ctx;
use kefu_core::i18n::tf;
use kefu_core::xapi::{Identity, LrsConfig, Sending};
use web_sys::HtmlInputElement;
use yew::prelude::*;

fn value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The fields as typed (a field not typed in shows what is stored): the page re-renders when
/// storage or `config.json` arrive, and must not reset what the trainee is typing.
type Typed = std::collections::BTreeMap<&'static str, String>;

fn typing(typed: &UseStateHandle<Typed>, field: &'static str) -> Callback<InputEvent> {
    let typed = typed.clone();
    Callback::from(move |e: InputEvent| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        let mut t = (*typed).clone();
        t.insert(field, v);
        typed.set(t);
    })
}

#[component]
pub fn SettingsPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let st = ctx.lrs.state.clone();
    let (name, id) = (use_node_ref(), use_node_ref());
    let (endpoint, user, pass, token, text) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let typed = use_state(Typed::new);
    let id_msg = use_state(|| None::<String>);
    let lrs_msg = use_state(|| None::<String>);

    let save_identity = {
        let (name, id, msg, d) = (
            name.clone(),
            id.clone(),
            id_msg.clone(),
            ctx.lrs.dispatch.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match Identity::new(&value(&name), &value(&id)) {
                Ok(i) => {
                    d.emit(LrsAction::SetIdentity(i));
                    msg.set(Some(kefu_core::i18n::t(lang, "settings.saved")));
                }
                Err(err) => msg.set(Some(kefu_core::i18n::t(lang, err.key()))),
            }
        })
    };
    let save_lrs = {
        let refs = (
            endpoint.clone(),
            user.clone(),
            pass.clone(),
            token.clone(),
            text.clone(),
        );
        let (msg, d) = (lrs_msg.clone(), ctx.lrs.dispatch.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let c = LrsConfig {
                token: value(&refs.3).trim().to_string(),
                send: Sending {
                    text: refs
                        .4
                        .cast::<HtmlInputElement>()
                        .is_none_or(|i| i.checked()),
                    ..Sending::default()
                },
                ..LrsConfig::basic(&value(&refs.0), &value(&refs.1), &value(&refs.2))
            };
            match c.check() {
                Ok(()) => {
                    d.emit(LrsAction::SetMine(Some(c)));
                    msg.set(Some(kefu_core::i18n::t(lang, "settings.saved")));
                }
                Err(err) => msg.set(Some(tf(
                    lang,
                    "settings.err_lrs",
                    &[("error", &err.message(lang))],
                ))),
            }
        })
    };
    let remove_lrs = {
        let d = ctx.lrs.dispatch.clone();
        Callback::from(move |_| d.emit(LrsAction::SetMine(None)))
    };
    let retry = {
        let d = ctx.lrs.dispatch.clone();
        Callback::from(move |_| d.emit(LrsAction::RetryNow))
    };

    let who = st.identity.clone().unwrap_or_default();
    let mine = st.mine.clone();
    let m = mine.clone().unwrap_or_else(|| LrsConfig::basic("", "", ""));
    let o = &st.outbox;
    let shown = |field: &'static str, stored: &str| -> String {
        typed
            .get(field)
            .cloned()
            .unwrap_or_else(|| stored.to_string())
    };
    let where_to = match (&st.mine, &st.site) {
        (Some(c), _) => tf(lang, "settings.lrs_mine", &[("endpoint", &c.endpoint)]),
        (None, Some(c)) => tf(lang, "settings.lrs_site", &[("endpoint", &c.endpoint)]),
        (None, None) => tr("settings.lrs_none"),
    };
    html! {
        <section class="settings">
            <h1>{ tr("settings.title") }</h1>
            <form onsubmit={save_identity} aria-labelledby="who">
                <h2 id="who">{ tr("settings.who") }</h2>
                <p>{ tr("settings.who_help") }</p>
                <label>{ tr("settings.name") }
                    <input ref={name} name="name" autocomplete="name" value={shown("name", &who.name)} oninput={typing(&typed, "name")} />
                </label>
                <label>{ tr("settings.id") }
                    <input ref={id} name="id" value={shown("id", &who.id)} oninput={typing(&typed, "id")} />
                </label>
                <button type="submit">{ tr("settings.save") }</button>
                if let Some(m) = &*id_msg { <p role="status">{ m.clone() }</p> }
            </form>
            <super::pace::PaceChoice />
            <form onsubmit={save_lrs} aria-labelledby="lrs">
                <h2 id="lrs">{ tr("settings.lrs") }</h2>
                <p data-lrs={st.config().is_some().to_string()}>{ where_to }</p>
                if let Some(e) = &st.site_error { <p class="error">{ e.message(lang) }</p> }
                if st.config().is_some() && st.identity.is_none() {
                    <p class="error">{ tr("settings.need_name") }</p>
                }
                <label>{ tr("settings.endpoint") }
                    <input ref={endpoint} type="url" name="endpoint" placeholder="https://lrs.example.com/xAPI/" value={shown("endpoint", &m.endpoint)} oninput={typing(&typed, "endpoint")} />
                </label>
                <label>{ tr("settings.user") }
                    <input ref={user} name="username" autocomplete="off" value={shown("username", &m.username)} oninput={typing(&typed, "username")} />
                </label>
                <label>{ tr("settings.pass") }
                    <input ref={pass} type="password" name="password" autocomplete="off" value={shown("password", &m.password)} oninput={typing(&typed, "password")} />
                </label>
                <label>{ tr("settings.token") }
                    <input ref={token} type="password" name="token" autocomplete="off" value={shown("token", &m.token)} oninput={typing(&typed, "token")} />
                </label>
                <label class="check">
                    <input ref={text} type="checkbox" checked={m.send.text} />
                    { tr("settings.send_text") }
                </label>
                <button type="submit">{ tr("settings.save_lrs") }</button>
                if mine.is_some() {
                    <button type="button" onclick={remove_lrs}>{ tr("settings.remove_lrs") }</button>
                }
                if let Some(m) = &*lrs_msg { <p role="status">{ m.clone() }</p> }
            </form>
            <section aria-labelledby="outbox" class="outbox" data-pending={o.pending.len().to_string()}
                data-rejected={o.rejected.len().to_string()} data-sent={o.sent.to_string()}>
                <h2 id="outbox">{ tr("settings.outbox") }</h2>
                <p>{ tf(lang, "settings.queue", &[
                    ("pending", &o.pending.len().to_string()),
                    ("sent", &o.sent.to_string()),
                    ("rejected", &o.rejected.len().to_string()),
                ]) }</p>
                if st.in_memory {
                    <p class="error" data-in-memory="">{ tr("settings.outbox_in_memory") }</p>
                }
                if let Some(e) = &st.store_error {
                    <p class="error">{ e.message(lang) }</p>
                }
                if let Some(e) = &o.last_error {
                    <p class="error" data-last-error="">{ tf(lang, "settings.last_error", &[("error", e)]) }</p>
                }
                <button type="button" onclick={retry}>{ tr("settings.retry") }</button>
            </section>
            <p><a href="#/team">{ tr("nav.team") }</a></p>
        </section>
    }
}
