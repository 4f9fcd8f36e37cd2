//! `kefu prerender CARDS HTML` (`make dist`, #17): the library page as static HTML in
//! `dist/index.html`, so that a phone shows the cards as soon as the page arrives, before the
//! library module is downloaded, compiled and run.
//!
//! At the marker `<!--kefu:prerender-->` it writes the cards (`CARDS`, `scenarios/cards.json`)
//! inline, as `<script type="application/json" id="kefu-cards">`, which the app reads at start
//! instead of fetching them (its first render then has the cards, the same page), and the page
//! in each UI language as a `<template data-lang=CODE data-tags="…">`: the header and the library
//! (`crates/app/src/lib.rs` `App` and `library.rs` `LibraryPage` as they first render on `#/`,
//! every text from the catalogue). index.html's script picks the template of the language the
//! app will show (`?lang=`, the language last picked, the browser's) and puts it in `#app`,
//! inert and hidden from assistive technology, until the module's own render replaces it (new
//! elements in the same places: no layout shift). The list is `ul.pre-cards`, not `ul.cards`,
//! so nothing waiting for the module's cards mistakes the picture for them.

use kefu_core::i18n::{t, tf};
use kefu_core::principles::Lang;
use kefu_core::scenario::product_name;
use kefu_core::view::{kind_key, Library, LISTED_KINDS};
use std::fmt::Write as _;
use std::process::ExitCode;

/// Where index.html takes the prerendered page.
pub const MARKER: &str = "<!--kefu:prerender-->";

/// Text for an element's content or a quoted attribute.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

/// The library page (`#/`) in `lang`, as the app first renders it: no filter chosen, no best
/// scores (read from the browser's store after start), no files of the trainer's.
pub fn library_html(lib: &Library, lang: Lang) -> String {
    let tr = |k: &str| esc(&t(lang, k));
    let mut h = String::new();
    h.push_str("<header class=\"top\">");
    let _ = write!(
        h,
        "<a class=\"brand\" href=\"#/\">{}</a><nav aria-label=\"{}\">",
        tr("app.name"),
        tr("nav.main")
    );
    let _ = write!(
        h,
        "<a href=\"#/\" aria-current=\"page\">{}</a>",
        tr("nav.library")
    );
    for (href, key) in [
        ("#/history", "nav.history"),
        ("#/studio", "nav.studio"),
        ("#/team", "nav.team"),
        ("#/settings", "nav.settings"),
    ] {
        let _ = write!(h, "<a href=\"{href}\">{}</a>", tr(key));
    }
    let _ = write!(
        h,
        "</nav><label class=\"lang\"><span>{}</span><select>",
        tr("nav.language")
    );
    for l in Lang::ALL {
        let sel = if l == lang { " selected" } else { "" };
        let _ = write!(
            h,
            "<option value=\"{}\"{sel}>{}</option>",
            l.code(),
            esc(l.native_name())
        );
    }
    h.push_str("</select></label></header>");
    let cards = lib.filtered(None, None);
    let _ = write!(
        h,
        "<main id=\"main\"><section class=\"library\"><h1>{}</h1><p class=\"tagline\">{}</p>",
        tr("nav.library"),
        tr("app.tagline")
    );
    let _ = write!(
        h,
        "<div class=\"toolbar\"><label>{}<select><option value=\"\" selected>{}</option>",
        tr("lib.filter.kind"),
        tr("lib.filter.all")
    );
    for k in LISTED_KINDS {
        let _ = write!(
            h,
            "<option value=\"{}\">{}</option>",
            k.id(),
            tr(kind_key(k))
        );
    }
    let _ = write!(
        h,
        "</select></label><label>{}<select><option value=\"\" selected>{}</option>",
        tr("lib.filter.product"),
        tr("lib.filter.all")
    );
    // The products some card is about, as the library module offers them (`products_of`).
    for p in Library::products_of(cards.iter().copied()) {
        let _ = write!(
            h,
            "<option value=\"{p}\">{}</option>",
            esc(product_name(p, lang).unwrap_or(p))
        );
    }
    let _ = write!(
        h,
        "</select></label><button{}>{}</button><a class=\"button\" href=\"#/exam\">{}</a></div>",
        if cards.is_empty() { " disabled" } else { "" },
        tr("lib.random"),
        tr("lib.exam")
    );
    if cards.is_empty() {
        let _ = write!(h, "<p>{}</p>", tr("lib.empty"));
    }
    h.push_str("<ul class=\"pre-cards\">");
    for s in cards {
        let pl = s.play_lang(lang);
        let _ = write!(
            h,
            "<li class=\"card\" data-kind=\"{}\"><a href=\"#/play/{}\"><h2>{}</h2></a><p class=\"meta\"><span class=\"tag\">{}</span>",
            kind_key(s.kind),
            esc(&s.id),
            esc(s.title.get(pl)),
            tr(kind_key(s.kind))
        );
        if let Some(p) = s.product.as_deref().and_then(|p| product_name(p, lang)) {
            let _ = write!(h, "<span class=\"tag\">{}</span>", esc(p));
        }
        let _ = write!(
            h,
            "<span>{}</span><span>{}</span></p><p class=\"brief\">{}</p></li>",
            esc(&tf(
                lang,
                "lib.difficulty",
                &[("n", &s.difficulty.to_string())]
            )),
            esc(&tf(lang, "lib.minutes", &[("n", &s.minutes.to_string())])),
            esc(s.brief.get(pl))
        );
    }
    // The file picker's label without its input (the module's page has it): nothing here takes
    // a file that the module's render would then drop.
    let _ = write!(
        h,
        "</ul><div class=\"open-file\"><label class=\"button\">{}</label><span>{}</span></div></section></main>",
        tr("lib.open_file"),
        tr("lib.drop_hint")
    );
    h
}

