//! The build script of `kefu-core` and `kefu-judge` (one file, named by both manifests).
//! Compiles the data files under the workspace's `data/` that the crate owns (core: principles,
//! languages and the UI catalogue; judge: the lexicons, shop rules, answer and question words,
//! the learned model), written in TOML for people, into Rust the crate `include!`s: each file an
//! expression of the struct that reads it (`rust_expr`, by its `Shape`), so no module parses its
//! data at run time and the scorer module needs no JSON deserializer (#17). A malformed data
//! file fails the build with its path, line and column; an unknown or missing field, or a value
//! of the wrong type, with the file and the field. (The lexicons are also written as minified
//! JSON, for tests that walk every word.)

use std::path::Path;

// The hash the learned models' packed form indexes its vocabulary by.
#[allow(dead_code)]
#[path = "judge/src/fx.rs"]
mod fx;

// The learned models' text and packed forms (one file, also the judge's own module).
#[allow(dead_code)]
#[path = "judge/src/learned/form.rs"]
mod learned_form;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&manifest).join("../../data");
    println!("cargo:rerun-if-changed=../data-build.rs");
    match std::env::var("CARGO_PKG_NAME").as_deref() {
        Ok("kefu-core") => {
            let b = "crate::built";
            let languages = parse(&data, "languages");
            lang_ids(&languages, &out);
            write_rust(
                "languages",
                &languages,
                LANGUAGES,
                "data/languages.toml",
                b,
                &out,
            );
            let codes = lang_codes(&languages);
            let mut principles = parse(&data, "principles");
            principle_ids(&principles, &out);
            texts_in(&principles, &codes, "data/principles.toml");
            // The tips and citations are shown by feedback (the full module) and written by the
            // judge (the scorer): not by the library module.
            if !feature("FULL_CATALOGUE") && !feature("SCORER_CATALOGUE") {
                library_principles(&mut principles);
            }
            let rs = static_expr(&principles, PRINCIPLES, "data/principles.toml", "");
            std::fs::write(Path::new(&out).join("principles.rs"), rs).expect("OUT_DIR is writable");
            catalogue(&data, &codes, &out);
        }
        Ok("kefu-judge") => {
            lexicons(&data, &out);
            for name in ["cantonese", "typing"] {
                fold_pairs(&data, name, &out);
            }
            let b = "kefu_core::built";
            let policy = parse(&data, "policy");
            write_rust("policy", &policy, POLICY, "data/policy.toml", b, &out);
            let answers = parse(&data, "answers");
            write_rust("answers", &answers, ANSWERS, "data/answers.toml", b, &out);
            answer_nfas(&answers, &out);
            let questions = parse(&data, "questions");
            write_rust(
                "questions",
                &questions,
                QUESTIONS,
                "data/questions.toml",
                b,
                &out,
            );
            learned(&data, &out);
        }
        other => panic!("data-build.rs: no data files for package {other:?}"),
    }
}

/// `data/NAME.txt` (the folds of `text::Folded`: `FROM TO` pairs under comments for people) →
/// `OUT_DIR/NAME.txt`, its pairs alone (the comments would be bytes of the scorer, #17).
fn fold_pairs(data: &Path, name: &str, out: &str) {
    let path = data.join(format!("{name}.txt"));
    println!("cargo:rerun-if-changed={}", path.display());
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pairs: String = src
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(Path::new(out).join(format!("{name}.txt")), pairs).expect("OUT_DIR is writable");
}

/// `data/model/learned.txt` (the text form `make train` writes) → `OUT_DIR/learned.bin`, the
/// packed form the judge reads in place (`learned::Packed`); a file that does not parse, or does
/// not read back from its packed form exactly, fails the build.
fn learned(data: &Path, out: &str) {
    println!("cargo:rerun-if-changed=src/learned/form.rs");
    let path = data.join("model/learned.txt").display().to_string();
    println!("cargo:rerun-if-changed={path}");
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: cannot read: {e}"));
    let models = learned_form::parse(&src).unwrap_or_else(|e| panic!("{path}: {e}"));
    let packed = learned_form::pack(&models).unwrap_or_else(|e| panic!("{path}: {e}"));
    let back = learned_form::Packed::read(&packed).map(|p| p.to_models());
    assert!(
        back.as_ref() == Ok(&models),
        "{path}: the packed form does not read back"
    );
    std::fs::write(Path::new(out).join("learned.bin"), packed).expect("OUT_DIR is writable");
}

