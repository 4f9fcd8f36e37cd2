//! `kefu compress DIR`: write `FILE.br` (brotli, quality 11) and `FILE.gz` (gzip -9) beside every
//! `.js`, `.wasm`, `.json`, `.html` and `.css` file under DIR, for `kefu serve` (or any host that
//! serves precompressed variants) to send. `make dist` runs it; no system tool is needed.
//!
//! A variant that would not be smaller than the file is not written (and a stale one is
//! removed), so the server sends the file itself. Nor is one written for the files a deploying
//! team edits in the built site (`EDITED_IN_PLACE`): a host that prefers a precompressed
//! variant would go on sending the build's copy after the edit.

use flate2::write::GzEncoder;
use flate2::Compression;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const USAGE: &str = "  kefu compress DIR                        write FILE.br and FILE.gz beside each .js .wasm .json .html .css under DIR";

/// The kinds of file worth compressing (text and wasm; images and fonts are compressed already).
pub const EXTENSIONS: [&str; 5] = ["js", "wasm", "json", "html", "css"];

/// The files under DIR a deploying team edits after the build (`docs/xapi.md`,
/// `docs/scenario-format.md`): they get no variants (a stale one is removed). Both are a few
/// hundred bytes.
pub const EDITED_IN_PLACE: [&str; 2] = ["config.json", "scenarios/index.json"];

/// One file and the sizes of what was written for it (`None`: not smaller, not written).
#[derive(Debug, Clone, PartialEq)]
pub struct Compressed {
    pub path: PathBuf,
    pub size: u64,
    pub br: Option<u64>,
    pub gz: Option<u64>,
}

pub fn brotli(data: &[u8]) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        // A 16 MiB window (the most browsers accept) lets the wasm refer back across its sections.
        lgwin: 24,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("writing to memory");
    out
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(data).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for e in fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            files(&p, out)?;
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| EXTENSIONS.contains(&x))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// Write `path` + `.ext` if `data` is smaller than the original; remove a stale one otherwise.
fn variant(path: &Path, ext: &str, data: Vec<u8>, size: u64) -> io::Result<Option<u64>> {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    let target = PathBuf::from(name);
    if (data.len() as u64) < size {
        fs::write(&target, &data)?;
        Ok(Some(data.len() as u64))
    } else {
        match fs::remove_file(&target) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        Ok(None)
    }
}

fn one(dir: &Path, path: &Path) -> io::Result<Compressed> {
    let data = fs::read(path)?;
    let size = data.len() as u64;
    let edited = path
        .strip_prefix(dir)
        .is_ok_and(|rel| EDITED_IN_PLACE.iter().any(|e| rel == Path::new(e)));
    let (br, gz) = if edited {
        // Nothing is smaller than 0 bytes: no variant written, a stale one removed.
        (
            variant(path, "br", Vec::new(), 0)?,
            variant(path, "gz", Vec::new(), 0)?,
        )
    } else {
        (
            variant(path, "br", brotli(&data), size)?,
            variant(path, "gz", gzip(&data), size)?,
        )
    };
    Ok(Compressed {
        path: path.to_path_buf(),
        size,
        br,
        gz,
    })
}

/// Compress every file of the kinds above under `dir` (two at a time: brotli 11 is slow on the
/// wasm), in path order.
pub fn compress_dir(dir: &Path) -> io::Result<Vec<Compressed>> {
    let mut all = Vec::new();
    files(dir, &mut all)?;
    all.sort();
    let half = all.len().div_ceil(2);
    let (a, b) = all.split_at(half);
    let (ra, rb) = std::thread::scope(|s| {
        let h = s.spawn(|| {
            b.iter()
                .map(|p| one(dir, p))
                .collect::<io::Result<Vec<_>>>()
        });
        let ra = a
            .iter()
            .map(|p| one(dir, p))
            .collect::<io::Result<Vec<_>>>();
        (ra, h.join().expect("compression thread"))
    });
    let mut out = ra?;
    out.extend(rb?);
    Ok(out)
}

