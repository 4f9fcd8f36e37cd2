//! Reading JSON into the model's types through `serde_json::Value` (#17): the browser modules
//! then hold one deserializer per type (`Value`'s), not a second one for the text parser, since
//! the stored progress is read through `Value` already (`progress`). The app's first load is
//! smaller by it; parsing is a little slower (the bundle, ~170 KB, is read once).

use serde::de::DeserializeOwned;

/// `s` as a `T`; serde's message on error.
pub fn from_str<T: DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_json::from_str::<serde_json::Value>(s)
        .and_then(serde_json::from_value)
        .map_err(|e| e.to_string())
}