/// The typed answers' patterns of `data/answers.toml` (`time`, `duration`, `amount`), each kind's
/// joined into one alternation as `kefu_judge::answers` matches them, compiled here into
/// Thompson NFAs and written to `OUT_DIR/answers_nfa.bin` (`answers::nfa`, which rebuilds each
/// NFA state by state and runs regex's PikeVM on it): the scorer module carries neither the
/// regex parser nor the NFA compiler (#17), and matches exactly as `PikeVM::new` would (a test
/// compares the NFAs). A pattern that does not compile fails the build.
///
/// The form: per kind, LEB128 numbers: the count of states (0: no patterns), the anchored,
/// unanchored and pattern start states, then each state as a tag and its fields.
fn answer_nfas(answers: &serde_json::Value, out: &str) {
    use regex_automata::nfa::thompson::{State, NFA};
    use regex_automata::PatternID;
    fn num(buf: &mut Vec<u8>, mut n: usize) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                buf.push(b);
                return;
            }
            buf.push(b | 0x80);
        }
    }
    let mut buf = Vec::new();
    for kind in ["time", "duration", "amount"] {
        let patterns: Vec<&str> = answers[kind]
            .as_array()
            .unwrap_or_else(|| panic!("data/answers.toml: `{kind}` must be a list of patterns"))
            .iter()
            .map(|p| {
                p.as_str()
                    .expect("data/answers.toml: a pattern is a string")
            })
            .collect();
        if patterns.is_empty() {
            num(&mut buf, 0);
            continue;
        }
        for p in &patterns {
            if let Err(e) = NFA::new(p) {
                panic!("data/answers.toml: `{kind}`: pattern `{p}` does not compile: {e}");
            }
        }
        // The same alternation as `answers::alternation` (its tests compare the two NFAs).
        let joined = patterns
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let nfa = NFA::new(&joined).expect("each pattern compiles");
        let pid = PatternID::ZERO;
        assert!(nfa.pattern_len() == 1 && nfa.is_utf8() && !nfa.is_reverse());
        num(&mut buf, nfa.states().len());
        num(&mut buf, nfa.start_anchored().as_usize());
        num(&mut buf, nfa.start_unanchored().as_usize());
        num(
            &mut buf,
            nfa.start_pattern(pid).expect("one pattern").as_usize(),
        );
        for state in nfa.states() {
            match state {
                State::ByteRange { trans } => {
                    buf.extend([0, trans.start, trans.end]);
                    num(&mut buf, trans.next.as_usize());
                }
                State::Sparse(s) => {
                    buf.push(1);
                    num(&mut buf, s.transitions.len());
                    for t in s.transitions.iter() {
                        buf.extend([t.start, t.end]);
                        num(&mut buf, t.next.as_usize());
                    }
                }
                State::Look { look, next } => {
                    buf.push(2);
                    num(&mut buf, look.as_repr() as usize);
                    num(&mut buf, next.as_usize());
                }
                State::Union { alternates } => {
                    buf.push(3);
                    num(&mut buf, alternates.len());
                    for a in alternates.iter() {
                        num(&mut buf, a.as_usize());
                    }
                }
                State::BinaryUnion { alt1, alt2 } => {
                    buf.push(4);
                    num(&mut buf, alt1.as_usize());
                    num(&mut buf, alt2.as_usize());
                }
                State::Capture {
                    next,
                    pattern_id,
                    group_index,
                    slot,
                } => {
                    assert!(*pattern_id == pid);
                    let g = group_index.as_usize();
                    assert!(
                        nfa.group_info().to_name(pid, g).is_none(),
                        "data/answers.toml: `{kind}`: no named groups"
                    );
                    // A group's start or its end, told apart by the slot.
                    let start = nfa.group_info().slot(pid, g) == Some(slot.as_usize());
                    buf.push(if start { 5 } else { 6 });
                    num(&mut buf, g);
                    num(&mut buf, next.as_usize());
                }
                State::Fail => buf.push(7),
                State::Match { pattern_id } => {
                    assert!(*pattern_id == pid);
                    buf.push(8);
                }
                State::Dense(_) => panic!("a compiled NFA has no dense states"),
            }
        }
    }
    std::fs::write(Path::new(out).join("answers_nfa.bin"), buf).expect("OUT_DIR is writable");
}

/// `data/NAME.toml` → `OUT_DIR/NAME.json`, parsed (a malformed file fails the build at
/// `FILE:LINE:COLUMN`).
fn compile(data: &Path, name: &str, out: &str) -> serde_json::Value {
    let value = parse(data, name);
    write_json(name, &value, out);
    value
}

/// `data/NAME.toml` read into a JSON value; a file that does not parse fails the build with its
/// path, line and column.
fn parse(data: &Path, name: &str) -> serde_json::Value {
    let src_path = data.join(format!("{name}.toml")).display().to_string();
    println!("cargo:rerun-if-changed={src_path}");
    let src = std::fs::read_to_string(&src_path)
        .unwrap_or_else(|e| panic!("{src_path}: cannot read: {e}"));
    toml::from_str(&src).unwrap_or_else(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(&src, s.start));
        panic!("{src_path}:{line}:{col}: {}", e.message())
    })
}

/// `value` as minified JSON to `OUT_DIR/NAME.json`.
fn write_json(name: &str, value: &serde_json::Value, out: &str) {
    let dest = Path::new(out).join(format!("{name}.json"));
    std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
        .expect("OUT_DIR is writable");
    std::fs::write(&dest, serde_json::to_string(value).expect("JSON from TOML"))
        .expect("OUT_DIR is writable");
}

