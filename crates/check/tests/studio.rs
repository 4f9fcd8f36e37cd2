//! The trainer studio's templates and what the studio shows of a file (`kefu_check::studio`).

use kefu_check::check_source;
use kefu_check::studio::{check_studio, check_studio_in};
use kefu_core::principles::Lang;

const TEMPLATES: [(&str, &str); 3] = [
    (
        "angry.toml",
        include_str!("../../../studio/templates/angry.toml"),
    ),
    (
        "objection.toml",
        include_str!("../../../studio/templates/objection.toml"),
    ),
    (
        "product.toml",
        include_str!("../../../studio/templates/product.toml"),
    ),
];

#[test]
fn every_template_is_complete_and_checks_clean() {
    for (name, src) in TEMPLATES {
        let out = check_source(name, src);
        let msgs: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(msgs.is_empty(), "{name}: {msgs:#?}");
        let s = out.value.expect("plays");
        assert_eq!(
            format!("{:?}", s.kind).to_lowercase(),
            name.trim_end_matches(".toml")
        );
        assert!(s.samples.len() >= 4 && s.endings.len() >= 2, "{name}");
        let r = check_studio(name, src);
        assert!(r.ok && r.diagnostics.is_empty(), "{name}");
        assert!(
            r.samples.iter().all(|x| x.pass && x.at.is_some()),
            "{name}: {:?}",
            r.samples
        );
    }
}

fn one(name: &str, src: &str) -> String {
    let out = check_source(name, src);
    assert!(out.value.is_none(), "{name} should fail");
    out.diagnostics[0].to_string()
}

#[test]
fn typing_mistakes_are_named_by_their_real_cause() {
    let angry = TEMPLATES[0].1;
    // Full-width punctuation outside quotes, where an input method left it.
    let m = one(
        "angry.toml",
        &angry.replace("max_turns = 6", "max_turns ＝ 6"),
    );
    assert!(
        m.starts_with("angry.toml:9:11: error: `＝` is a full-width equals sign"),
        "{m}"
    );
    let m = one(
        "angry.toml",
        &angry.replace(
            "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"]",
            "languages = [\"zh-Hans\"，\"zh-Hant\", \"en\"]",
        ),
    );
    assert!(
        m.starts_with("angry.toml:4:23: error: `，` is a full-width comma"),
        "{m}"
    );
    // Curly quotes around a string.
    let m = one(
        "angry.toml",
        &angry.replace("id = \"angry\"", "id = “angry”"),
    );
    assert!(
        m.starts_with("angry.toml:2:6: error: `“` is a curly quote"),
        "{m}"
    );
    // A line break inside a one-line string: the error is at the string that opens, not at
    // the line the parser stops on.
    let m = one(
        "angry.toml",
        &angry.replace("It's been six!", "It's been\nsix!"),
    );
    assert!(m.starts_with("angry.toml:19:"), "{m}");
    assert!(m.contains("string is not closed on its line"), "{m}");
    // Full-width punctuation inside quoted text is text: no error.
    assert!(check_source("angry.toml", angry).value.is_some());
}

/// The fix of the first diagnostic of `src`, applied to its line as the studio does.
fn fixed_line(name: &str, src: &str) -> (String, String) {
    let r = check_studio(name, src);
    let d = r.diagnostics.first().expect("a diagnostic");
    // A trainer whose studio is in Chinese reads the message in Chinese and gets the same fix.
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        let z = check_studio_in(name, src, lang);
        let zd = z.diagnostics.first().expect("a diagnostic");
        assert_eq!(
            (&zd.fix, zd.fix_at),
            (&d.fix, d.fix_at),
            "{lang:?}: {}",
            zd.message
        );
        assert!(
            zd.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{lang:?}: not in Chinese: {}",
            zd.message
        );
    }
    let [from, to] = d.fix_at.unwrap_or_else(|| panic!("no fix: {d:?}"));
    let line: Vec<char> = src.lines().nth(d.line - 1).unwrap().chars().collect();
    let mut out: String = line[..from - 1].iter().collect();
    out.push_str(d.fix.as_deref().unwrap());
    out.extend(&line[to - 1..]);
    (d.message.clone(), out)
}