/// `kefu compress DIR`: one line per file, then the totals. Exit 2 on a usage error, 1 on an
/// I/O error.
pub fn main(args: &[String]) -> ExitCode {
    let [dir] = args else {
        eprintln!("kefu compress: give one folder\nusage:\n{USAGE}");
        return ExitCode::from(2);
    };
    let dir = Path::new(dir);
    if !dir.is_dir() {
        eprintln!("kefu compress: {}: no such folder", dir.display());
        return ExitCode::from(2);
    }
    match compress_dir(dir) {
        Ok(done) => {
            let show = |n: Option<u64>| n.map_or("-".to_string(), |n| n.to_string());
            let (mut raw, mut br, mut gz) = (0, 0, 0);
            for c in &done {
                println!(
                    "  {:<48} {:>9} bytes  br {:>8}  gz {:>8}",
                    c.path.strip_prefix(dir).unwrap_or(&c.path).display(),
                    c.size,
                    show(c.br),
                    show(c.gz)
                );
                raw += c.size;
                br += c.br.unwrap_or(c.size);
                gz += c.gz.unwrap_or(c.size);
            }
            println!(
                "kefu compress: {} files, {raw} bytes → brotli {br}, gzip {gz}",
                done.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kefu compress: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_round_trip() {
        let text = "王先生您好，非常抱歉让您久等了。".repeat(200);
        let br = brotli(text.as_bytes());
        let gz = gzip(text.as_bytes());
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 5);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn writes_variants_for_the_right_files_only() {
        let dir = std::env::temp_dir().join(format!("kefu-compress-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        let body = "function f() { return 'kefu'; }\n".repeat(100);
        fs::write(dir.join("a.js"), &body).unwrap();
        fs::write(dir.join("sub/b.json"), &body).unwrap();
        fs::write(dir.join("c.toml"), &body).unwrap();
        fs::write(dir.join("tiny.css"), "a{}").unwrap();
        fs::write(dir.join("tiny.css.gz"), "stale").unwrap();
        // What a deploying team edits in the built site: never a variant that would go stale.
        fs::create_dir_all(dir.join("scenarios")).unwrap();
        fs::write(dir.join("config.json"), &body).unwrap();
        fs::write(dir.join("config.json.br"), "stale").unwrap();
        fs::write(dir.join("scenarios/index.json"), &body).unwrap();
        fs::write(dir.join("scenarios/index.json.gz"), "stale").unwrap();
        fs::write(dir.join("sub/config.json"), &body).unwrap();
        let done = compress_dir(&dir).unwrap();
        for edited in ["config.json", "scenarios/index.json"] {
            let c = done.iter().find(|c| c.path == dir.join(edited)).unwrap();
            assert_eq!((c.br, c.gz), (None, None), "{edited}");
            for ext in ["br", "gz"] {
                assert!(
                    !dir.join(format!("{edited}.{ext}")).exists(),
                    "{edited}.{ext}"
                );
            }
        }
        assert!(
            dir.join("sub/config.json.br").exists(),
            "only the site's own config.json"
        );
        let done: Vec<_> = done
            .into_iter()
            .filter(|c| !c.path.ends_with("config.json") && !c.path.ends_with("index.json"))
            .collect();
        let names: Vec<_> = done.iter().map(|c| c.path.clone()).collect();
        assert_eq!(
            names,
            [
                dir.join("a.js"),
                dir.join("sub/b.json"),
                dir.join("tiny.css")
            ]
        );
        assert!(dir.join("a.js.br").exists() && dir.join("a.js.gz").exists());
        assert!(dir.join("sub/b.json.br").exists());
        assert!(!dir.join("c.toml.br").exists(), "not a kind we compress");
        assert_eq!(done[2].br, None, "3 bytes do not get smaller");
        assert!(
            !dir.join("tiny.css.gz").exists(),
            "a stale variant is removed"
        );
        let br = fs::read(dir.join("a.js.br")).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, body.as_bytes());
        fs::remove_dir_all(&dir).unwrap();
    }
}
