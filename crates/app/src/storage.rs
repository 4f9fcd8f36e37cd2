//! Browser storage, and nothing else touches it: every read and write goes through here and
//! reports what went wrong (storage missing, full, corrupt) instead of losing data quietly.
//! Corrupt data is kept aside under `KEY.corrupt` before anything overwrites it.

use gloo::storage::{errors::StorageError, LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

pub const PROGRESS: &str = "kefu.progress";
pub const LOCAL_FILES: &str = "kefu.local";
pub const EXAM: &str = "kefu.exam";

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
    /// Stored data could not be read; it was kept under `KEY.corrupt`.
    Corrupt(String),
}

impl StoreError {
    pub fn key(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "store.unavailable",
            StoreError::Full => "store.full",
            StoreError::Corrupt(_) => "store.corrupt",
        }
    }
}

fn available() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some()
}

/// Read raw text; `Ok(None)` when the key is absent.
pub fn get_raw(key: &str) -> Result<Option<String>, StoreError> {
    if !available() {
        return Err(StoreError::Unavailable);
    }
    LocalStorage::raw()
        .get_item(key)
        .map_err(|_| StoreError::Unavailable)
}

pub fn set_raw(key: &str, value: &str) -> Result<(), StoreError> {
    if !available() {
        return Err(StoreError::Unavailable);
    }
    LocalStorage::raw()
        .set_item(key, value)
        .map_err(|_| StoreError::Full)
}

pub fn remove(key: &str) {
    if available() {
        LocalStorage::delete(key);
    }
}

/// Read JSON. Unreadable data is moved to `KEY.corrupt` (never dropped) and reported.
pub fn load<T: DeserializeOwned>(key: &str) -> Result<Option<T>, StoreError> {
    if !available() {
        return Err(StoreError::Unavailable);
    }
    match LocalStorage::get::<T>(key) {
        Ok(v) => Ok(Some(v)),
        Err(StorageError::KeyNotFound(_)) => Ok(None),
        Err(StorageError::SerdeError(e)) => Err(quarantine(key, e.to_string())),
        Err(StorageError::JsError(_)) => Err(StoreError::Unavailable),
    }
}

/// Keep unreadable data under `KEY.corrupt` so the next save cannot destroy it.
pub fn quarantine(key: &str, why: String) -> StoreError {
    if let Ok(Some(raw)) = get_raw(key) {
        let aside = format!("{key}.corrupt");
        if set_raw(&aside, &raw).is_ok() {
            remove(key);
        }
    }
    StoreError::Corrupt(why)
}

pub fn save<T: Serialize>(key: &str, value: &T) -> Result<(), StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    set_raw(key, &json)
}
