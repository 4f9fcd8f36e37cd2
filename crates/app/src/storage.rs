//! Browser storage, and nothing else touches it: every read and write goes through here and
//! reports what went wrong (storage missing, full, corrupt) instead of losing data quietly.
//! Corrupt data is never dropped nor overwritten: it is kept aside whole under a dated name
//! (`KEY.corrupt.<time>`), in localStorage when it fits, else in IndexedDB (`kefu-aside`); until
//! it is safely there it stays where it was and the app does not save over it (`held`).
//!
//! Render stays pure by construction: every operation is a method of [`Io`], and an `Io` is
//! only lent (as `&Io`, for the length of one call) to an effect ([`use_io_effect`]). A
//! component body or an event handler never holds one, so neither can read or write storage:
//! handlers change state, effects store it. `no_storage_outside_io` (a native test) checks
//! nothing bypasses this module.

use gloo::storage::{errors::StorageError, LocalStorage, Storage};
use kefu_core::i18n::tf;
use kefu_core::principles::Lang;
use serde::{de::DeserializeOwned, Serialize};
use yew::prelude::*;

pub const PROGRESS: &str = "kefu.progress";
pub const LOCAL_FILES: &str = "kefu.local";
pub const EXAM: &str = "kefu.exam";
/// The UI language the trainee last picked.
pub const LANG: &str = "kefu.lang";

pub fn session_key(id: &str) -> String {
    format!("kefu.session.{id}")
}
pub fn draft_key(id: &str) -> String {
    format!("kefu.draft.{id}")
}

/// What went wrong with storage; each maps to a notice in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No localStorage (private mode, disabled by policy).
    Unavailable,
    /// A write failed: most likely the quota is full.
    Full,
    /// Stored data under `key` could not be read; it is kept whole under `aside`, in `place`.
    Corrupt {
        key: String,
        aside: String,
        place: Aside,
    },
}

/// Where unreadable data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    /// Copied to localStorage under the dated name (the original removed).
    Local,
    /// Moved into this browser's IndexedDB (`kefu-aside`, store `aside`) under the dated name.
    Database,
    /// Too large to copy: left where it was, and nothing is saved over it until it is moved.
    Held,
}

impl StoreError {
    pub fn key(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "store.unavailable",
            StoreError::Full => "store.full",
            StoreError::Corrupt { .. } => "store.corrupt",
        }
    }
    /// The notice, through the catalogue: a corrupt one names what the data was (progress, the
    /// conversation, the exam, the trainer's files) and where it is kept.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Corrupt { aside, place, key } => {
                let what = kefu_core::i18n::t(lang, what_it_holds(key));
                match place {
                    Aside::Local => {
                        tf(lang, "store.corrupt_of", &[("what", &what), ("key", aside)])
                    }
                    Aside::Database => tf(
                        lang,
                        "store.corrupt_db_of",
                        &[("what", &what), ("key", aside)],
                    ),
                    Aside::Held => tf(
                        lang,
                        "store.corrupt_held_of",
                        &[("what", &what), ("key", key)],
                    ),
                }
            }
            _ => tf(lang, self.key(), &[]),
        }
    }
}

/// The catalogue key naming what a storage key holds, for notices.
pub fn what_it_holds(key: &str) -> &'static str {
    match key {
        PROGRESS => "store.what.progress",
        EXAM => "store.what.exam",
        LOCAL_FILES => "store.what.local",
        k if k.starts_with("kefu.session.") => "store.what.session",
        _ => "store.what.other",
    }
}

/// The right to touch storage, lent only to effects and event handlers (see the module doc).
pub struct Io {
    _private: (),
}

/// Lend an `Io` for one call. Private: effects and handlers get theirs from the two below.
fn with_io<R>(f: impl FnOnce(&Io) -> R) -> R {
    f(&Io { _private: () })
}

/// `use_effect_with` whose closure may use storage.
#[hook]
pub fn use_io_effect<D, F>(deps: D, f: F)
where
    D: PartialEq + 'static,
    F: FnOnce(&Io, &D) + 'static,
{
    use_effect_with(deps, move |d| with_io(|io| f(io, d)));
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
export function kefu_move_aside(key, aside) {
  return new Promise((resolve, reject) => {
    const value = localStorage.getItem(key);
    if (value === null) { resolve(); return; }
    const open = indexedDB.open('kefu-aside', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('aside');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('aside', 'readwrite');
      tx.objectStore('aside').put(value, aside);
      tx.oncomplete = () => {
        db.close();
        if (localStorage.getItem(key) === value) localStorage.removeItem(key);
        resolve();
      };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error || new Error('IndexedDB')); };
    };
  });
}
"#)]
extern "C" {
    fn kefu_move_aside(key: &str, aside: &str) -> js_sys::Promise;
}