/// The UI catalogue: one file per language of `data/languages.toml`, `data/i18n/CODE.toml`
/// (`"key" = "text"`), gathered into `OUT_DIR/i18n.rs` (`[(CODE, records)]`); a listed
/// language without a file has no strings of its own (they fall back), a file of an unlisted
/// language fails the build. A leftover old-form `data/i18n.toml` (`"key" = { CODE = "text", … }`,
/// e.g. brought in by a merge) is read too and wins; `scripts/split-catalogue.py` moves it into
/// the per-language files.
fn catalogue(data: &Path, codes: &[String], out: &str) {
    let dir = data.join("i18n");
    println!("cargo:rerun-if-changed={}", dir.display());
    // Without the feature `full-catalogue` only the keys of the listed parts are embedded
    // (`library-catalogue`: the library module, the first load, #17; `scorer-catalogue`: the
    // judge, in the scorer module).
    let wanted = selected_keys(&dir);
    // The app's full module (kefu-app with `full` alone: the whole catalogue for the app, without
    // the dashboard's part), which does not show the dashboard.
    let full_module =
        feature("FULL_CATALOGUE") && feature("LIBRARY_CATALOGUE") && !feature("TEAM_CATALOGUE");
    let mut all = serde_json::Map::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for p in rd.filter_map(|e| e.ok().map(|e| e.path())) {
            let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            assert!(
                p.extension().is_none_or(|x| x != "toml") || codes.iter().any(|c| c == stem),
                "{}: no language `{stem}` in data/languages.toml (add its [[language]] line)",
                p.display()
            );
        }
    }
    for code in codes {
        // (Watched through `dir` above: a path that does not exist would make cargo rebuild
        // every time, and a listed language may have no file yet.)
        let path = dir.join(format!("{code}.toml"));
        let mut texts = serde_json::Map::new();
        if path.exists() {
            let value = toml_file(&path);
            for (key, text) in value.as_object().expect("a TOML file is a table") {
                assert!(
                    text.is_string(),
                    "{}: `{key}` must be a string",
                    path.display()
                );
                // The trainer studio's strings (`studio.*`) go into its own bundle
                // (`studio/build.mjs`), not into the app's first load; the dashboard's
                // (`team.*`) into the dashboard module, not the full one (#19); the checker's
                // (`check.*`) into the checker module (kefu-check), not the full one.
                if key.starts_with("studio.")
                    || ((key.starts_with("team.") || key.starts_with("check.")) && full_module)
                    || wanted.as_ref().is_some_and(|w| !w.selects(key))
                {
                    continue;
                }
                texts.insert(key.clone(), text.clone());
            }
        }
        all.insert(code.clone(), serde_json::Value::Object(texts));
    }
    let old = data.join("i18n.toml");
    if old.exists() {
        // Only when it is there: a missing path in rerun-if-changed makes every build a rebuild.
        println!("cargo:rerun-if-changed={}", old.display());
        let value = toml_file(&old);
        for (key, texts) in value.as_object().expect("a TOML file is a table") {
            let texts = texts
                .as_object()
                .unwrap_or_else(|| panic!("data/i18n.toml: `{key}` must be {{ CODE = \"…\" }}"));
            if wanted.as_ref().is_some_and(|w| !w.selects(key)) {
                continue;
            }
            for (lang, text) in texts {
                let file = all.get_mut(lang).unwrap_or_else(|| {
                    panic!("data/i18n.toml: `{key}`: no language `{lang}` in data/languages.toml")
                });
                file[key] = text.clone();
            }
        }
    }
    // As Rust: `&[(CODE, TEXTS)]`, each language's texts one string of `key US text` records
    // joined by RS (`kefu_core::lang::Catalogue::from_records`), read with no parser.
    let mut rs = String::from("&[");
    for (code, texts) in &all {
        let mut records = Vec::new();
        for (key, text) in texts.as_object().into_iter().flatten() {
            let text = text.as_str().unwrap_or_default();
            assert!(
                !(key.to_string() + text).contains(['\u{1e}', '\u{1f}']),
                "data/i18n/{code}.toml: `{key}`: no control characters U+001E, U+001F"
            );
            records.push(format!("{key}\u{1f}{text}"));
        }
        rs.push_str(&format!("({code:?}, {:?}), ", records.join("\u{1e}")));
    }
    rs.push(']');
    std::fs::write(Path::new(out).join("i18n.rs"), rs).expect("OUT_DIR is writable");
}

/// The library module's principles (kefu-core with neither `full-catalogue` nor
/// `scorer-catalogue`): each without what only feedback and the judge use (its tips, citations,
/// handbook source), since the library page shows names and the kinds' weights only.
fn library_principles(value: &mut serde_json::Value) {
    for p in value["principle"]
        .as_array_mut()
        .expect("data/principles.toml has [[principle]]")
    {
        let p = p.as_object_mut().expect("a [[principle]] is a table");
        for field in ["tip", "tip_for", "cite", "source"] {
            p.remove(field);
        }
    }
}

/// The codes of `data/languages.toml`'s `[[language]]`s, in order.
fn lang_codes(languages: &serde_json::Value) -> Vec<String> {
    languages["language"]
        .as_array()
        .expect("data/languages.toml has [[language]]")
        .iter()
        .map(|l| {
            l["code"]
                .as_str()
                .expect("every [[language]] has a code")
                .to_string()
        })
        .collect()
}

/// Every text map of the principles (`name`, `tip`, `cite`, `tip_for`'s) is keyed by listed
/// language codes.
fn texts_in(principles: &serde_json::Value, codes: &[String], file: &str) {
    let check = |t: &serde_json::Value, at: &str| {
        for k in t.as_object().into_iter().flatten().map(|(k, _)| k) {
            assert!(
                codes.contains(k),
                "{file}: `{at}`: no language `{k}` in data/languages.toml (one of {codes:?})"
            );
        }
    };
    for p in principles["principle"].as_array().into_iter().flatten() {
        let id = p["id"].as_str().unwrap_or_default();
        for f in ["name", "tip", "cite"] {
            check(&p[f], &format!("{id}.{f}"));
        }
        for (kind, t) in p["tip_for"].as_object().into_iter().flatten() {
            check(t, &format!("{id}.tip_for.{kind}"));
        }
    }
}

/// The catalogue keys a crate built without `full-catalogue` embeds: those of each part its
/// features name, `data/i18n/PART.keys` (`library-catalogue`: `library.keys`, the library
/// module's; `team-catalogue`: `team.keys`, the dashboard module's; `scorer-catalogue`:
/// `scorer.keys`, the judge's and the scorer module's) — one key
/// per line, a line ending in `.` a prefix (`lib.` is every `lib.…` key), `#` a comment; no part,
/// no strings. `None` (every key) with the feature `full-catalogue` (kefu-core's default).
struct KeyList {
    keys: Vec<String>,
}

impl KeyList {
    fn selects(&self, key: &str) -> bool {
        // A key's singular (`KEY.one`, `i18n::tf`) goes where the key goes.
        if let Some(base) = key.strip_suffix(".one") {
            return self.selects(base);
        }
        self.keys.iter().any(|k| {
            if k.ends_with('.') {
                key.starts_with(k.as_str())
            } else {
                key == k
            }
        })
    }
}

fn feature(name: &str) -> bool {
    std::env::var_os(format!("CARGO_FEATURE_{name}")).is_some()
}

