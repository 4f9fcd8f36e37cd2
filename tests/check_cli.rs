//! `kefu check` speaks its contract (§2) whatever the files hold: one line per problem, with
//! control characters in echoed names and values escaped; folders with symbolic link loops
//! walked once; the size limit applied while reading.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-check-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `kefu check ARGS`, killed (and the test failed) if it runs past `limit`.
fn check_within(args: &[&Path], limit: Duration) -> Output {
    let args: Vec<&OsStr> = args.iter().map(|p| p.as_os_str()).collect();
    kefu_within("check", &args, limit)
}

/// `kefu CMD ARGS`, killed (and the test failed) if it runs past `limit`.
fn kefu_within(cmd: &str, args: &[&OsStr], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg(cmd)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    let t = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if t.elapsed() > limit {
            let _ = child.kill();
            panic!("kefu check {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

const MINI: &str = include_str!("data/mini.toml");

#[test]
fn control_characters_in_echoed_values_are_escaped_one_line_per_problem() {
    let dir = temp_dir("ctl");
    // A branch to a turn whose name holds a newline, a forged diagnostic and an ANSI escape.
    let evil = r#"nowhere\nfake.toml:1:1: error: forged\u001b[31m"#;
    let src = MINI.replacen(r#"goto = "angrier""#, &format!(r#"goto = "{evil}""#), 1);
    assert_ne!(src, MINI);
    let file = dir.join("evil.toml");
    std::fs::write(&file, &src).unwrap();
    let out = check_within(&[&file], Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "raw escape printed: {stdout:?}");
    let problems: Vec<&str> = stdout.lines().collect();
    assert!(!problems.is_empty());
    for line in &problems {
        assert!(
            line.starts_with(&format!("{}:", file.display())),
            "a line that is not one of this file's problems: {line:?}"
        );
    }
    assert!(
        problems
            .iter()
            .any(|l| l.contains(r"nowhere\nfake.toml:1:1: error: forged\u{1b}[31m")),
        "{stdout}"
    );
    // A file name with a newline is escaped too.
    let odd = dir.join("odd\nname.toml");
    std::fs::write(&odd, "id = ").unwrap();
    let out = check_within(&[&odd], Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert!(stdout.contains(r"odd\nname.toml"), "{stdout:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_in_folders_are_walked_once() {
    let dir = temp_dir("loop");
    std::fs::create_dir_all(dir.join("a/b")).unwrap();
    std::fs::write(dir.join("a/b/mini.toml"), MINI).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("a/b/up")).unwrap();
    std::os::unix::fs::symlink("../..", dir.join("a/b/c")).unwrap();
    std::os::unix::fs::symlink("self", dir.join("a/self")).unwrap();
    let out = check_within(&[&dir], Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checked 1 file(s)"), "{stderr}");
    assert!(stderr.contains("already searched"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A FIFO in `dir` that a writer feeds 64 MB of `#` into; the writer's thread returns how many
/// bytes went in before the reader closed it. `None` where FIFOs can't be made.
#[cfg(unix)]
fn endless_file(dir: &Path) -> Option<(PathBuf, std::thread::JoinHandle<usize>)> {
    use std::io::Write;
    let fifo = dir.join("endless.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo unavailable: skipped");
        return None;
    }
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        let mut f = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        let chunk = vec![b'#'; 64 * 1024];
        let mut written = 0usize;
        while written < 64 << 20 {
            match f.write(&chunk) {
                Ok(n) => written += n,
                Err(_) => break,
            }
        }
        written
    });
    Some((fifo, writer))
}

/// A file over the limit is refused after reading just past the limit: a writer feeding 64 MB
/// through a FIFO is cut off near 1 MB (the old checker read it all, then refused it).
#[cfg(unix)]
#[test]
fn the_size_limit_applies_while_reading() {
    let dir = temp_dir("fifo");
    let Some((fifo, writer)) = endless_file(&dir) else {
        return;
    };
    let out = check_within(&[&fifo], Duration::from_secs(60));
    let written = writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(
        stdout.contains(":1:1: error: the file is over 1024 KB"),
        "{stdout}"
    );
    assert!(written < 8 << 20, "the checker read {written} bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kefu bundle` and `kefu score --scenario` read a scenario file within the same limit: the
/// file is refused (listed as broken by the bundle, a usage error for score), never read whole.
#[cfg(unix)]
#[test]
fn bundle_and_score_read_within_the_size_limit_too() {
    let dir = temp_dir("fifo-bundle");
    std::fs::write(dir.join("mini.toml"), MINI).unwrap();
    let Some((fifo, writer)) = endless_file(&dir) else {
        return;
    };
    let out = kefu_within("bundle", &[dir.as_os_str()], Duration::from_secs(60));
    let written = writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("endless.toml:1:1: error: the file is over 1024 KB"),
        "{stderr}"
    );
    assert!(written < 8 << 20, "kefu bundle read {written} bytes");
    let b: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the bundle is JSON");
    assert_eq!(b["scenarios"].as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(b["broken"][0][0], "endless.toml", "{b}");
    std::fs::remove_file(&fifo).unwrap();

    let Some((fifo, writer)) = endless_file(&dir) else {
        return;
    };
    let args = [
        OsStr::new("--scenario"),
        fifo.as_os_str(),
        OsStr::new("--turn"),
        OsStr::new("open"),
    ];
    let out = kefu_within("score", &args, Duration::from_secs(60));
    let written = writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("the file is over 1024 KB"), "{stderr}");
    assert!(written < 8 << 20, "kefu score read {written} bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

/// What `kefu bundle` and `kefu check` print on stderr is escaped too: a forged line in a
/// file's value or in a path stays inside its own line.
#[test]
fn stderr_lines_are_escaped_too() {
    let dir = temp_dir("ctl-stderr");
    let evil = r#"nowhere\nfake.toml:1:1: error: forged\u001b[31m"#;
    let src = MINI.replacen(r#"goto = "angrier""#, &format!(r#"goto = "{evil}""#), 1);
    std::fs::write(dir.join("evil.toml"), &src).unwrap();
    let out = kefu_within("bundle", &[dir.as_os_str()], Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(!stderr.is_empty());
    for line in stderr.lines() {
        assert!(line.starts_with("evil.toml:"), "{line:?}");
    }
    let missing = dir.join("no\nfake.toml:1:1: error: such");
    let out = check_within(&[&missing], Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.contains(r"no\nfake.toml"), "{stderr:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file named twice (again, or inside a folder also named) is checked once: not a clash of
/// its id with itself.
#[test]
fn a_file_named_twice_is_checked_once() {
    let dir = temp_dir("twice");
    let file = dir.join("mini.toml");
    std::fs::write(&file, MINI).unwrap();
    let out = check_within(&[&file, &dir, &file], Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("checked 1 file(s): 1 ok"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `kefu check --paths` adds one `note:` line per sample with the mood along its path, and
/// `--paths=json` one JSON object per sample with the replies typed at each step; without the
/// option the output is the contract's (problems only); an unknown option is a usage error.
#[test]
fn paths_print_each_samples_path_with_the_mood() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("scenarios/angry-third-complaint.toml");
    let run = |opt: Option<&str>| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kefu"));
        c.arg("check");
        if let Some(o) = opt {
            c.arg(o);
        }
        c.arg(&file).output().expect("kefu runs")
    };
    let plain = run(None);
    assert!(plain.status.success());
    assert_eq!(
        String::from_utf8_lossy(&plain.stdout),
        "",
        "no problems, no lines"
    );
    let text = run(Some("--paths"));
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let src = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), src.matches("[[sample]]").count());
    assert!(
        text.lines().any(|l| l.contains(": note: sample played (zh-Hans, seed 1): open (mood 15) → angrier (mood 5) → owner (mood 15) → owner (mood 5)")),
        "{text}"
    );
    let json = run(Some("--paths=json"));
    let json = String::from_utf8(json.stdout).unwrap();
    let v: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), src.matches("[[sample]]").count());
    for p in &v {
        assert_eq!(p["scenario"], "angry-third-complaint");
        assert_eq!(p["seed"], 1);
        let steps = p["steps"].as_array().unwrap();
        assert!(!steps.is_empty());
        assert!(
            steps.iter().all(|s| s["reply"].is_string()),
            "every step has a reply: {p}"
        );
        assert!(p["mood"].is_i64() && p["said"].is_string());
    }
    let bad = run(Some("--pathz"));
    assert_eq!(bad.status.code(), Some(2));
}

/// Two files of one id in a folder: the copy is the error (not the file named after the id,
/// whatever the names' order), at its `id` line where the trainer changes it, not at 1:1.
#[test]
fn a_duplicated_id_is_reported_at_the_second_files_id_line() {
    let dir = temp_dir("twins");
    let shipped = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/angry-late-delivery.toml"),
    )
    .unwrap();
    let twin = shipped.replacen("id = \"angry-late-delivery\"", "id = \"twin\"", 1);
    assert_ne!(twin, shipped);
    std::fs::write(dir.join("twin.toml"), &twin).unwrap();
    std::fs::write(dir.join("twin-copy.toml"), &twin).unwrap();
    let out = check_within(&[&dir], Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = twin.lines().position(|l| l.starts_with("id = ")).unwrap() + 1;
    let want = format!("twin-copy.toml:{line}:6: error: scenario id `twin` is already used by ");
    assert!(stdout.lines().any(|l| l.contains(&want)), "{stdout}");
    assert!(stdout.contains("already used by ") && stdout.trim_end().ends_with("twin.toml: give each scenario its own id (a copy keeps its original's id until you change it)"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn lang_writes_the_messages_in_chinese_and_keeps_the_line_format() {
    let dir = temp_dir("lang");
    let src = MINI.replacen(r#"goto = "angrier""#, r#"goto = "angrer""#, 1);
    assert_ne!(src, MINI);
    let file = dir.join("mini.toml");
    std::fs::write(&file, &src).unwrap();
    let run = |args: &[&OsStr]| kefu_within("check", args, Duration::from_secs(60));
    let en = run(&[file.as_os_str()]);
    let zh = run(&[
        OsStr::new("--lang"),
        OsStr::new("zh-Hans"),
        file.as_os_str(),
    ]);
    let (en, zh) = (
        String::from_utf8_lossy(&en.stdout).into_owned(),
        String::from_utf8_lossy(&zh.stdout).into_owned(),
    );
    assert!(en.contains("did you mean `angrier`?"), "{en}");
    // The same problems at the same places, `FILE:LINE:COLUMN: error:` as tools read it, the
    // words in Chinese with the TOML to write quoted as it is.
    let head = |l: &str| l.splitn(5, ':').take(4).collect::<Vec<_>>().join(":");
    assert_eq!(
        en.lines().map(head).collect::<Vec<_>>(),
        zh.lines().map(head).collect::<Vec<_>>()
    );
    let line = zh.lines().find(|l| l.contains("`angrer`")).expect(&zh);
    assert!(
        line.contains(": error: ") && line.contains("`angrier`"),
        "{line}"
    );
    assert!(
        line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{line}"
    );
    // The lines the CLI writes itself are in Chinese too: a file that is not UTF-8 (GBK, as
    // a Chinese Notepad saves it), a scenario id two files use.
    let gbk = dir.join("gbk.toml");
    std::fs::write(&gbk, b"id = \"x\"\n\xc4\xe3\xba\xc3 = 1\n").unwrap();
    std::fs::write(dir.join("mini-copy.toml"), MINI).unwrap();
    std::fs::write(&file, MINI).unwrap();
    let zh = run(&[OsStr::new("--lang"), OsStr::new("zh-Hans"), dir.as_os_str()]);
    // The count at the end is in that language too.
    let summary = String::from_utf8_lossy(&zh.stderr).into_owned();
    assert!(summary.contains("检查了 3 个文件"), "{summary}");
    let zh = String::from_utf8_lossy(&zh.stdout).into_owned();
    let said = |file: &str, words: &str| {
        zh.lines()
            .any(|l| l.contains(file) && l.contains(": error: ") && l.contains(words))
    };
    assert!(said("gbk.toml:1:1", "不是 UTF-8 文本"), "{zh}");
    assert!(said("mini-copy.toml", "已被"), "{zh}");
    // A language it does not know is a usage error.
    let bad = run(&[OsStr::new("--lang"), OsStr::new("fr"), file.as_os_str()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--lang zh-Hans"));
}

/// A sample whose reply answers the next turn's question before it is asked: its path names
/// the turn passed over, in the text and in the JSON (`passed`).
#[test]
fn paths_name_a_turn_passed_over() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = root.join("scenarios/angry-damaged-goods.toml");
    let run = |opt: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_kefu"))
            .args(["check", opt])
            .arg(&file)
            .output()
            .expect("kefu runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("--paths");
    assert!(
        text.lines().any(|l| l.ends_with("(zh-Hans, seed 1): open (mood 25) → resend (answered before it was asked) → packaging (mood 70)")),
        "{text}"
    );
    let json = run("--paths=json");
    let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
    assert_eq!(first["steps"][0]["passed"], serde_json::json!(["resend"]));
    assert_eq!(first["at"], "packaging");
    let second: serde_json::Value = serde_json::from_str(json.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["steps"][0]["passed"], serde_json::json!([]));
    assert_eq!(second["at"], "resend");
}
