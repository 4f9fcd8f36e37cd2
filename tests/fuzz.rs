//! The fuzz and abuse suite (#20.7), time-bounded so it runs in `make test`: mutated scenario
//! files through the checker, hostile JSON through the engine's worker exports, and the
//! app's replay through the worker's `judge` against the native one. Every case must answer (no panic) within a time bound,
//! and a checker diagnostic is always one `FILE:LINE:COL: …` line.

use kefu_core::dialogue::{Saved, SavedReply, Session};
use kefu_core::judgement::Judgement;
use kefu_core::principles::Lang;
use kefu_judge::native_judge;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The shipped scenario files: the corpus the mutations start from.
fn corpus() -> &'static Vec<(String, String)> {
    static C: OnceLock<Vec<(String, String)>> = OnceLock::new();
    C.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let n = p.file_name().unwrap().to_string_lossy().to_string();
                (n, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        v.sort();
        v
    })
}

/// Pieces a hostile or careless author might put anywhere.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "{name}",
    "{{",
    "\"",
    "'''",
    "[",
    "]]",
    "[[turns]]",
    "=",
    "\n",
    "\u{0}",
    "\u{1b}[31m",
    "\r\n",
    "#",
    "id = \"x\"",
    "next = \"t9\"",
    "weights = { apology = -1e400 }",
    "mood = 1e309",
    "跟我们没关系",
    "对不起",
    "\u{FEFF}",
    "\u{202E}",
    "a = [\"{b}\", \"{b}\"]",
    "🙂",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    Repeat(usize, usize, usize),
}

fn apply(src: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = src.chars().collect();
    for e in edits {
        let n = chars.len().max(1);
        match *e {
            Edit::Insert(at, t) => {
                let at = at % (chars.len() + 1);
                let tok: Vec<char> = TOKENS[t % TOKENS.len()].chars().collect();
                chars.splice(at..at, tok);
            }
            Edit::Delete(at, len) => {
                let at = at % n;
                let end = (at + len % 64).min(chars.len());
                if at < end {
                    chars.drain(at..end);
                }
            }
            Edit::Repeat(at, len, times) => {
                let at = at % n;
                let end = (at + 1 + len % 32).min(chars.len());
                if at < end {
                    let piece: Vec<char> = chars[at..end].to_vec();
                    for _ in 0..times % 200 {
                        chars.splice(end..end, piece.iter().copied());
                    }
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, l)| Edit::Delete(a, l)),
        (any::<usize>(), any::<usize>(), any::<usize>())
            .prop_map(|(a, l, t)| Edit::Repeat(a, l, t)),
    ]
}

/// Generous for a debug build on a shared machine; the point is "answers", not "fast".
const PER_CASE: Duration = Duration::from_secs(10);

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// A mutated scenario file: the checker answers in time, never panics, and every
    /// diagnostic is one line naming the file.
    #[test]
    fn mutated_scenario_files_are_checked_in_time(file in any::<usize>(), edits in prop::collection::vec(edit(), 1..8)) {
        let (name, src) = &corpus()[file % corpus().len()];
        let bad = apply(src, &edits);
        let t = Instant::now();
        let c = kefu_check::check_file(name, &bad, true);
        prop_assert!(t.elapsed() < PER_CASE, "{name}: {:?}", t.elapsed());
        for d in &c.diagnostics {
            prop_assert!(!d.contains('\n') && !d.contains('\r') && !d.contains('\u{1b}'), "{d:?}");
            prop_assert!(d.starts_with(name.as_str()), "{d:?}");
        }
    }

    /// Whatever the page posts to the scorer worker, it answers with JSON (an error, never a
    /// panic).
    #[test]
    fn hostile_worker_requests_answer_json(s in ".{0,300}", deep in 0usize..300) {
        for req in [s.clone(), format!("{}{s}{}", "[".repeat(deep), "]".repeat(deep)),
                    format!("{{\"scenario\": {s:?}, \"saved\": 1}}")] {
            let j = kefu_engine::judge(&req);
            prop_assert!(serde_json::from_str::<serde_json::Value>(&j).is_ok(), "{j}");
        }
    }

    /// The app's replay of a stored session (`Session::replay_needs`, each reply judged by the
    /// scorer worker's `judge` in turn) gives the judgements a native replay does (the page
    /// rebuilds the session from them without scoring).
    #[test]
    fn the_apps_replay_through_the_worker_is_the_native_one(file in any::<usize>(), seed in any::<u64>(), picks in prop::collection::vec(any::<usize>(), 1..6)) {
        let (name, src) = &corpus()[file % corpus().len()];
        let c = kefu_check::check_file(name, src, false);
        let s = c.scenario.expect("shipped scenarios check clean");
        let replies = picks.iter().map(|i| SavedReply {
            text: ["对不起让您久等了，我马上为您处理。", "这跟我们没关系", "Sorry, I'll fix it today.", "", "亲"][i % 5].to_string(),
            secs: Some((i % 90) as f64),
        }).collect();
        let saved = Saved { scenario: s.id.clone(), seed, lang: Lang::ZhHans, replies, start: None, pace: Default::default() };
        let mut got: Vec<Judgement> = Vec::new();
        while let Some(r) = Session::replay_needs(&s, &saved, &got) {
            prop_assert!(got.len() < saved.replies.len(), "asked for more judgements than replies");
            let answer = kefu_engine::judge(&serde_json::to_string(&r).unwrap());
            got.push(serde_json::from_str(&answer).expect("a judgement"));
        }
        let native = std::cell::RefCell::new(Vec::new());
        Session::replay_with(&s, &saved, &|t, l, r, x| {
            let j = native_judge(t, l, r, x);
            native.borrow_mut().push(j.score);
            j
        });
        let native = native.into_inner();
        let scores: Vec<u8> = got.iter().map(|j| j.score).collect();
        prop_assert_eq!(scores, native);
    }
}
