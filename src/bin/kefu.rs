//! `kefu`: the command-line shell over the core (contract §2).
//!
//! kefu check PATH…                 validate scenario and exam files, run their sample replies
//! kefu score [--scenario F --turn T] score JSON Lines from stdin
//! kefu schema                       print the scenario JSON Schema
//! kefu bundle [--cards] PATH…      the checked library as JSON, for the browser app (make dist)
//! kefu compress DIR                 write .br and .gz variants (make dist; src/compress.rs)
//! kefu serve DIR [--port N]         serve the built site (make serve; src/serve.rs)
//! kefu xapi [--name N --id ID] FILE  a results export as xAPI statements (docs/xapi.md)

use kefu_check::schema;
use kefu_core::i18n::{t, tf};
use kefu_core::principles::Lang;
use kefu_core::scenario::Severity;
use kefu_judge::score;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{self, BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  kefu check [--paths[=json]] [--lang L] PATH...
                                           check scenario and exam files (or every *.toml under a folder);
                                           --paths also prints each sample's path with the mood;
                                           --lang zh-Hans|zh-Hant writes the messages in Chinese (default en)
  kefu score [--scenario FILE --turn ID]   score JSON Lines from stdin: {\"id\":…, \"text\":…, \"lang\":\"zh\"|\"en\"|\"zh-Hans\"|\"zh-Hant\"|\"zh-CN\"|\"zh-TW\"}
  kefu schema                              print the JSON Schema of the scenario format
  kefu bundle [--cards] PATH...            print the checked library as JSON for the browser app (dist/scenarios/library.json;
                                           --cards: only what the library's cards show, dist/scenarios/cards.json)
  kefu bundle --each DIR PATH...           write each clean scenario as a bundle of its own, DIR/ID.json (what play fetches)
  kefu prerender CARDS HTML                the library page (CARDS: cards.json) as static HTML into HTML at <!--kefu:prerender--> (make dist)
  kefu compress DIR                        write FILE.br and FILE.gz beside each .js .wasm .json .html .css under DIR (make dist)
  kefu serve DIR [--port N] [--bind ADDR]  serve a built site at http://127.0.0.1:8080 (make serve; --port 0 picks a free port)
  kefu xapi [--name NAME] [--id EMAIL|ID] [--base IRI] FILE
                                           print a results export (JSON or xAPI) as xAPI statements for an LRS (docs/xapi.md);
                                           the actor is the trainee the file names, or --name/--id when given";

fn main() -> ExitCode {
    // A reader that stops early (`| head`) ends `kefu` as it ends any Unix tool: by SIGPIPE,
    // quietly, not with a panic ("failed printing to stdout: Broken pipe").
    #[cfg(unix)]
    // SAFETY: at the start of `main`, before any thread or output; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("check") => check(&args[1..]),
        Some("score") => score_cmd(&args[1..]),
        Some("schema") => {
            println!("{}", schema::SCHEMA.trim_end());
            ExitCode::SUCCESS
        }
        Some("bundle") => bundle(&args[1..]),
        Some("compress") => kefu_dojo::compress::main(&args[1..]),
        Some("prerender") => kefu_dojo::prerender::main(&args[1..]),
        Some("serve") => kefu_dojo::serve::main(&args[1..]),
        Some("xapi") => xapi_cmd(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Every `*.toml` under `p` (or `p` itself). A folder reached again (a symbolic link looping
/// back, or two links to one folder) is skipped with a note, never walked twice: a loop can't
/// hang the walk. `seen` holds the folders walked, across every path of one command.
fn toml_files(p: &Path, out: &mut Vec<PathBuf>, seen: &mut HashSet<PathBuf>) -> io::Result<()> {
    if p.is_dir() {
        let real = std::fs::canonicalize(p)?;
        if seen.contains(&real) {
            eprintln!(
                "kefu: {}: skipped: this folder ({}) was already searched (a symbolic link loop?)",
                one_line(&p.display().to_string()),
                one_line(&real.display().to_string())
            );
            return Ok(());
        }
        seen.insert(real);
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "toml") {
                toml_files(&e, out, seen)?;
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

/// `s` on one line: control characters (newline, carriage return, ANSI escape …) and the
/// Unicode line and direction controls written as escapes, so a name or value echoed from a
/// file can't forge or hide a diagnostic line.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Why a scenario or exam file's text was not taken.
enum Unread {
    Io(io::Error),
    TooBig,
    NotUtf8,
}

impl Unread {
    /// The diagnostic line, `FILE:1:1: error: …`, its message in `lang` as the checker's are
    /// (`kefu check --lang`; `error:` kept for tools), not yet escaped: print it through
    /// `one_line`.
    fn line(&self, name: &str, lang: Lang) -> String {
        let kb = (kefu_check::check::MAX_FILE_BYTES / 1024).to_string();
        let said = match self {
            Unread::Io(e) => tf(lang, "check.unreadable", &[("error", &e.to_string())]),
            Unread::TooBig => tf(lang, "check.file_too_big", &[("kb", &kb)]),
            Unread::NotUtf8 => t(lang, "check.not_utf8"),
        };
        format!("{name}:1:1: error: {said}")
    }
}

/// A scenario or exam file's text, read no further than the checker's size limit (a 1.5 GB
/// file is refused after 1 MB, never read whole). Every command that reads one reads it here.
fn read_limited(f: &Path) -> Result<String, Unread> {
    let limit = kefu_check::check::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::fs::File::open(f)
        .and_then(|file| file.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(Unread::Io)?;
    if bytes.len() > limit {
        return Err(Unread::TooBig);
    }
    String::from_utf8(bytes).map_err(|_| Unread::NotUtf8)
}

/// The scenario files the paths name (every `*.toml` under a folder), or the usage error
/// `kefu CMD` prints and exits 2 with.
fn scenario_paths(cmd: &str, paths: &[String]) -> Result<Vec<PathBuf>, ExitCode> {
    if paths.is_empty() {
        eprintln!("kefu {cmd}: give one or more scenario files or folders\n{USAGE}");
        return Err(ExitCode::from(2));
    }
    let (mut files, mut seen) = (Vec::new(), HashSet::new());
    for p in paths {
        let path = Path::new(p);
        if !path.exists() {
            eprintln!("kefu {cmd}: {}: no such file or folder", one_line(p));
            return Err(ExitCode::from(2));
        }
        if let Err(e) = toml_files(path, &mut files, &mut seen) {
            eprintln!("kefu {cmd}: {}: {}", one_line(p), one_line(&e.to_string()));
            return Err(ExitCode::from(2));
        }
    }
    // A file named twice (given again, or inside a folder also given) is checked once.
    let mut taken = HashSet::new();
    files.retain(|f| taken.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(files)
}

/// How `kefu check --paths` prints the samples' paths: not at all (the default), as `note:`
/// lines, or as JSON Lines (`--paths=json`, for the browser test that plays them in the app).
#[derive(Clone, Copy, PartialEq)]
enum PathsOut {
    None,
    Text,
    Json,
}

/// The `note:` or JSON line of one played sample.
fn sample_path_line(
    out: PathsOut,
    name: &str,
    s: &kefu_core::scenario::Scenario,
    x: &kefu_core::scenario::Sample,
) -> Option<String> {
    let p = x.played.as_ref()?;
    match out {
        PathsOut::None => None,
        PathsOut::Text => {
            let mut path: Vec<String> = Vec::new();
            for st in &p.steps {
                path.push(match &st.reply {
                    Some(_) => format!("{} (mood {})", st.turn, st.mood),
                    None => format!(
                        "{} (mood {}, no sample: branch {})",
                        st.turn,
                        st.mood,
                        st.branch.map_or(0, |k| k + 1)
                    ),
                });
                for id in &st.passed {
                    path.push(format!("{id} (answered before it was asked)"));
                }
            }
            path.push(format!("{} (mood {})", p.at, p.mood));
            Some(format!(
                "{name}:{}:{}: note: sample played ({}, seed {}): {}",
                x.line,
                x.col,
                p.lang.code(),
                p.seed,
                path.join(" → ")
            ))
        }
        PathsOut::Json => Some(
            json!({
                "file": name,
                "scenario": s.id,
                "line": x.line,
                "col": x.col,
                "label": x.label,
                "expect": s.target_name(x.expect),
                "seed": p.seed,
                "lang": p.lang.code(),
                "steps": p.steps.iter().map(|st| json!({
                    "turn": st.turn,
                    "customer": st.customer,
                    "mood": st.mood,
                    "reply": st.reply,
                    "branch": st.branch,
                    "passed": st.passed,
                })).collect::<Vec<_>>(),
                "at": p.at,
                "said": p.line,
                "mood": p.mood,
            })
            .to_string(),
        ),
    }
}

fn check(args: &[String]) -> ExitCode {
    let mut out_paths = PathsOut::None;
    let mut paths = Vec::new();
    let mut lang = Lang::En;
    let mut args = args.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--paths" | "--paths=text" => out_paths = PathsOut::Text,
            "--paths=json" => out_paths = PathsOut::Json,
            "--lang" => match args.next().map(|l| (l, Lang::parse(l))) {
                Some((_, Some(l))) => lang = l,
                got => {
                    eprintln!(
                        "kefu check: --lang takes a language: write `--lang zh-Hans`, `--lang zh-Hant` or `--lang en`{}\n{USAGE}",
                        got.map(|(l, _)| format!(" (not `{}`)", one_line(l))).unwrap_or_default()
                    );
                    return ExitCode::from(2);
                }
            },
            o if o.starts_with("--") => {
                eprintln!(
                    "kefu check: unknown option `{}`: write `--paths`, `--paths=json` or `--lang L`\n{USAGE}",
                    one_line(o)
                );
                return ExitCode::from(2);
            }
            p => paths.push(p.to_string()),
        }
    }
    let files = match scenario_paths("check", &paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (mut errors, mut warnings, mut ok) = (0, 0, 0);
    let mut count = |diags: &[kefu_core::scenario::Diagnostic]| {
        for d in diags {
            println!("{}", one_line(&d.to_string()));
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
    };
    // Each clean scenario's file(s) by id: `(name, src)`; one id of several files is decided
    // after every file is read (which file keeps it does not depend on the names' order).
    let mut ids: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    let mut known: Vec<(String, kefu_core::judgement::ScenarioKind)> = Vec::new();
    // Exam files are checked last, against the scenarios of this run.
    let mut exams: Vec<(&PathBuf, String, String)> = Vec::new();
    let mut dup = Vec::new();
    for f in &files {
        let name = f.display().to_string();
        let src = match read_limited(f) {
            Ok(s) => s,
            Err(u) => {
                println!("{}", one_line(&u.line(&name, lang)));
                dup.push(());
                continue;
            }
        };
        if kefu_check::exam::is_exam(&src) {
            exams.push((f, name, src));
            continue;
        }
        let out = kefu_check::check_source_in(&name, &src, true, lang);
        count(&out.diagnostics);
        if let Some(s) = &out.value {
            for x in &s.samples {
                if let Some(line) = sample_path_line(out_paths, &name, s, x) {
                    println!("{}", one_line(&line));
                }
            }
            let files = ids.entry(s.id.clone()).or_default();
            if files.is_empty() {
                known.push((s.id.clone(), s.kind));
                ok += 1;
            }
            files.push((name, src));
        }
    }
    // A scenario id of several files: the file named after it keeps it (`ID.toml`: the others
    // are copies renamed on one side only), else the first; each other is an error at its id.
    for (id, files) in &ids {
        let keeper = files
            .iter()
            .position(|(n, _)| Path::new(n).file_stem().is_some_and(|s| s == id.as_str()))
            .unwrap_or(0);
        for (_, (name, src)) in files.iter().enumerate().filter(|(i, _)| *i != keeper) {
            let (l, c) = kefu_core::view::id_position(src);
            let keeper = &files[keeper].0;
            let said = tf(lang, "check.id_taken", &[("id", id), ("other", keeper)]);
            let line = format!("{name}:{l}:{c}: error: {said}");
            println!("{}", one_line(&line));
            dup.push(());
        }
    }
    let mut exam_ids: std::collections::BTreeMap<String, String> = Default::default();
    for (f, name, src) in &exams {
        // Checked alone, an exam is checked against the scenarios beside its folder.
        let library = if known.is_empty() {
            sibling_scenarios(f)
        } else {
            Some(known.clone())
        };
        let out = kefu_check::exam::check_exam_in(name, src, library.as_deref(), lang);
        count(&out.diagnostics);
        if let Some(e) = &out.value {
            if let Some(other) = exam_ids.insert(e.id.clone(), name.clone()) {
                let said = tf(
                    lang,
                    "check.exam_id_taken",
                    &[("id", &e.id), ("other", &other)],
                );
                let line = format!("{name}:1:1: error: {said}");
                println!("{}", one_line(&line));
                dup.push(());
            } else {
                ok += 1;
            }
        }
    }
    errors += dup.len();
    eprintln!(
        "{}",
        tf(
            lang,
            "check.summary",
            &[
                ("n", &files.len().to_string()),
                ("ok", &ok.to_string()),
                ("errors", &errors.to_string()),
                ("warnings", &warnings.to_string()),
            ]
        )
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The scenarios in `scenarios/` beside an exam's folder (`exams/x.toml` → `scenarios/`),
/// checked without their samples, as `(id, kind)`; `None` when there is no such folder.
fn sibling_scenarios(exam: &Path) -> Option<Vec<(String, kefu_core::judgement::ScenarioKind)>> {
    let dir = exam
        .parent()?
        .parent()
        .unwrap_or(Path::new("."))
        .join("scenarios");
    let dir = if exam.parent()?.as_os_str().is_empty() {
        Path::new("..").join("scenarios")
    } else {
        dir
    };
    let mut files = Vec::new();
    toml_files(&dir, &mut files, &mut HashSet::new()).ok()?;
    let found: Vec<_> = files
        .iter()
        .filter_map(|f| read_limited(f).ok())
        .filter(|src| !kefu_check::exam::is_exam(src))
        .filter_map(|src| kefu_check::check_source_with("", &src, false).value)
        .map(|s| (s.id, s.kind))
        .collect();
    (!found.is_empty()).then_some(found)
}

/// The library the browser app loads without a TOML parser: every file checked as `kefu check`
/// does (sample replies played); broken files are listed with their messages, and the exit
/// status says whether any was broken. File names are given without their folder, as the app
/// fetches them from `scenarios/`. With `--cards`, only the library's cards (`view::Cards`: what
/// a card shows and filters by, no exams, no dialogue): the first screen loads that; play
/// fetches a scenario's own (`--each`), the exam and the history the whole bundle.
///
/// With `--each DIR`, nothing is printed: each scenario that checked clean is written as
/// `DIR/ID.json`, a bundle of that scenario alone (no exams, no broken files), which play fetches
/// instead of the whole library (the checker refuses an id that is not a plain file name,
/// `view::is_file_id`; one that were not would be left out, and the app fetch the whole library
/// for it).
fn bundle(args: &[String]) -> ExitCode {
    let cards = args.iter().any(|a| a == "--cards");
    let mut each: Option<PathBuf> = None;
    let mut paths: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--cards" => {}
            "--each" => match it.next() {
                Some(dir) => each = Some(PathBuf::from(dir)),
                None => {
                    eprintln!("kefu bundle: --each needs a folder to write into (kefu bundle --each dist/scenarios/one scenarios)");
                    return ExitCode::from(2);
                }
            },
            _ => paths.push(a.clone()),
        }
    }
    if cards && each.is_some() {
        eprintln!("kefu bundle: --cards prints the cards, --each writes each scenario: run them one at a time");
        return ExitCode::from(2);
    }
    let found = match scenario_paths("bundle", &paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (mut files, mut unread) = (Vec::new(), Vec::new());
    for f in &found {
        let name = f.file_name().map_or_else(
            || f.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match read_limited(f) {
            Ok(src) => files.push((name, src)),
            Err(Unread::Io(e)) => {
                eprintln!(
                    "kefu bundle: {}: {}",
                    one_line(&f.display().to_string()),
                    one_line(&e.to_string())
                );
                return ExitCode::from(2);
            }
            // Too big or not text: listed as broken, like a file with errors.
            Err(u) => {
                let line = u.line(&name, Lang::En);
                unread.push((name, vec![line]));
            }
        }
    }
    let mut b = kefu_check::build_bundle(&files);
    for (name, lines) in unread {
        b.files.push(name.clone());
        b.broken.push((name, lines));
    }
    for (_, lines) in b.broken.iter().chain(&b.broken_exams) {
        for l in lines {
            eprintln!("{}", one_line(l));
        }
    }
    if let Some(dir) = each {
        if let Err(e) = write_each(&b, &dir) {
            eprintln!(
                "kefu bundle: {}: {}",
                one_line(&dir.display().to_string()),
                one_line(&e)
            );
            return ExitCode::from(2);
        }
    } else {
        let json = if cards {
            serde_json::to_string(&kefu_core::view::Cards::of(&b))
        } else {
            serde_json::to_string(&b)
        };
        match json {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("kefu bundle: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if b.broken.is_empty() && b.broken_exams.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `kefu bundle --each DIR`: each clean scenario of `b` as `DIR/ID.json`, a bundle of its own
/// (no files listed: the app reads no index against it).
fn write_each(b: &kefu_core::view::Bundle, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for s in &b.scenarios {
        if !kefu_core::view::is_file_id(&s.id) {
            continue;
        }
        let one = kefu_core::view::Bundle {
            version: b.version,
            scenarios: vec![s.clone()],
            ..kefu_core::view::Bundle::default()
        };
        let json = serde_json::to_string(&one).map_err(|e| e.to_string())?;
        std::fs::write(dir.join(format!("{}.json", s.id)), json + "\n")
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn score_cmd(args: &[String]) -> ExitCode {
    let mut scenario_file = None;
    let mut turn_id = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--scenario" => scenario_file = it.next().cloned(),
            "--turn" => turn_id = it.next().cloned(),
            other => {
                eprintln!(
                    "kefu score: unknown argument `{}`\n{USAGE}",
                    one_line(other)
                );
                return ExitCode::from(2);
            }
        }
    }
    let turn: Option<(kefu_core::scenario::Scenario, usize)> = match (scenario_file, turn_id) {
        (None, None) => None,
        (Some(f), Some(t)) => {
            let src = match read_limited(Path::new(&f)) {
                Ok(s) => s,
                Err(u) => {
                    eprintln!("{}", one_line(&u.line(&f, Lang::En)));
                    return ExitCode::from(2);
                }
            };
            let out = kefu_check::check_source(&f, &src);
            let Some(s) = out.value else {
                for d in out
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    eprintln!("{}", one_line(&d.to_string()));
                }
                return ExitCode::from(2);
            };
            let Some(i) = s.turn_index(&t) else {
                let turns: Vec<&str> = s.turns.iter().map(|t| t.id.as_str()).collect();
                eprintln!(
                    "kefu score: {} has no turn `{}`; its turns are: {}",
                    one_line(&f),
                    one_line(&t),
                    one_line(&turns.join(", "))
                );
                return ExitCode::from(2);
            };
            Some((s, i))
        }
        _ => {
            eprintln!("kefu score: --scenario and --turn go together\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut input = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    let mut buf = Vec::new();
    for n in 0.. {
        let v = match read_line(&mut input, &mut buf) {
            Ok(None) => break,
            Ok(Some(Input::Line)) => match std::str::from_utf8(skip_bom(n, &buf)) {
                Ok(line) => score_line(line, turn.as_ref()),
                Err(_) => error_line(
                    recover_id(skip_bom(n, &buf)).as_deref(),
                    "the line is not valid UTF-8 text: save the input as UTF-8",
                ),
            },
            Ok(Some(Input::TooLong)) => error_line(
                recover_id(skip_bom(n, &buf)).as_deref(),
                &format!(
                    "the line is over {} MB, the most one input line may be: send a shorter text",
                    MAX_LINE_BYTES >> 20
                ),
            ),
            // Not a line problem (stdin a folder, a broken device): reading again would fail
            // again, so stop rather than loop.
            Err(e) => {
                let _ = out.flush();
                eprintln!(
                    "kefu score: cannot read the input: {}",
                    one_line(&e.to_string())
                );
                return ExitCode::FAILURE;
            }
        };
        if writeln!(out, "{v}").is_err() {
            break;
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

/// Line `n` without the byte order mark (a file saved by a Windows editor) before the first.
fn skip_bom(n: usize, line: &[u8]) -> &[u8] {
    match line.strip_prefix(b"\xef\xbb\xbf") {
        Some(rest) if n == 0 => rest,
        _ => line,
    }
}

/// The longest input line `kefu score` takes; a longer one gets an error line (its id echoed
/// when it comes before the cut) and is skipped to its end, never held whole in memory.
const MAX_LINE_BYTES: usize = 16 << 20;

/// What `read_line` found.
enum Input {
    /// A line, in the buffer without its `\n` or `\r\n`.
    Line,
    /// A line over `MAX_LINE_BYTES`: its first bytes are in the buffer, the rest was skipped.
    TooLong,
}

/// The next input line into `buf`, read no further than `MAX_LINE_BYTES`; `None` at the end.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<Option<Input>> {
    buf.clear();
    let n = input
        .by_ref()
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Some(Input::Line));
    }
    if buf.len() <= MAX_LINE_BYTES {
        return Ok(Some(Input::Line)); // the last line, without a newline
    }
    // Skip the rest of the long line.
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                break;
            }
            None => {
                let k = chunk.len();
                input.consume(k);
            }
        }
    }
    Ok(Some(Input::TooLong))
}

/// One input line of `kefu score`: the id kept as written, `text` and `lang` as any JSON (so
/// that a wrong type gets its own message).
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(default, deserialize_with = "present")]
    text: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    lang: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    context: Option<Value>,
}

/// A field that is there, `null` included (`Option`'s own rule reads `null` as absent).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    id: &'a RawValue,
    error: &'a str,
}

#[derive(Serialize)]
struct ScoreLine<'a> {
    id: &'a RawValue,
    score: u8,
    principles: serde_json::Map<String, Value>,
    courtesy: f64,
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".into()).expect("null is JSON")
}

/// `{"id": …, "error": …}`, the id as written (or `null`).
fn error_line(id: Option<&RawValue>, error: &str) -> String {
    let null = null();
    let line = ErrorLine {
        id: id.unwrap_or(&null),
        error,
    };
    serde_json::to_string(&line).unwrap_or_else(|_| r#"{"id":null,"error":"internal"}"#.into())
}

/// The raw text of the top-level `"id"` member of a JSON object line, found without parsing
/// the rest (which may be JSON this tool can't take: a lone surrogate, nesting deeper than 128,
/// `1e400`), when it is itself JSON that can be echoed.
fn recover_id(line: &[u8]) -> Option<Box<RawValue>> {
    let b = line;
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    // The end of the string starting at `i` (a `"`), past its closing quote.
    let string_end = |mut i: usize| -> Option<usize> {
        i += 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    };
    skip_ws(&mut i);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        skip_ws(&mut i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(i)?;
        let key: String = serde_json::from_slice(&line[i..key_end]).ok()?;
        i = key_end;
        skip_ws(&mut i);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        skip_ws(&mut i);
        let start = i;
        let mut depth = 0usize;
        while i < b.len() {
            match b[i] {
                b'"' => {
                    i = string_end(i)?;
                    continue;
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' if depth > 0 => depth -= 1,
                b',' | b'}' if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        if key == "id" {
            let raw = std::str::from_utf8(&line[start..i]).ok()?.trim_end();
            return RawValue::from_string(raw.to_string()).ok();
        }
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
    }
}

/// The reply languages `kefu score` takes (contract §2), any case.
fn parse_lang(tag: &str) -> Option<Lang> {
    match tag.to_ascii_lowercase().as_str() {
        "zh" | "zh-hans" | "zh-cn" => Some(Lang::ZhHans),
        "zh-hant" | "zh-tw" => Some(Lang::ZhHant),
        "en" => Some(Lang::En),
        _ => None,
    }
}

const LANGS: &str = r#""zh", "en", "zh-Hans", "zh-Hant", "zh-CN" or "zh-TW""#;

fn score_line(line: &str, turn: Option<&(kefu_core::scenario::Scenario, usize)>) -> String {
    if line.trim().is_empty() {
        return error_line(
            None,
            r#"a blank line: write one JSON object per line, {"id": …, "text": "…"}"#,
        );
    }
    if !line.trim_start().starts_with('{') {
        return error_line(
            None,
            r#"not a JSON object: write one object per line, {"id": …, "text": "…"}"#,
        );
    }
    let v: Line = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            // Not JSON, or JSON this tool can't take (a lone surrogate, nesting deeper than
            // 128, 1e400): the id is still echoed when it can be found.
            let msg = format!("cannot read this line as a JSON object: {e}");
            return error_line(recover_id(line.as_bytes()).as_deref(), &msg);
        }
    };
    let id = v.id;
    let text = match &v.text {
        Some(Value::String(t)) => t.as_str(),
        Some(other) => {
            let msg = format!(r#""text" must be a string, not {}"#, kind(other));
            return error_line(id, &msg);
        }
        None => return error_line(id, r#"missing "text" (a string)"#),
    };
    let lang = match &v.lang {
        None => {
            if kefu_judge::text::detect_lang(text) == "zh" {
                Lang::ZhHans
            } else {
                Lang::En
            }
        }
        Some(Value::String(tag)) => match parse_lang(tag) {
            Some(l) => l,
            None => {
                let msg = format!(
                    r#"unknown "lang" `{}`: use {LANGS}, or leave it out to detect the language"#,
                    tag.escape_default()
                );
                return error_line(id, &msg);
            }
        },
        Some(other) => {
            let msg = format!(
                r#""lang" must be a string ({LANGS}), not {}; leave it out to detect the language"#,
                kind(other)
            );
            return error_line(id, &msg);
        }
    };
    let j = match turn {
        Some((s, i)) => {
            let said = first_line(s, *i, lang);
            score::judge(text, lang, &s.rules(*i, lang, said.as_deref()), None)
        }
        None => match &v.context {
            None | Some(Value::Null) => score::score(text, lang),
            Some(Value::String(said)) => score::score_reply_to(text, lang, said),
            Some(other) => {
                let msg = format!(
                    r#""context" (what the customer said, that the reply answers) must be a string, not {}"#,
                    kind(other)
                );
                return error_line(id, &msg);
            }
        },
    };
    let principles: serde_json::Map<String, Value> = j
        .principles
        .iter()
        .map(|(k, f)| (k.clone(), json!({"hit": f.hit, "evidence": f.evidence})))
        .collect();
    // Three decimals, printed as such (an f32 would print as 0.8840000033378601).
    let courtesy = (f64::from(j.courtesy) * 1000.0).round() / 1000.0;
    let null = null();
    let out = ScoreLine {
        id: id.unwrap_or(&null),
        score: j.score,
        principles,
        courtesy,
    };
    serde_json::to_string(&out).unwrap_or_else(|e| error_line(id, &e.to_string()))
}

/// What the customer says at turn `i` in `lang` when the app reaches it by its plain line:
/// the turn's first `say`, its placeholders filled as a session fills them (`{name}` and
/// `{product}` in `lang`, any other with its first choice). The judge reads the question from
/// it (a yes/no answered by the asked verb said again, a restatement, the customer's own
/// words that are not jargon), as it does in the app.
fn first_line(s: &kefu_core::scenario::Scenario, i: usize, lang: Lang) -> Option<String> {
    let mut line = s.turns.get(i)?.say.first()?.get(lang).to_string();
    let product = s
        .product
        .as_deref()
        .and_then(|p| kefu_core::scenario::product_name(p, lang));
    let fills = s
        .placeholders
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.first()?.as_str())))
        .chain([("name", s.customer_name.get(lang))])
        .chain(product.map(|p| ("product", p)));
    for (k, v) in fills {
        line = line.replace(&format!("{{{k}}}"), v);
    }
    Some(line)
}

/// A JSON value's kind, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `kefu xapi`: an exported results file (the app's JSON or xAPI export) as the statements the
/// app sends to an LRS, as the trainee the file names, or `--name` (`--id`: an email or
/// employee id) when given.
fn xapi_cmd(args: &[String]) -> ExitCode {
    use kefu_core::xapi::{Base, Identity};
    let (mut name, mut id, mut base, mut file) = (None, String::new(), None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--name" => name = it.next().cloned(),
            "--id" => id = it.next().cloned().unwrap_or_default(),
            "--base" => base = it.next().cloned(),
            f if !f.starts_with("--") && file.is_none() => file = Some(f.to_string()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let base = match Base::new(
        base.as_deref()
            .unwrap_or("https://kefu-dojo.example/kefu-dojo"),
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kefu: --base: {e}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kefu: {}: {e}", one_line(&file));
            return ExitCode::from(1);
        }
    };
    let store = match kefu_core::progress::Store::import(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("kefu: {}: {e}", one_line(&file));
            return ExitCode::from(1);
        }
    };
    // The trainee: as given (--name, --id), else the one the file names (a JSON export's
    // `trainee`, an xAPI export's actor), so each trainee's file stays their own row.
    let given = name.is_some() || !id.is_empty();
    // A file of several trainees' statements (an LRS's, a cohort's) is not one trainee's export.
    let actors = trainees_in(&text);
    if !given && actors > 1 {
        eprintln!(
            "kefu: {}: the statements of {actors} trainees: load it in the dashboard (#/team) as it is, or give --name/--id to make them one trainee's",
            one_line(&file)
        );
        return ExitCode::from(1);
    }
    let (name, id) = if given {
        (name.unwrap_or_else(|| "Kefu Dojo trainee".into()), id)
    } else {
        named_in(&text).unwrap_or_else(|| ("Kefu Dojo trainee".into(), String::new()))
    };
    let who = match Identity::new(&name, &id) {
        Ok(w) => w,
        Err(e) => {
            let whose = if given {
                "--name/--id".to_string()
            } else {
                format!("{}: the trainee it names", one_line(&file))
            };
            eprintln!("kefu: {whose}: {}", kefu_core::i18n::t(Lang::En, e.key()));
            return ExitCode::from(if given { 2 } else { 1 });
        }
    };
    let v = store.to_xapi_as(&who.actor(&base), &base);
    println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    ExitCode::SUCCESS
}

/// How many trainees (`xapi::actor_key`) an xAPI file's statements are of (0: not one).
fn trainees_in(text: &str) -> usize {
    let Ok(serde_json::Value::Array(all)) = serde_json::from_str::<serde_json::Value>(text) else {
        return 0;
    };
    let mut keys: Vec<String> = all
        .iter()
        .filter(|s| s.get("actor").is_some())
        .map(|s| kefu_core::xapi::actor_key(&s["actor"]))
        .collect();
    keys.sort();
    keys.dedup();
    keys.len()
}

/// The trainee an exported file names: a JSON export's `trainee` (`Store::trainee_of`), or the
/// actor of an xAPI export's first statement (its name, and its email or account name).
fn named_in(text: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    if let Some(t) = kefu_core::progress::Store::trainee_of(&v) {
        return Some(t);
    }
    let actor = &v.as_array()?.first()?["actor"];
    let name = actor["name"]
        .as_str()
        .map(str::trim)
        .filter(|n| !n.is_empty())?;
    let id = actor["mbox"]
        .as_str()
        .and_then(|m| m.strip_prefix("mailto:"))
        .or_else(|| actor["account"]["name"].as_str())
        .unwrap_or_default();
    Some((name.to_string(), id.to_string()))
}
