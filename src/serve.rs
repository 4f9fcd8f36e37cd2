//! `kefu serve DIR [--port N] [--bind ADDR]`: the static server `make serve` runs over `dist/`.
//!
//! tower-http's `ServeDir` on axum, on a current-thread tokio runtime:
//! - the `.br` / `.gz` variants `kefu compress` wrote beside a file are sent when the browser
//!   accepts them (`Content-Encoding`, `Vary: Accept-Encoding`), the file itself otherwise;
//! - `Content-Type` from the file's extension (`application/wasm` for `.wasm`, so the browser
//!   compiles while it downloads);
//! - a content-hashed file (`kefu_dojo.<hex>.js`) is cached for a year, `immutable`; every other
//!   file (`index.html`, the scenario library) is `no-cache`: kept, but revalidated each time
//!   (`Last-Modified` / `If-Modified-Since` → 304);
//! - a missing file is a 404, a path that would leave DIR is refused, and the server listens on
//!   127.0.0.1 unless told otherwise.

use axum::extract::Request;
use axum::http::header::{HeaderValue, CACHE_CONTROL, VARY, X_CONTENT_TYPE_OPTIONS};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tower_http::services::ServeDir;

pub const USAGE: &str = "  kefu serve DIR [--port N] [--bind ADDR]  serve a built site at http://127.0.0.1:8080 (--port 0 picks a free port)";

/// How long a content-hashed file may be kept: its name changes whenever its content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Every other file: the browser may keep it but asks each time whether it changed.
pub const REVALIDATE: &str = "no-cache";

/// What `kefu serve` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub dir: PathBuf,
    pub addr: SocketAddr,
}

/// Parse `DIR [--port N] [--bind ADDR]` (in any order); the error is the message to print.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut dir = None;
    let mut port: u16 = 8080;
    let mut bind = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        match flag {
            "--port" | "--bind" => {
                let v = inline
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| format!("{flag} needs a value"))?;
                if flag == "--port" {
                    port = v.parse().map_err(|_| {
                        format!("--port {v}: not a port number (0 to 65535; 0 picks a free one)")
                    })?;
                } else {
                    bind = v.parse().map_err(|_| {
                        format!("--bind {v}: not an IP address (for example 127.0.0.1 or 0.0.0.0)")
                    })?;
                }
            }
            f if f.starts_with('-') => return Err(format!("unknown option {f}")),
            _ if dir.is_some() => return Err(format!("one folder only (got another: {a})")),
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or("give the folder to serve (for example: kefu serve dist)")?;
    Ok(Options {
        dir,
        addr: SocketAddr::new(bind, port),
    })
}

/// Whether a URL path names a content-hashed file: its name's last dot-separated part before the
/// extension is at least 8 hex digits (`kefu_dojo_bg.3f2a9c0d1e2b4a5f.wasm`).
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let mut parts = name.rsplit('.');
    let (Some(_ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty() && hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The site as a router: files under `dir`, with the headers above.
pub fn router(dir: &Path) -> Router {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
            not_found,
        ));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(headers))
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 not found\n").into_response()
}

async fn headers(req: Request, next: Next) -> Response {
    let hashed = is_content_hashed(req.uri().path());
    let mut res = next.run(req).await;
    let ok = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if ok {
        let cache = if hashed { IMMUTABLE } else { REVALIDATE };
        h.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        // The same URL answers with a different body by Accept-Encoding: caches must key on it.
        h.append(VARY, HeaderValue::from_static("accept-encoding"));
    } else {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Serve until the process is stopped, on an already bound listener.
pub async fn serve(listener: tokio::net::TcpListener, dir: &Path) -> io::Result<()> {
    axum::serve(listener, router(dir)).await
}

/// Bind, print the address, serve (a current-thread runtime: one core is plenty for a static
/// site on loopback, and the server never competes with the build for the other).
pub fn run(opts: &Options) -> io::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| {
                io::Error::new(e.kind(), format!("cannot listen on {}: {e}", opts.addr))
            })?;
        let addr = listener.local_addr()?;
        println!(
            "Kefu Dojo at http://{addr}/  (serving {}; Ctrl+C stops)",
            opts.dir.display()
        );
        serve(listener, &opts.dir).await
    })
}

/// `kefu serve …`: exit 2 on a usage error, 1 if the server cannot start.
pub fn main(args: &[String]) -> ExitCode {
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("kefu serve: {e}\nusage:\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if !opts.dir.is_dir() {
        eprintln!(
            "kefu serve: {}: no such folder (build the site first: make dist)",
            opts.dir.display()
        );
        return ExitCode::from(2);
    }
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefu serve: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_content_hashed("/kefu_dojo.3f2a9c0d1e2b4a5f.js"));
        assert!(is_content_hashed(
            "/engine/kefu_engine_bg.0123456789abcdef.wasm"
        ));
        assert!(is_content_hashed(
            "/snippets/kefu-app-1a2b/inline0.deadbeef00112233.js"
        ));
        assert!(!is_content_hashed("/index.html"));
        assert!(!is_content_hashed("/"));
        assert!(!is_content_hashed("/kefu_dojo.js"));
        assert!(!is_content_hashed("/scenarios/library.json"));
        assert!(!is_content_hashed("/scenarios/angry-late-delivery.toml"));
        assert!(
            !is_content_hashed("/a.cafe.js"),
            "a short hex word is not a hash"
        );
        assert!(!is_content_hashed("/.0123456789abcdef.js"), "no stem");
        assert!(!is_content_hashed("/kefu_dojo.0123456789abcdeg.js"));
    }

    #[test]
    fn arguments() {
        let o = parse_args(&args(&["dist"])).unwrap();
        assert_eq!(o.dir, PathBuf::from("dist"));
        assert_eq!(o.addr, "127.0.0.1:8080".parse().unwrap());
        let o = parse_args(&args(&["--port", "9000", "d", "--bind=0.0.0.0"])).unwrap();
        assert_eq!(o.addr, "0.0.0.0:9000".parse().unwrap());
        let o = parse_args(&args(&["d", "--bind", "::1", "--port=0"])).unwrap();
        assert_eq!(o.addr, "[::1]:0".parse().unwrap());
        for (bad, says) in [
            (&["d", "--port", "http"][..], "not a port number"),
            (&["d", "--port", "70000"][..], "not a port number"),
            (&["d", "--port"][..], "--port needs a value"),
            (&["d", "--bind", "localhost"][..], "not an IP address"),
            (&["d", "--verbose"][..], "unknown option --verbose"),
            (&["d", "e"][..], "one folder only"),
            (&[][..], "give the folder"),
        ] {
            let e = parse_args(&args(bad)).unwrap_err();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