fn selected_keys(dir: &Path) -> Option<KeyList> {
    if feature("FULL_CATALOGUE") {
        return None;
    }
    let mut keys = Vec::new();
    for (part, wanted) in [
        ("library", feature("LIBRARY_CATALOGUE")),
        ("team", feature("TEAM_CATALOGUE")),
        ("scorer", feature("SCORER_CATALOGUE")),
    ] {
        let path = dir.join(format!("{part}.keys"));
        println!("cargo:rerun-if-changed={}", path.display());
        if !wanted {
            continue;
        }
        let src = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
        keys.extend(
            src.lines()
                .map(|l| l.split('#').next().unwrap_or_default().trim())
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
    }
    Some(KeyList { keys })
}

/// `OUT_DIR/lang_ids.rs`: `enum Lang`, one variant per `[[language]]` of `data/languages.toml`
/// in its order (`zh-Hans` → `ZhHans`), with `ALL` and `code`. Everything else about a
/// language is read from the list at run time (`kefu_core::lang`).
fn lang_ids(languages: &serde_json::Value, out: &str) {
    let codes: Vec<&str> = languages["language"]
        .as_array()
        .expect("data/languages.toml has [[language]]")
        .iter()
        .map(|l| l["code"].as_str().expect("every [[language]] has a code"))
        .collect();
    assert!(!codes.is_empty(), "data/languages.toml: no [[language]]");
    let variant = |code: &str| -> String {
        assert!(
            !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "data/languages.toml: code `{code}` must be a BCP 47 tag (ASCII letters, digits, `-`)"
        );
        code.split('-')
            .map(|w| {
                let mut c = w.chars();
                c.next().map_or(String::new(), |f| {
                    f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()
                })
            })
            .collect()
    };
    let ids: Vec<(String, &str)> = codes.iter().map(|c| (variant(c), *c)).collect();
    let rs = id_enum(
        "Lang",
        "/// A UI language: one variant per `[[language]]` of `data/languages.toml`, in its order\n\
         /// (generated by `crates/data-build.rs`). Ordered as the switcher lists them.",
        "Every UI language, in the switcher's order.",
        ("code", "The BCP 47 tag, as data files write it (`zh-Hans`, `en`)."),
        &ids,
    );
    std::fs::write(Path::new(out).join("lang_ids.rs"), rs).expect("OUT_DIR is writable");
}

/// The source of a generated id enum: `doc`, then `pub enum NAME` with one variant per
/// `(variant, id)` in order, its `ALL` (documented `all_doc`) and `const fn METHOD(self) ->
/// &'static str` (documented by the pair's second) giving each variant's id.
fn id_enum(
    name: &str,
    doc: &str,
    all_doc: &str,
    (method, method_doc): (&str, &str),
    ids: &[(String, &str)],
) -> String {
    let mut rs = format!(
        "{doc}\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum {name} {{\n"
    );
    for (v, id) in ids {
        rs.push_str(&format!("    /// `{id}`.\n    {v},\n"));
    }
    let all: Vec<String> = ids.iter().map(|(v, _)| format!("{name}::{v}")).collect();
    rs.push_str(&format!(
        "}}\n\nimpl {name} {{\n    /// {all_doc}\n    pub const ALL: [{name}; {}] = [{}];\n",
        ids.len(),
        all.join(", ")
    ));
    rs.push_str(&format!(
        "    /// {method_doc}\n    pub const fn {method}(self) -> &'static str {{\n        match self {{\n"
    ));
    for (v, id) in ids {
        rs.push_str(&format!("            {name}::{v} => \"{id}\",\n"));
    }
    rs.push_str("        }\n    }\n}\n");
    rs
}

/// A TOML file parsed (a malformed file fails the build at `FILE:LINE:COLUMN`).
fn toml_file(path: &Path) -> serde_json::Value {
    let src = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: cannot read: {e}", path.display()));
    toml::from_str(&src).unwrap_or_else(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(&src, s.start));
        panic!("{}:{line}:{col}: {}", path.display(), e.message())
    })
}

/// `OUT_DIR/principle_ids.rs`: `enum PrincipleId`, one variant per `[[principle]]` of
/// `data/principles.toml` in its order (`follow_up` → `FollowUp`), with `ALL` and `as_str`.
/// Code names a principle by a variant, so a misspelt or removed id fails to compile; what a
/// principle does (negatable, quotable, penalty, weights, citation) stays in the data.
fn principle_ids(principles: &serde_json::Value, out: &str) {
    let ids: Vec<&str> = principles["principle"]
        .as_array()
        .expect("data/principles.toml has [[principle]]")
        .iter()
        .map(|p| p["id"].as_str().expect("every [[principle]] has an id"))
        .collect();
    let ids: Vec<(String, &str)> = ids.iter().map(|id| (principle_variant(id), *id)).collect();
    let rs = id_enum(
        "PrincipleId",
        "/// A principle's id: one variant per `[[principle]]` of `data/principles.toml`, in its\n\
         /// order (generated by `crates/data-build.rs`). Ordered as the rulebook lists them.",
        "Every principle, in display order.",
        (
            "as_str",
            "The id as written in data, scenario files, the CLI's JSON and stored results.",
        ),
        &ids,
    );
    std::fs::write(Path::new(out).join("principle_ids.rs"), rs).expect("OUT_DIR is writable");
}