fn available() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some()
}

impl Io {
    /// Read raw text; `Ok(None)` when the key is absent.
    pub fn get_raw(&self, key: &str) -> Result<Option<String>, StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        LocalStorage::raw()
            .get_item(key)
            .map_err(|_| StoreError::Unavailable)
    }

    pub fn set_raw(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        LocalStorage::raw()
            .set_item(key, value)
            .map_err(|_| StoreError::Full)
    }

    pub fn remove(&self, key: &str) {
        if available() {
            LocalStorage::delete(key);
        }
    }

    /// Read JSON. Unreadable data is moved to `KEY.corrupt` (never dropped) and reported.
    pub fn load<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        match LocalStorage::get::<T>(key) {
            Ok(v) => Ok(Some(v)),
            Err(StorageError::KeyNotFound(_)) => Ok(None),
            Err(StorageError::SerdeError(_)) => Err(self.quarantine(key)),
            Err(StorageError::JsError(_)) => Err(StoreError::Unavailable),
        }
    }

    /// Keep unreadable data whole under a dated name (`KEY.corrupt.<time>`: a second
    /// corruption never overwrites the first) so the next save cannot destroy it. If it does not
    /// fit in localStorage beside itself, it is left in place (`Aside::Held`): the caller must
    /// not save over `key` and should move it with [`Io::move_aside`].
    pub fn quarantine(&self, key: &str) -> StoreError {
        let stamp = String::from(js_sys::Date::new_0().to_iso_string()).replace(':', "-");
        let aside = format!("{key}.corrupt.{stamp}");
        let mut place = Aside::Held;
        if let Ok(Some(raw)) = self.get_raw(key) {
            if self.set_raw(&aside, &raw).is_ok() {
                self.remove(key);
                place = Aside::Local;
            }
        }
        StoreError::Corrupt {
            key: key.to_string(),
            aside,
            place,
        }
    }

    /// Move the data under `key` whole into IndexedDB as `aside`, then remove it from
    /// localStorage (only once the database has it, and only if it did not change meanwhile).
    pub fn move_aside(
        &self,
        key: &str,
        aside: &str,
    ) -> impl std::future::Future<Output = Result<(), String>> {
        let p = kefu_move_aside(key, aside);
        async move {
            wasm_bindgen_futures::JsFuture::from(p)
                .await
                .map(|_| ())
                .map_err(crate::worker::js_error)
        }
    }

    pub fn save<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|_| StoreError::Full)?;
        self.set_raw(key, &json)
    }
}

#[cfg(test)]
mod tests {
    /// No file of the app reaches browser storage except through this module's `Io`.
    #[test]
    fn no_storage_outside_io() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut checked = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == "storage.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for bad in [
                "LocalStorage",
                "SessionStorage",
                "local_storage",
                "session_storage",
                "localStorage",
                "gloo::storage",
                "Io {",
                "with_io",
            ] {
                assert!(!src.contains(bad), "{} uses `{bad}`", p.display());
            }
            checked += 1;
        }
        assert!(checked >= 8, "read {checked} files");
    }
}

#[cfg(test)]
mod notice_tests {
    use super::*;

    /// A notice names what could not be read, and never shows a `{placeholder}` unfilled.
    #[test]
    fn a_corrupt_notice_names_what_it_is_about_and_is_filled() {
        let cases = [
            (PROGRESS.to_string(), "progress"),
            (session_key("angry-late-delivery"), "conversation"),
            (EXAM.to_string(), "exam"),
            (LOCAL_FILES.to_string(), "scenario files"),
            ("kefu.other".to_string(), "Data this app saved"),
        ];
        for (key, about) in cases {
            for place in [Aside::Local, Aside::Database, Aside::Held] {
                let e = StoreError::Corrupt {
                    key: key.clone(),
                    aside: format!("{key}.corrupt.2026"),
                    place,
                };
                let en = e.message(Lang::En);
                assert!(en.contains(about), "{key} {place:?}: {en}");
                assert!(!en.contains("Saved progress") || key == PROGRESS, "{en}");
                for l in Lang::ALL {
                    let m = e.message(l);
                    assert!(!m.contains('{') && !m.contains('⟦'), "{l:?}: {m}");
                    assert!(m.contains(&key), "{l:?}: the notice names the key: {m}");
                }
            }
        }
    }
}
