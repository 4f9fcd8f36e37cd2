//! Where the data files under `data/` are: `crates/data-build.rs` compiles each from TOML into
//! Rust the module that owns it `include!`s (no parser at run time, #17): the principles
//! (`principles.rs`, `principle_ids.rs`), the languages (`languages.rs`, `lang_ids.rs`) and the
//! UI catalogue (`i18n.rs`); the lexicons are `kefu_judge`'s (its own `data.rs`).