#[test]
fn quick_fixes_replace_only_what_is_wrong() {
    let angry = TEMPLATES[0].1;
    // A mistyped placeholder: the error is at the `{…}` inside the string, and its fix
    // replaces just that, keeping the rest of the text.
    let typo = angry.replacen("\"{name}，非常抱歉", "\"{nmae}，非常抱歉", 1);
    let line = typo.lines().position(|l| l.contains("{nmae}")).unwrap() + 1;
    let text = typo.lines().nth(line - 1).unwrap();
    let want_col = text[..text.find("{nmae}").unwrap()].chars().count() + 1;
    let r = check_studio("angry.toml", &typo);
    let d = &r.diagnostics[0];
    assert_eq!((d.line, d.col), (line, want_col), "{}", d.message);
    assert!(d
        .message
        .starts_with("unknown placeholder `{nmae}`: did you mean `{name}`?"));
    let (_, fixed) = fixed_line("angry.toml", &typo);
    assert_eq!(fixed, angry.lines().nth(line - 1).unwrap());
    // A typo in a principle id inside quotes: the text inside the quotes.
    let typo = angry.replacen("all = [\"apology\"]", "all = [\"apolgy\"]", 1);
    assert_eq!(fixed_line("angry.toml", &typo).1, "all = [\"apology\"]");
    // Full-width punctuation outside quotes: that one character.
    let fw = angry.replace("max_turns = 6", "max_turns ＝ 6");
    assert_eq!(fixed_line("angry.toml", &fw).1, "max_turns = 6");
    let fw = angry.replace(
        "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"]",
        "languages = [\"zh-Hans\"，\"zh-Hant\", \"en\"]",
    );
    assert_eq!(
        fixed_line("angry.toml", &fw).1,
        "languages = [\"zh-Hans\",\"zh-Hant\", \"en\"]"
    );
    // A string ended with a curly quote.
    let curly = angry.replace(
        "name = { zh-Hans = \"王先生\",",
        "name = { zh-Hans = \"王先生”,",
    );
    let (m, fixed) = fixed_line("angry.toml", &curly);
    assert!(m.starts_with("`”` is a curly quote"), "{m}");
    assert!(
        fixed.starts_with("name = { zh-Hans = \"王先生\","),
        "{fixed}"
    );
    // An id that is not the file name (a warning): the id inside the quotes.
    let (m, fixed) = fixed_line("my-copy.toml", angry);
    assert!(
        m.starts_with("the id `angry` does not match the file name"),
        "{m}"
    );
    assert_eq!(fixed, "id = \"my-copy\"");
    // A list left open: its `]` written at the end of its line (the error is there, not on
    // the next key's line the parser stopped at).
    let open = angry.replace(
        "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"]",
        "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"",
    );
    let (m, fixed) = fixed_line("angry.toml", &open);
    assert!(m.contains("is not closed: end it with `]` here"), "{m}");
    assert_eq!(fixed, "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"]");
    // A comma after a value: removed.
    let comma = angry.replace("max_turns = 6", "max_turns = 6,");
    assert_eq!(fixed_line("angry.toml", &comma).1, "max_turns = 6");
    // Full-width digits: the number in ASCII digits.
    let fw = angry.replace("max_turns = 6", "max_turns = １２");
    assert_eq!(fixed_line("angry.toml", &fw).1, "max_turns = 12");
    // Full-width brackets or curly quotes typed for a whole header or value: one fix for all
    // of them on the line, the text inside the quotes kept as typed (its `，` is the text's).
    let header = angry.replacen("[[turn]]", "【【turn】】", 1);
    assert_eq!(fixed_line("angry.toml", &header).1, "[[turn]]");
    let goto = angry.replacen("goto = \"angrier\"", "goto = “angrier”", 1);
    assert_eq!(fixed_line("angry.toml", &goto).1, "goto = \"angrier\"");
    let text = angry.replacen(
        "name = { zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr. Wang\" }",
        "name = { zh-Hans = “王先生，您好”, zh-Hant = \"王先生\", en = \"Mr. Wang\" }",
        1,
    );
    assert_eq!(
        fixed_line("angry.toml", &text).1,
        "name = { zh-Hans = \"王先生，您好\", zh-Hant = \"王先生\", en = \"Mr. Wang\" }"
    );
    // A string ended with a curly quote, a full-width comma in the next string: that stays.
    let end = angry.replacen(
        "name = { zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr. Wang\" }",
        "name = { zh-Hans = \"王先生”, zh-Hant = \"王先生\", en = \"Mr，Wang\" }",
        1,
    );
    assert_eq!(
        fixed_line("angry.toml", &end).1,
        "name = { zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr，Wang\" }"
    );
    // A kind written as the app shows it: its id inside the quotes.
    let shown = angry.replace("kind = \"angry\"", "kind = \"投诉\"");
    assert_eq!(fixed_line("angry.toml", &shown).1, "kind = \"angry\"");
    // A key with a space: its words joined.
    let spaced = angry.replace("max_turns = 6", "max turns = 6");
    assert_eq!(fixed_line("angry.toml", &spaced).1, "max_turns = 6");
}