/// What replaces the marker: the cards inline and a template per UI language. `None` when the
/// cards cannot be read or list a broken file (the page then starts as before, from the module).
pub fn prerender(cards_json: &str) -> Option<String> {
    let (lib, _) = Library::from_cards(cards_json).ok()?;
    if !lib.broken.is_empty() {
        return None;
    }
    // `<` only occurs inside JSON strings, where `\u003c` is the same text: no `</script>` or
    // `<!--` can end or change the script element.
    let inline = cards_json.trim().replace('<', "\\u003c");
    let mut out =
        format!("<script type=\"application/json\" id=\"kefu-cards\">{inline}</script>\n");
    let list = Lang::list();
    for l in Lang::ALL {
        let info = &list.language[l as usize];
        let mut tags = vec![info.code.to_ascii_lowercase()];
        tags.extend(info.tags.iter().map(|t| t.to_ascii_lowercase()));
        let default = if info.code == list.default {
            " data-default"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<template data-lang=\"{}\" data-tags=\"{}\" data-loading=\"{}\" data-title=\"{}\"{default}><div class=\"pre\" inert aria-hidden=\"true\">{}</div></template>",
            l.code(),
            esc(&tags.join(" ")),
            esc(&kefu_core::i18n::t(l, "app.loading")),
            esc(&kefu_core::i18n::t(l, "app.name")),
            library_html(&lib, l)
        );
    }
    Some(out)
}

/// `kefu prerender CARDS HTML`: HTML rewritten in place, its marker replaced.
pub fn main(args: &[String]) -> ExitCode {
    let [cards, html] = args else {
        eprintln!("usage: kefu prerender CARDS.json INDEX.html");
        return ExitCode::from(2);
    };
    let read =
        |p: &str| std::fs::read_to_string(p).map_err(|e| eprintln!("kefu prerender: {p}: {e}"));
    let (Ok(c), Ok(page)) = (read(cards), read(html)) else {
        return ExitCode::from(2);
    };
    if !page.contains(MARKER) {
        eprintln!("kefu prerender: {html} has no {MARKER}");
        return ExitCode::from(2);
    }
    let with = prerender(&c).unwrap_or_default();
    if with.is_empty() {
        eprintln!("kefu prerender: {cards} unreadable or lists a broken file: not prerendered");
    }
    match std::fs::write(html, page.replacen(MARKER, &with, 1)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefu prerender: {html}: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cards() -> String {
        r#"{"version":1,"files":["a.toml","b.toml"],"cards":[
          {"id":"a","kind":"angry","languages":["en","zh-Hans"],"product":"f40","difficulty":2,"minutes":5,
           "title":{"en":"Late <parcel> & co","zh-Hans":"迟到的包裹"},"brief":{"en":"He waits.</script>","zh-Hans":"他在等。"},"expects":["apology"]},
          {"id":"b","kind":"objection","languages":["en"],"difficulty":1,"minutes":3,
           "title":{"en":"Too dear"},"brief":{"en":"Price."},"expects":[]}],"broken":[]}"#
            .to_string()
    }

    #[test]
    fn every_card_in_every_language_escaped_and_the_cards_inline() {
        let out = prerender(&cards()).expect("prerendered");
        // The inline cards read back as the same library, and cannot close their script.
        let start = out.find("\">").unwrap() + 2;
        let json = &out[start..out.find("</script>").unwrap()];
        assert!(!json.contains('<'));
        assert_eq!(
            Library::from_cards(json).unwrap().0.cards,
            Library::from_cards(&cards()).unwrap().0.cards
        );
        assert_eq!(out.matches("<template ").count(), Lang::ALL.len());
        assert_eq!(out.matches(" data-default>").count(), 1);
        assert!(out.contains("Late &lt;parcel&gt; &amp; co"));
        assert!(out.contains("He waits.&lt;/script&gt;"));
        assert!(out.contains("迟到的包裹"), "a zh UI plays the zh text");
        let en = library_html(&Library::from_cards(&cards()).unwrap().0, Lang::En);
        assert_eq!(en.matches("<li class=\"card\"").count(), 2);
        assert!(en.contains(&format!("<h1>{}</h1>", t(Lang::En, "nav.library"))));
        assert!(en.contains("<option value=\"en\" selected>"));
        assert!(en.contains(&format!(
            "<span>{}</span>",
            tf(Lang::En, "lib.minutes", &[("n", "3")])
        )));
        // The module's list and file input are left to the module.
        assert!(!en.contains("class=\"cards\"") && !en.contains("<input"));
    }

    #[test]
    fn a_broken_or_unreadable_library_is_not_prerendered() {
        assert!(prerender("not json").is_none());
        let broken = cards().replace(
            r#""broken":[]"#,
            r#""broken":[["c.toml",["c.toml:1:1: error"]]]"#,
        );
        assert!(prerender(&broken).is_none());
    }
}