/// Every `data/lexicon/*.toml`: `_context.toml` (context words, courtesy features) and one file
/// per principle with cues, and every `data/rules/*.toml` (structural roles), found by listing
/// the folders — adding a principle's lexicon touches
/// no code. Writes `OUT_DIR/lexicons.rs` (`LEXICON_CONTEXT`, and `LEXICONS` in the display order
/// of `data/principles.toml`). A file named after no principle fails the build.
fn lexicons(data: &Path, out: &str) {
    let dir = data.join("lexicon");
    println!("cargo:rerun-if-changed={}", dir.display());
    let principles = parse(data, "principles");
    let order: Vec<String> = principles["principle"]
        .as_array()
        .expect("data/principles.toml has [[principle]]")
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .collect();
    names.sort();
    for n in names.iter().filter(|n| !n.starts_with('_')) {
        assert!(
            order.contains(n),
            "{}/{n}.toml: no principle `{n}` in data/principles.toml (a lexicon is named after its principle)",
            dir.display()
        );
    }
    // Each file's handbook citation (`source`): required, and kept out of the embedded JSON
    // (no judgement reads it; the scorer module carried ~4 KB of them), in a file of its own.
    let mut sources = serde_json::Map::new();
    // Every lexicon file and role file as `(name, RawFile)`, static, in the order of `LEXICONS`
    // then `ROLE_LEXICONS` (`OUT_DIR/lexicon_files.rs`, read by `Lexicon::build`).
    let mut files = Vec::new();
    let mut parsed = std::collections::BTreeMap::new();
    let b = "kefu_core::built";
    for n in &names {
        if n.starts_with('_') {
            let value = compile(data, &format!("lexicon/{n}"), out);
            let file = format!("data/lexicon/{n}.toml");
            assert!(
                n == "_context",
                "{file}: the only `_` file is `_context.toml`"
            );
            write_rust("lexicon_context", &value, CONTEXT_FILE, &file, b, out);
            continue;
        }
        let value = compile_cited(data, &format!("lexicon/{n}"), out);
        assert!(
            value["principle"].as_str() == Some(n.as_str()),
            "{}/{n}.toml: `principle = \"{n}\"` expected (a lexicon is named after its principle)",
            dir.display()
        );
        sources.insert(n.clone(), value["source"].clone());
        parsed.insert(n.clone(), value);
    }
    for id in order.iter().filter(|id| names.contains(id)) {
        let file = format!("data/lexicon/{id}.toml");
        let value = &parsed[id];
        files.push(format!(
            "({id:?}, {})",
            static_expr(value, RAW_PRINCIPLE_FILE, &file, "")
        ));
    }
    write_rust(
        "lexicon_sources",
        &serde_json::Value::Object(sources),
        Shape::Map(&Shape::Str),
        "data/lexicon",
        b,
        out,
    );
    let mut rs = String::from(
        "/// `data/lexicon/_context.toml`.\npub const LEXICON_CONTEXT: &str = data!(\"lexicon/_context\");\n\
         /// `data/lexicon/PRINCIPLE.toml`, one per principle with cues, in display order.\n\
         pub const LEXICONS: &[(&str, &str)] = &[\n",
    );
    for id in order.iter().filter(|id| names.contains(id)) {
        rs.push_str(&format!("    (\"{id}\", data!(\"lexicon/{id}\")),\n"));
    }
    rs.push_str("];\n");
    // The roles that `crate::rules` combines into principle hits: `data/rules/*.toml`.
    let roles_dir = data.join("rules");
    println!("cargo:rerun-if-changed={}", roles_dir.display());
    let mut roles: Vec<String> = std::fs::read_dir(&roles_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    roles.sort();
    rs.push_str(
        "/// `data/rules/ROLE.toml`: cues of structural roles (a feeling told away, a wry emoji, a\n\
         /// cause put on a third party, the customer sent elsewhere) that `crate::rules` combines\n\
         /// into principle hits; they are not principles themselves.\n\
         pub const ROLE_LEXICONS: &[(&str, &str)] = &[\n",
    );
    for r in &roles {
        let value = compile_cited(data, &format!("rules/{r}"), out);
        let file = format!("data/rules/{r}.toml");
        files.push(format!(
            "(\"rules/{r}\", {})",
            static_expr(&value, RAW_PRINCIPLE_FILE, &file, "")
        ));
        rs.push_str(&format!("    (\"rules/{r}\", data!(\"rules/{r}\")),\n"));
    }
    rs.push_str("];\n");
    std::fs::write(Path::new(out).join("lexicons.rs"), rs).expect("OUT_DIR is writable");
    std::fs::write(
        Path::new(out).join("lexicon_files.rs"),
        format!("&[{}]", files.join(",\n")),
    )
    .expect("OUT_DIR is writable");
}

/// `compile` for a lexicon or role file: its `source` (the handbook passage it cites) must be a
/// string, and is left out of the JSON written (returned with it).
fn compile_cited(data: &Path, name: &str, out: &str) -> serde_json::Value {
    let full = parse(data, name);
    assert!(
        full.get("source").is_some_and(|s| s.is_string()),
        "data/{name}.toml: no `source = \"…\"` (the handbook passage its cues come from)"
    );
    let mut value = full.clone();
    if let Some(table) = value.as_object_mut() {
        table.remove("source");
    }
    write_json(name, &value, out);
    full
}

fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = &src[..byte.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// What a data file's value is read into: the shape of the crate's struct for it (its fields'
/// types), so the build writes the value as a Rust expression of that struct (`rust_expr`) and
/// the crate reads its data with no parser (#17: no JSON deserializer in the scorer module). A
/// field the struct lacks, one it needs and the file lacks, or a value of another type fails
/// the build with the file's name; the compiler checks the shapes against the structs.
#[derive(Clone, Copy)]
enum Shape {
    /// `String`.
    Str,
    /// `Vec<String>`.
    Lines,
    F32,
    F64,
    Bool,
    /// `Option<u8>`.
    OptU8,
    /// `Option<String>`.
    OptStr,
    /// `BTreeMap<String, _>`.
    Map(&'static Shape),
    /// `Vec<_>`.
    List(&'static Shape),
    /// A struct: its name (in the module that includes the expression) and fields.
    Obj(&'static str, &'static [Field]),
    /// `kefu_core::principles::Text`: a text per language code.
    Text,
    /// `Vec<(String, f32)>`, written `[["id", 1.5], …]`.
    Weights,
    /// A variant of an enum named by the string, as `variant` spells it: `(enum, variant)`.
    Variant(&'static str, fn(&str) -> String),
}

/// One field of a struct: its key in the file, its shape, and whether the file must give it.
#[derive(Clone, Copy)]
struct Field(&'static str, Shape, Need);

#[derive(Clone, Copy, PartialEq)]
enum Need {
    /// The file must give it.
    Required,
    /// `Default::default()` when the file does not.
    Default,
    /// Required, and only in the crate's test build (`#[cfg(test)]`).
    Test,
    /// Allowed in the file and not read (the struct has no such field).
    Skip,
}

use Need::{Default as Opt, Required as Req};

/// `data/languages.toml`: `kefu_core::lang::Languages`.
const LANGUAGES: Shape = Shape::Obj(
    "Languages",
    &[
        Field("default", Shape::Str, Req),
        Field(
            "language",
            Shape::List(&Shape::Obj(
                "LangInfo",
                &[
                    Field("code", Shape::Str, Req),
                    Field("native", Shape::Str, Req),
                    Field("fallback", Shape::Lines, Opt),
                    Field("family", Shape::Str, Opt),
                    Field("tags", Shape::Lines, Opt),
                    Field("locale", Shape::OptStr, Opt),
                ],
            )),
            Req,
        ),
    ],
);

/// `data/principles.toml`: `kefu_core::principles::RawFile`, static (`static_expr`; the library module's copy without
/// `source`, `tip`, `tip_for` and `cite`: `library_principles`).
const PRINCIPLES: Shape = Shape::Obj(
    "RawFile",
    &[
        Field(
            "principle",
            Shape::List(&Shape::Obj(
                "RawPrinciple",
                &[
                    Field("id", Shape::Variant("PrincipleId", principle_variant), Req),
                    Field("kind", Shape::Variant("Kind", kind_variant), Req),
                    Field("violation", Shape::Bool, Opt),
                    Field("negatable", Shape::Bool, Opt),
                    Field("quotable", Shape::Bool, Opt),
                    Field("penalty", Shape::F32, Opt),
                    Field("source", Shape::Str, Opt),
                    Field("name", Shape::Text, Req),
                    Field("tip", Shape::Text, Opt),
                    Field("tip_for", Shape::Map(&Shape::Text), Opt),
                    Field("cite", Shape::Text, Opt),
                ],
            )),
            Req,
        ),
        Field(
            "kind",
            Shape::List(&Shape::Obj(
                "RawKind",
                &[
                    Field("id", Shape::Str, Req),
                    Field("weights", Shape::Weights, Req),
                ],
            )),
            Req,
        ),
    ],
);

/// `follow_up` → `FollowUp`: the variant of `PrincipleId` for a principle's id.
fn principle_variant(id: &str) -> String {
    assert!(
        !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
        "data/principles.toml: id `{id}` must be lower-case ASCII letters and `_`"
    );
    id.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

/// `reply` → `Reply`: `kefu_core::principles::Kind`'s variants.
fn kind_variant(id: &str) -> String {
    match id {
        "reply" => "Reply".into(),
        "turn" => "Turn".into(),
        _ => panic!("data/principles.toml: kind `{id}` must be `reply` or `turn`"),
    }
}

/// `data/questions.toml`: `kefu_judge::detect::questions::Words`.
const QUESTIONS: Shape = Shape::Obj(
    "Words",
    &[
        Field("asking_verbs", Shape::Lines, Req),
        Field("asking_elliptic", Shape::Lines, Req),
        Field("ne_question_words", Shape::Lines, Req),
        Field("interjections", Shape::Lines, Req),
        Field("wh_words", Shape::Lines, Req),
        Field("declarative_breakers", Shape::Lines, Req),
        Field("restating_subjects", Shape::Lines, Req),
        Field("restating_modals", Shape::Lines, Req),
        Field("opening_offer", Shape::Lines, Req),
        Field("opening_offer_not", Shape::Lines, Req),
        Field("checks_number", Shape::Lines, Req),
        Field("tells", Shape::Lines, Req),
        Field("offers", Shape::Lines, Req),
        Field("agreement_checks", Shape::Lines, Req),
        Field("asking_words_zh", Shape::Lines, Req),
        Field("first_person", Shape::Lines, Req),
        Field("number_words", Shape::Lines, Req),
        Field("hedges", Shape::Lines, Req),
        Field("vague_tails", Shape::Lines, Req),
    ],
);

/// `data/policy.toml`: `kefu_judge::policy::Data` (a rule's `name` is for people).
const POLICY: Shape = Shape::Obj(
    "Data",
    &[
        Field("negators", Shape::Lines, Req),
        Field("not_negating", Shape::Lines, Req),
        Field("not_claimed", Shape::Lines, Req),
        Field("compared", Shape::Lines, Req),
        Field("not_ours", Shape::Lines, Req),
        Field("words", Shape::Map(&Shape::Map(&Shape::F64)), Req),
        Field(
            "rule",
            Shape::List(&Shape::Obj(
                "Rule",
                &[
                    Field("id", Shape::Str, Req),
                    Field("name", Shape::Str, Need::Skip),
                    Field("topic", Shape::Lines, Req),
                    Field(
                        "units",
                        Shape::List(&Shape::Obj(
                            "Unit",
                            &[
                                Field("say", Shape::Lines, Req),
                                Field("times", Shape::F64, Req),
                            ],
                        )),
                        Req,
                    ),
                    Field("prefix", Shape::Lines, Opt),
                    Field("clause", Shape::Bool, Opt),
                ],
            )),
            Req,
        ),
    ],
);

/// `data/answers.toml`: `kefu_judge::answers::Data` (the patterns only in tests: the judge
/// runs their NFAs, `answer_nfas`).
const ANSWERS: Shape = Shape::Obj(
    "Data",
    &[
        Field("weight", Shape::F32, Req),
        Field("negators", Shape::Lines, Req),
        Field("gaps", Shape::Lines, Req),
        Field("time", Shape::Lines, Need::Test),
        Field("duration", Shape::Lines, Need::Test),
        Field("amount", Shape::Lines, Need::Test),
        Field("time_words", Shape::Lines, Req),
        Field("amount_words", Shape::Lines, Req),
        Field("not_about", Shape::Lines, Req),
        Field("and_then", Shape::Lines, Req),
        Field(
            "yes_no",
            Shape::Obj(
                "YesNo",
                &[
                    Field("opens", Shape::Lines, Req),
                    Field("alone", Shape::Lines, Req),
                    Field("particles", Shape::Lines, Req),
                    Field("not_after", Shape::Lines, Req),
                    Field("not_words", Shape::Lines, Opt),
                    Field("verbs_zh", Shape::Lines, Req),
                    Field("verbs_en", Shape::Map(&Shape::Lines), Req),
                ],
            ),
            Req,
        ),
        Field("policy", Shape::Map(&Shape::Str), Req),
        Field("about", Shape::Map(&Shape::Lines), Req),
        Field("also", Shape::Map(&Shape::Lines), Req),
        Field("not_by", Shape::Map(&Shape::Lines), Req),
    ],
);

/// A section of a lexicon or role file, static (`static_expr`): `kefu_judge::lexicon::RawSection`.
const RAW_SECTION: Shape = Shape::Obj(
    "RawSection",
    &[
        Field("cues", Shape::Lines, Opt),
        Field("statement", Shape::Lines, Opt),
        Field("question", Shape::Lines, Opt),
        Field("start", Shape::Lines, Opt),
        Field("block", Shape::Lines, Opt),
    ],
);

/// A lexicon or role file, static (`static_expr`): `kefu_judge::lexicon::RawFile`, owned in one
/// loop (`source` is written apart: `lexicon_sources`).
const RAW_PRINCIPLE_FILE: Shape = Shape::Obj(
    "RawFile",
    &[
        Field("principle", Shape::Str, Req),
        Field("source", Shape::Str, Need::Skip),
        Field("groups", Shape::Map(&Shape::Lines), Opt),
        Field("zh", RAW_SECTION, Opt),
        Field("en", RAW_SECTION, Opt),
    ],
);

/// `data/lexicon/_context.toml`: `kefu_judge::lexicon::ContextFile`.
const CONTEXT_FILE: Shape = Shape::Obj(
    "ContextFile",
    &[
        Field("groups", Shape::Map(&Shape::Lines), Opt),
        Field("negators", Shape::Lines, Req),
        Field("negator_exceptions", Shape::Lines, Req),
        Field("quote_intro", Shape::Lines, Req),
        Field("rhetorical", Shape::Lines, Req),
        Field("closing", Shape::Lines, Req),
        Field("requests", Shape::Lines, Req),
        Field("confirm_tags", Shape::Lines, Req),
        Field("second_person", Shape::Lines, Req),
        Field("not_asking", Shape::Lines, Req),
        Field("filler_tags", Shape::Lines, Req),
        Field("interrogative_starts", Shape::Lines, Req),
        Field("handoff", Shape::Lines, Req),
        Field("jargon_gloss", Shape::Lines, Req),
        Field("soft_blame", Shape::Lines, Req),
        Field("copula_reach", Shape::Lines, Req),
        Field("new_subject", Shape::Lines, Req),
        Field("modal_reach", Shape::Lines, Req),
        Field("acronyms", Shape::Lines, Req),
        Field("plain_acronyms", Shape::Lines, Req),
        Field("caps_words", Shape::Lines, Req),
        Field(
            "courtesy",
            Shape::List(&Shape::Obj(
                "CourtesyFeature",
                &[
                    Field("weight", Shape::F32, Req),
                    Field("patterns", Shape::Lines, Req),
                    Field("max", Shape::OptU8, Opt),
                    Field("start", Shape::Bool, Opt),
                    Field("lang", Shape::OptStr, Opt),
                ],
            )),
            Req,
        ),
        Field(
            "courtesy_model",
            Shape::Obj(
                "CourtesyModel",
                &[
                    Field("bias", Shape::Map(&Shape::F32), Req),
                    Field("per_log_char", Shape::Map(&Shape::F32), Req),
                    Field("principles", Shape::Map(&Shape::F32), Req),
                ],
            ),
            Req,
        ),
    ],
);

/// `v` (of data file `file`) as a Rust expression of `shape` that owns its values, calling
/// `kefu_core::built`'s helpers through `b` (`kefu_core::built` or `crate::built`).
fn rust_expr(v: &serde_json::Value, shape: Shape, file: &str, at: &str, b: &str) -> String {
    emit(v, shape, file, at, Some(b))
}

/// `v` (of data file `file`) as a constant of `shape` made of static parts only (`&str`,
/// `&[…]`, numbers, enum variants): no code per item, for a list of many structs the crate turns
/// into owned values in one loop (`kefu_core::principles`' `RawPrinciple`, `kefu_judge::lexicon`'s
/// `RawFile`). A list of strings is one `\n`-joined string (`""`: none; no item may be empty),
/// a text or a map a slice of pairs; a field the file leaves out is empty (`""`, `&[]`,
/// `false`, `0.0`).
fn static_expr(v: &serde_json::Value, shape: Shape, file: &str, at: &str) -> String {
    emit(v, shape, file, at, None)
}

/// `rust_expr` (`owned`: the helpers' path) or `static_expr` (`None`): one walk of the value by
/// its shape, which rejects an unknown field, a missing one the struct needs, or a value of
/// another type, naming the file and the field.
fn emit(v: &serde_json::Value, shape: Shape, file: &str, at: &str, owned: Option<&str>) -> String {
    use serde_json::Value as V;
    let fail = |want: &str| -> ! { panic!("{file}: `{at}` must be {want}, not {v}") };
    let lit = |s: &str| format!("{s:?}");
    // A list of strings joined by `\n` (`None`: not a list of one-line strings).
    let joined = |v: &V| -> Option<String> {
        let mut items = Vec::new();
        for x in v.as_array()? {
            let x = x.as_str()?;
            assert!(
                !x.contains('\n'),
                "{file}: `{at}`: an item must be one line: {x:?}"
            );
            assert!(
                owned.is_some() || !x.is_empty(),
                "{file}: `{at}`: an item must not be empty"
            );
            items.push(x);
        }
        Some(items.join("\n"))
    };
    // `[(key, value)]` pairs as a slice literal.
    let slice = |pairs: Vec<String>| format!("&[{}]", pairs.join(", "));
    let helper = |name: &str, arg: String| match owned {
        Some(b) => format!("{b}::{name}({arg})"),
        None => arg,
    };
    match shape {
        Shape::Str => {
            let s = lit(v.as_str().unwrap_or_else(|| fail("a string")));
            helper("s", s)
        }
        Shape::Lines => match (v.as_array(), owned) {
            (Some(a), Some(_)) if a.is_empty() => "Vec::new()".into(),
            _ => helper(
                "l",
                lit(&joined(v).unwrap_or_else(|| fail("a list of strings"))),
            ),
        },
        Shape::F32 => v
            .as_f64()
            .map_or_else(|| fail("a number"), |x| format!("({x:?}f64 as f32)")),
        Shape::F64 => v
            .as_f64()
            .map_or_else(|| fail("a number"), |x| format!("{x:?}f64")),
        Shape::Bool => v
            .as_bool()
            .map_or_else(|| fail("true or false"), |x| x.to_string()),
        Shape::OptU8 => match v.as_u64() {
            Some(x) if x <= 255 => format!("Some({x})"),
            _ => fail("a whole number from 0 to 255"),
        },
        Shape::OptStr => {
            let s = lit(v.as_str().unwrap_or_else(|| fail("a string")));
            format!("Some({})", helper("s", s))
        }
        Shape::Variant(name, variant) => {
            format!(
                "{name}::{}",
                variant(v.as_str().unwrap_or_else(|| fail("a string")))
            )
        }
        Shape::Text => {
            let o = v
                .as_object()
                .unwrap_or_else(|| fail("a table of texts by language"));
            let pairs = o
                .iter()
                .map(|(k, x)| match x.as_str() {
                    Some(t) => format!("({}, {})", lit(k), lit(t)),
                    None => panic!("{file}: `{at}.{k}` must be a string, not {x}"),
                })
                .collect();
            helper("text", slice(pairs))
        }
        Shape::Weights => {
            let a = v
                .as_array()
                .unwrap_or_else(|| fail("a list of [id, weight] pairs"));
            let pairs = a
                .iter()
                .map(|x| match x.as_array().map(Vec::as_slice) {
                    Some([id, w]) if id.is_string() && w.is_number() => format!(
                        "({}, ({:?}f64 as f32))",
                        lit(id.as_str().unwrap_or_default()),
                        w.as_f64().unwrap_or_default()
                    ),
                    _ => panic!("{file}: `{at}`: each weight is [\"id\", number], not {x}"),
                })
                .collect();
            helper("weights", slice(pairs))
        }
        Shape::Map(inner) => {
            let o = v.as_object().unwrap_or_else(|| fail("a table"));
            let mut pairs = Vec::new();
            for (k, x) in o {
                let at = format!("{at}.{k}");
                // An empty list would read back as one empty item (`l("")`): a group of nothing
                // is an error.
                let value = match inner {
                    Shape::Lines => {
                        lit(&joined(x).filter(|s| !s.is_empty()).unwrap_or_else(|| {
                            panic!("{file}: `{at}` must be a non-empty list of strings, not {x}")
                        }))
                    }
                    Shape::Str if owned.is_some() => lit(x
                        .as_str()
                        .unwrap_or_else(|| panic!("{file}: `{at}` must be a string, not {x}"))),
                    _ => emit(x, *inner, file, &at, owned),
                };
                pairs.push(format!("({}, {value})", lit(k)));
            }
            match (owned, inner) {
                (None, _) => slice(pairs),
                (Some(_), Shape::Lines) => helper("ml", slice(pairs)),
                (Some(_), Shape::Str) => helper("ms", slice(pairs)),
                (Some(_), Shape::F32 | Shape::F64) => helper("mn", slice(pairs)),
                (Some(_), _) => helper("m", format!("vec![{}]", pairs.join(", "))),
            }
        }
        Shape::List(inner) => {
            let a = v.as_array().unwrap_or_else(|| fail("a list"));
            let items: Vec<String> = a
                .iter()
                .enumerate()
                .map(|(i, x)| emit(x, *inner, file, &format!("{at}[{i}]"), owned))
                .collect();
            match owned {
                Some(_) => format!("vec![{}]", items.join(", ")),
                None => slice(items),
            }
        }
        Shape::Obj(name, fields) => {
            let o = v.as_object().unwrap_or_else(|| fail("a table"));
            for k in o.keys() {
                assert!(
                    fields.iter().any(|f| f.0 == k),
                    "{file}: unknown field `{k}` in `{at}`, expected one of: {}",
                    fields
                        .iter()
                        .map(|f| format!("`{}`", f.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let mut out = format!("{name} {{ ");
            for Field(key, shape, need) in fields.iter().filter(|f| f.2 != Need::Skip) {
                let at = if at.is_empty() {
                    key.to_string()
                } else {
                    format!("{at}.{key}")
                };
                let value = match (o.get(*key), need, owned) {
                    (Some(x), _, _) => emit(x, *shape, file, &at, owned),
                    (None, Need::Default, Some(_)) => "Default::default()".into(),
                    (None, Need::Default, None) => match shape {
                        Shape::Str | Shape::Lines => "\"\"".into(),
                        Shape::Bool => "false".into(),
                        Shape::F32 => "0.0".into(),
                        Shape::Obj(..) => emit(&serde_json::json!({}), *shape, file, &at, None),
                        _ => "&[]".into(),
                    },
                    (None, _, _) => panic!("{file}: missing field `{at}`"),
                };
                if *need == Need::Test {
                    out.push_str("#[cfg(test)] ");
                }
                out.push_str(&format!("{key}: {value}, "));
            }
            out.push('}');
            out
        }
    }
}

/// `value` of data file `file` as the Rust expression of `shape`, to `OUT_DIR/NAME.rs` (the
/// crate `include!`s it where it reads the file).
fn write_rust(name: &str, value: &serde_json::Value, shape: Shape, file: &str, b: &str, out: &str) {
    let dest = Path::new(out).join(format!("{name}.rs"));
    std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
        .expect("OUT_DIR is writable");
    std::fs::write(&dest, rust_expr(value, shape, file, "", b)).expect("OUT_DIR is writable");
}
