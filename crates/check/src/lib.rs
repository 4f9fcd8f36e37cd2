//! Kefu Dojo's scenario checker (`kefu-check`): the file format as serde reads it (`raw`), the
//! checker that validates it into a `kefu_core::scenario::Scenario` with `FILE:LINE:COLUMN`
//! diagnostics and plays its sample replies through the judge (`check`), the JSON Schema
//! (`schema`), and the library as `kefu bundle` writes it (`bundle`).

pub mod bundle;
pub mod check;
pub mod exam;
pub mod raw;
pub mod schema;
pub mod studio;

pub use bundle::{build_bundle, check_file, check_file_in, line_in, load_library};
pub use check::{check_source, check_source_in, check_source_with, CheckOutput};