#[test]
fn the_studio_names_the_real_cause_of_a_broken_line() {
    let angry = TEMPLATES[0].1;
    // The editor's text usually has no line break at its end: its last line is not "cut short".
    let open = angry.trim_end().to_string() + "\n[[turn]]\nid = \"x";
    let r = check_studio("angry.toml", &open);
    let m = &r.diagnostics[0].message;
    assert!(!m.contains("cut short"), "{m}");
    assert!(m.contains("string is not closed on its line"), "{m}");
    let r = check_studio("angry.toml", angry.trim_end());
    assert!(r.ok && r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // (A file on disk that stops mid-line is still said to be cut short.)
    assert!(one("angry.toml", &open).contains("cut short"));
    // A string opened with `"` and ended with a curly or full-width quote: named as such.
    for (end, what) in [("”", "a curly quote"), ("＂", "a full-width quote")] {
        let src = angry.replace(
            "name = { zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr. Wang\" }",
            &format!(
                "name = {{ zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr. Wang{end} }}"
            ),
        );
        let m = one("angry.toml", &src);
        let line = src.lines().position(|l| l.contains(end)).unwrap() + 1;
        assert!(m.starts_with(&format!("angry.toml:{line}:")), "{m}");
        assert!(m.contains(&format!("`{end}` is {what}")), "{m}");
        assert!(!m.contains("line break"), "{m}");
    }
}

#[test]
fn the_studio_report_has_the_graph_the_typo_and_the_failing_sample() {
    let angry = TEMPLATES[0].1;
    let r = check_studio("angry.toml", angry);
    let g = r.graph.as_ref().unwrap();
    assert_eq!(g.start, "open");
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        ["open", "angrier", "when", "resolved", "escalated", "lost"]
    );
    assert!(g.nodes.iter().all(|n| n.reachable && !n.dead_end));
    let e = g
        .edges
        .iter()
        .find(|e| e.from == "open" && e.to == "when")
        .unwrap();
    assert_eq!((e.label.as_str(), e.mood), ("all apology", 25));
    assert_eq!(e.conds, [("all", "apology".to_string())]);
    assert!(g.edges.iter().any(|e| e.label == "otherwise"));

    // A typo in a principle id: an error at its line and column with the fix.
    let typo = angry.replacen("all = [\"apology\"]", "all = [\"apolgy\"]", 1);
    let r = check_studio("angry.toml", &typo);
    assert!(!r.ok);
    let d = &r.diagnostics[0];
    let line = typo.lines().position(|l| l.contains("apolgy")).unwrap() + 1;
    assert_eq!((d.line, d.col, d.severity), (line, 8, "error"));
    assert_eq!(d.fix.as_deref(), Some("apology"));
    assert!(r.graph.is_some(), "the map stays while the file has errors");

    // An ending renamed to a turn's id: the checker says so, and no map is drawn from it (the
    // studio keeps the last one, marked as stale; it had drawn the two as one node at NaN).
    let turn = angry.find("[[turn]]\nid = \"").unwrap() + "[[turn]]\nid = \"".len();
    let first_turn = &angry[turn..turn + angry[turn..].find('"').unwrap()];
    let ending = angry.find("[[ending]]\nid = \"").unwrap() + "[[ending]]\nid = \"".len();
    let end = ending + angry[ending..].find('"').unwrap();
    let clash = format!("{}{}{}", &angry[..ending], first_turn, &angry[end..]);
    let r = check_studio("angry.toml", &clash);
    assert!(!r.ok, "a duplicate id is an error");
    assert!(r.graph.is_none(), "no map from two nodes with one id");

    // An unreachable turn and a dead end are marked.
    let island = format!("{angry}\n[[turn]]\nid = \"island\"\nsay = [{{ zh-Hans = \"在吗\", en = \"Hello?\" }}]\n\n[[turn.next]]\ngoto = \"island\"\n");
    let r = check_studio("angry.toml", &island);
    let n = r
        .graph
        .as_ref()
        .unwrap()
        .nodes
        .iter()
        .find(|n| n.id == "island")
        .unwrap();
    assert!(!n.reachable && n.dead_end);

    // A sample whose path changes fails, with the path it took.
    let changed = angry.replace(
        "goto = \"when\"\nmood = 25",
        "goto = \"angrier\"\nmood = 25",
    );
    let r = check_studio("angry.toml", &changed);
    let s = &r.samples[0];
    assert!(!s.pass);
    assert_eq!(s.at.as_ref().map(|a| a.0.as_str()), Some("angrier"));
    assert!(r.samples[2].pass, "{:?}", r.samples);
}

