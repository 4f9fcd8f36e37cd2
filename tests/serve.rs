//! `kefu serve` as a browser meets it: a site laid out like `make dist` (hashed code, index.html,
//! the scenario library, `.br`/`.gz` variants from `kefu compress`), served on a free loopback
//! port, asked with plain HTTP/1.1 over a TcpStream.

use kefu_dojo::{compress, serve};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

const JS: &str = "kefu_dojo.0123456789abcdef.js";
const WASM: &str = "kefu_dojo_bg.fedcba9876543210.wasm";
const SECRET: &str = "outside the served folder: never sent";

struct Site {
    dir: PathBuf,
    addr: SocketAddr,
}

fn js_body() -> String {
    "export function greet() { return '王先生您好，非常抱歉让您久等了'; }\n".repeat(300)
}

fn wasm_body() -> Vec<u8> {
    let mut w = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..20_000u32 {
        w.extend_from_slice(&(i % 251).to_le_bytes());
    }
    w
}

fn lay_out(root: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(root);
    let dir = root.join("dist");
    std::fs::create_dir_all(dir.join("scenarios")).unwrap();
    std::fs::write(root.join("secret.txt"), SECRET).unwrap();
    std::fs::write(
        dir.join("index.html"),
        format!("<!doctype html><title>Kefu</title><script type=module src=./{JS}></script>\n")
            .repeat(20),
    )
    .unwrap();
    std::fs::write(dir.join(JS), js_body()).unwrap();
    std::fs::write(dir.join(WASM), wasm_body()).unwrap();
    std::fs::write(dir.join("unhashed.js"), js_body()).unwrap();
    std::fs::write(
        dir.join("scenarios/library.json"),
        "[{\"id\":\"angry-late-delivery\"}]".repeat(100),
    )
    .unwrap();
    std::fs::write(dir.join("scenarios/a.toml"), "id = \"a\"\n").unwrap();
    compress::compress_dir(&dir).unwrap();
    dir
}

/// One site and one server for every test here, started on a thread of its own.
fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("kefu-serve-test-{}", std::process::id()));
        let dir = lay_out(&root);
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let addr = std_listener.local_addr().unwrap();
        let served = dir.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let l = tokio::net::TcpListener::from_std(std_listener).unwrap();
                serve::serve(l, &served).await.unwrap();
            });
        });
        Site { dir, addr }
    })
}

struct Reply {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// A raw request (the path is sent exactly as given: no client normalises `..` away).
fn get_at(addr: SocketAddr, path: &str, extra: &[(&str, &str)]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in extra {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let mut headers = HashMap::new();
    for l in lines {
        let (k, v) = l.split_once(':').unwrap();
        headers
            .entry(k.trim().to_ascii_lowercase())
            .and_modify(|old: &mut String| *old = format!("{old}, {}", v.trim()))
            .or_insert_with(|| v.trim().to_string());
    }
    let body = raw[split + 4..].to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(path: &str, extra: &[(&str, &str)]) -> Reply {
    get_at(site().addr, path, extra)
}

fn unbrotli(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &b[..], &mut out).unwrap();
    out
}

fn ungzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn brotli_when_the_browser_accepts_it() {
    let r = get(
        &format!("/{JS}"),
        &[("Accept-Encoding", "gzip, deflate, br, zstd")],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert!(r.header("content-type").unwrap().contains("javascript"));
    assert!(r.header("vary").unwrap().contains("accept-encoding"));
    assert_eq!(
        r.body,
        std::fs::read(site().dir.join(format!("{JS}.br"))).unwrap()
    );
    assert_eq!(unbrotli(&r.body), js_body().as_bytes());
    assert!(r.body.len() < js_body().len() / 10, "{}", r.body.len());
}

#[test]
fn gzip_when_brotli_is_not_accepted() {
    let r = get(&format!("/{WASM}"), &[("Accept-Encoding", "gzip, deflate")]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(ungzip(&r.body), wasm_body());
}

#[test]
fn the_file_itself_when_neither_is_accepted() {
    for extra in [&[][..], &[("Accept-Encoding", "identity")][..]] {
        let r = get(&format!("/{WASM}"), extra);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-encoding"), None);
        assert_eq!(r.header("content-type"), Some("application/wasm"));
        assert_eq!(r.body, wasm_body());
    }
    // A kind we do not compress is sent as it is, to a browser that accepts everything.
    let r = get("/scenarios/a.toml", &[("Accept-Encoding", "br, gzip")]);
    assert_eq!((r.status, r.header("content-encoding")), (200, None));
    assert_eq!(r.body, b"id = \"a\"\n");
}

#[test]
fn hashed_files_are_immutable_the_rest_revalidates() {
    for path in [format!("/{JS}"), format!("/{WASM}")] {
        let r = get(&path, &[("Accept-Encoding", "br")]);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
    }
    for path in [
        "/",
        "/index.html",
        "/unhashed.js",
        "/scenarios/library.json",
    ] {
        let r = get(path, &[("Accept-Encoding", "br")]);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-cache"), "{path}");
        assert!(r.header("last-modified").is_some(), "{path}");
    }
}

#[test]
fn index_html_at_the_root_and_a_304_when_unchanged() {
    let r = get("/", &[("Accept-Encoding", "br")]);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(
        unbrotli(&r.body),
        std::fs::read(site().dir.join("index.html")).unwrap()
    );
    let since = r.header("last-modified").unwrap().to_string();
    let again = get(
        "/",
        &[("Accept-Encoding", "br"), ("If-Modified-Since", &since)],
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("cache-control"), Some("no-cache"));
}

#[test]
fn a_missing_file_is_a_404_never_cached() {
    for path in [
        "/nope.js",
        "/kefu_dojo.0000000000000000.js",
        "/scenarios/missing.json",
    ] {
        let r = get(path, &[("Accept-Encoding", "br, gzip")]);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.header("cache-control"), Some("no-store"), "{path}");
        assert_eq!(r.body, b"404 not found\n");
    }
}

#[test]
fn nothing_outside_the_folder_is_served() {
    assert!(site().dir.join("../secret.txt").exists());
    for path in [
        "/../secret.txt",
        "/scenarios/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/scenarios/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..\\secret.txt",
    ] {
        let r = get(path, &[]);
        assert_ne!(r.status, 200, "{path}");
        assert!(
            !String::from_utf8_lossy(&r.body).contains(SECRET),
            "{path} leaked the file"
        );
    }
}

#[test]
fn the_command_prints_its_loopback_address_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["serve", site().dir.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let addr: SocketAddr = addr.parse().unwrap();
    assert!(
        addr.ip().is_loopback(),
        "bound to loopback by default: {line}"
    );
    let r = get_at(addr, &format!("/{WASM}"), &[("Accept-Encoding", "br")]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("br"));
    assert_eq!(unbrotli(&r.body), wasm_body());
}

#[test]
fn the_command_refuses_bad_arguments_clearly() {
    for (args, says) in [
        (&["serve", "/no/such/folder"][..], "no such folder"),
        (&["serve"][..], "give the folder"),
        (&["serve", ".", "--port", "x"][..], "not a port number"),
        (&["compress"][..], "give one folder"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_kefu"))
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
}
