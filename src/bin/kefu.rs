//! `kefu`: the command-line shell over the core (contract §2).
//!
//! kefu check PATH…                 validate scenario files, run their sample replies
//! kefu score [--scenario F --turn T] score JSON Lines from stdin
//! kefu schema                       print the scenario JSON Schema
//! kefu bundle PATH…                the checked library as JSON, for the browser app (make dist)
//! kefu compress DIR                 write .br and .gz variants (make dist; src/compress.rs)
//! kefu serve DIR [--port N]         serve the built site (make serve; src/serve.rs)

use kefu_check::schema;
use kefu_core::principles::Lang;
use kefu_core::scenario::Severity;
use kefu_judge::score::{self, TurnRules};
use serde_json::{json, Value};
use std::io::{self, BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  kefu check PATH...                       check scenario files (or every *.toml under a folder)
  kefu score [--scenario FILE --turn ID]   score JSON Lines from stdin: {\"id\":…, \"text\":…, \"lang\":\"zh\"|\"en\"}
  kefu schema                              print the JSON Schema of the scenario format
  kefu bundle PATH...                      print the checked library as JSON for the browser app (dist/scenarios/library.json)
  kefu compress DIR                        write FILE.br and FILE.gz beside each .js .wasm .json .html .css under DIR (make dist)
  kefu serve DIR [--port N] [--bind ADDR]  serve a built site at http://127.0.0.1:8080 (make serve; --port 0 picks a free port)";

fn main() -> ExitCode {
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
        Some("serve") => kefu_dojo::serve::main(&args[1..]),
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

fn toml_files(p: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "toml") {
                toml_files(&e, out)?;
            }
        }
    } else {
        out.push(p.to_path_buf());
    }
    Ok(())
}

/// The scenario files the paths name (every `*.toml` under a folder), or the usage error
/// `kefu CMD` prints and exits 2 with.
fn scenario_paths(cmd: &str, paths: &[String]) -> Result<Vec<PathBuf>, ExitCode> {
    if paths.is_empty() {
        eprintln!("kefu {cmd}: give one or more scenario files or folders\n{USAGE}");
        return Err(ExitCode::from(2));
    }
    let mut files = Vec::new();
    for p in paths {
        let path = Path::new(p);
        if !path.exists() {
            eprintln!("kefu {cmd}: {p}: no such file or folder");
            return Err(ExitCode::from(2));
        }
        if let Err(e) = toml_files(path, &mut files) {
            eprintln!("kefu {cmd}: {p}: {e}");
            return Err(ExitCode::from(2));
        }
    }
    Ok(files)
}

fn check(paths: &[String]) -> ExitCode {
    let files = match scenario_paths("check", paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (mut errors, mut warnings, mut ok) = (0, 0, 0);
    let mut ids: std::collections::BTreeMap<String, String> = Default::default();
    for f in &files {
        let name = f.display().to_string();
        let src = match std::fs::read(f) {
            Ok(b) => match String::from_utf8(b) {
                Ok(s) => s,
                Err(_) => {
                    println!("{name}:1:1: error: the file is not UTF-8 text: save it as UTF-8");
                    errors += 1;
                    continue;
                }
            },
            Err(e) => {
                println!("{name}:1:1: error: cannot read the file: {e}");
                errors += 1;
                continue;
            }
        };
        let out = kefu_check::check_source(&name, &src);
        for d in &out.diagnostics {
            println!("{d}");
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
        }
        if let Some(s) = &out.scenario {
            if let Some(other) = ids.insert(s.id.clone(), name.clone()) {
                println!("{name}:1:1: error: scenario id `{}` is already used by {other}: give each scenario its own id", s.id);
                errors += 1;
            } else {
                ok += 1;
            }
        }
    }
    eprintln!(
        "checked {} file(s): {ok} ok, {errors} error(s), {warnings} warning(s)",
        files.len()
    );
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The library the browser app loads without a TOML parser: every file checked as `kefu check`
/// does (sample replies played); broken files are listed with their messages, and the exit
/// status says whether any was broken. File names are given without their folder, as the app
/// fetches them from `scenarios/`.
fn bundle(paths: &[String]) -> ExitCode {
    let found = match scenario_paths("bundle", paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let mut files = Vec::new();
    for f in &found {
        let name = f.file_name().map_or_else(
            || f.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        match std::fs::read_to_string(f) {
            Ok(src) => files.push((name, src)),
            Err(e) => {
                eprintln!("kefu bundle: {}: {e}", f.display());
                return ExitCode::from(2);
            }
        }
    }
    let b = kefu_check::build_bundle(&files);
    for (_, lines) in &b.broken {
        for l in lines {
            eprintln!("{l}");
        }
    }
    match serde_json::to_string(&b) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("kefu bundle: {e}");
            return ExitCode::from(2);
        }
    }
    if b.broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
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
                eprintln!("kefu score: unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let turn: Option<(kefu_core::scenario::Scenario, usize)> = match (scenario_file, turn_id) {
        (None, None) => None,
        (Some(f), Some(t)) => {
            let src = match std::fs::read_to_string(&f) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("kefu score: {f}: {e}");
                    return ExitCode::from(2);
                }
            };
            let out = kefu_check::check_source(&f, &src);
            let Some(s) = out.scenario else {
                for d in out
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    eprintln!("{d}");
                }
                return ExitCode::from(2);
            };
            let Some(i) = s.turn_index(&t) else {
                eprintln!(
                    "kefu score: {f} has no turn `{t}`; its turns are: {}",
                    s.turns
                        .iter()
                        .map(|t| t.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
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
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let Ok(line) = line else {
            let _ = writeln!(
                out,
                "{}",
                json!({"id": null, "error": "the line is not valid UTF-8"})
            );
            continue;
        };
        if line.trim().is_empty() {
            continue;
        }
        let v = score_line(&line, turn.as_ref());
        if writeln!(out, "{v}").is_err() {
            break;
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn score_line(line: &str, turn: Option<&(kefu_core::scenario::Scenario, usize)>) -> Value {
    let v: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => return json!({"id": null, "error": format!("not a JSON object: {e}")}),
    };
    let id = v.get("id").cloned().unwrap_or(Value::Null);
    let Some(text) = v.get("text").and_then(Value::as_str) else {
        return json!({"id": id, "error": "missing \"text\" (a string)"});
    };
    let lang = match v.get("lang").and_then(Value::as_str) {
        None => kefu_judge::text::detect_lang(text),
        Some("zh") => "zh",
        Some("en") => "en",
        Some(other) => {
            return json!({"id": id, "error": format!("unknown \"lang\" `{other}`: use \"zh\" or \"en\"")})
        }
    };
    let lang = if lang == "zh" { Lang::ZhHans } else { Lang::En };
    let j = match turn {
        Some((s, i)) => score::judge(text, lang, &s.rules(*i, lang, None), None, true),
        None => score::judge(text, lang, &TurnRules::default(), None, false),
    };
    let principles: serde_json::Map<String, Value> = j
        .principles
        .iter()
        .map(|(k, f)| (k.clone(), json!({"hit": f.hit, "evidence": f.evidence})))
        .collect();
    // Three decimals, printed as such (an f32 would print as 0.8840000033378601).
    let courtesy = (f64::from(j.courtesy) * 1000.0).round() / 1000.0;
    json!({"id": id, "score": j.score, "principles": principles, "courtesy": courtesy})
}