/// `src` without Traditional Chinese: `zh-Hant` out of `languages` and its text out of every
/// inline table, as a trainer who writes only Simplified Chinese and English leaves a template.
fn without_zh_hant(src: &str) -> String {
    let mut out = String::new();
    let mut rest = src;
    while let Some(at) = rest.find("zh-Hant = \"") {
        out.push_str(&rest[..at]);
        let text = &rest[at + "zh-Hant = \"".len()..];
        rest = &text[text.find("\", ").expect("a zh-Hant text before the en one") + 3..];
    }
    out.push_str(rest);
    let two = out.replace(
        "languages = [\"zh-Hans\", \"zh-Hant\", \"en\"]",
        "languages = [\"zh-Hans\", \"en\"]",
    );
    assert!(!two.contains("\"zh-Hant\"]") && !two.contains("zh-Hant = "));
    two
}

#[test]
fn the_report_names_the_languages_each_text_lacks() {
    let angry = TEMPLATES[0].1;
    let use_of = |r: &kefu_check::studio::Report, code: &str| {
        let l = r.languages.iter().find(|l| l.code == code).unwrap();
        (l.declared, l.texts, l.of)
    };
    // The template writes zh-Hans, zh-Hant and en everywhere: no text lacks a language.
    let r = check_studio("angry.toml", angry);
    assert!(r.texts.is_empty(), "{:?}", r.texts);
    let of = r.languages[0].of;
    assert!(of >= 10, "{:?}", r.languages);
    for code in ["zh-Hans", "zh-Hant", "en"] {
        assert_eq!(use_of(&r, code), (true, of, of), "{code}");
    }
    // The same file without zh-Hant: still clean, no text lacks a language; zh-Hant is
    // neither declared nor written.
    let angry = &without_zh_hant(angry);
    let r = check_studio("angry.toml", angry);
    assert!(r.ok && r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.texts.is_empty(), "{:?}", r.texts);
    assert_eq!(use_of(&r, "zh-Hans"), (true, of, of));
    assert_eq!(use_of(&r, "en"), (true, of, of));
    assert_eq!(use_of(&r, "zh-Hant"), (false, 0, of));
    // The customer's name in Traditional too (tips in a Traditional interface name the
    // customer so): no warning, and no other text lacks zh-Hant for it.
    let named = angry.replace(
        "name = { zh-Hans = \"王先生\", en = \"Mr. Wang\" }",
        "name = { zh-Hans = \"王先生\", zh-Hant = \"王先生\", en = \"Mr. Wang\" }",
    );
    assert_ne!(&named, angry);
    let r = check_studio("angry.toml", &named);
    assert!(r.ok && r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(r.texts.is_empty(), "{:?}", r.texts);
    // One text with a zh-Hant version: every other text now lacks zh-Hant (a language the
    // file writes), and the one without `en` lacks `en` (declared), at its line and column.
    let edited = angry
        .replace(
            "title = { zh-Hans = \"还没到的快递\", en = \"The parcel that hasn't come\" }",
            "title = { zh-Hans = \"还没到的快递\", zh-Hant = \"還沒到的快遞\", en = \"The parcel that hasn't come\" }",
        )
        .replace(
            "text = { zh-Hans = \"我要找你们领导投诉。\", en = \"I want your manager; I'm filing a complaint.\" }",
            "text = { zh-Hans = \"我要找你们领导投诉。\" }",
        );
    let r = check_studio("angry.toml", &edited);
    assert!(!r.ok, "a declared language missing is an error");
    assert_eq!(r.texts.len(), of - 1, "{:?}", r.texts);
    assert!(r.texts.iter().all(|t| t.lacks.contains(&"zh-Hant")));
    let line = edited
        .lines()
        .position(|l| l == "text = { zh-Hans = \"我要找你们领导投诉。\" }")
        .unwrap()
        + 1;
    let t = r
        .texts
        .iter()
        .find(|t| t.line == line)
        .expect("the ending's text");
    assert_eq!(
        (t.col, t.has.clone(), t.lacks.clone()),
        (8, vec!["zh-Hans"], vec!["zh-Hant", "en"])
    );
    assert_eq!(use_of(&r, "zh-Hant"), (false, 1, of));
    assert_eq!(use_of(&r, "en"), (true, of - 1, of));
    // The title (line 7) has all three: not listed.
    assert!(r.texts.iter().all(|t| t.line != 7));
    // A file that is not TOML yet: nothing to say about its texts (and no panic).
    let r = check_studio("angry.toml", "title = { en = ");
    assert!(r.texts.is_empty() && r.languages.is_empty());
}
