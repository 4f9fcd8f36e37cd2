//! The `kefu-dojo` package: the `kefu` command (`src/bin/kefu.rs`), the integration tests, `make
//! eval` and `make bench`. This library holds only what the tests and the eval share: how a line
//! of a labelled set is judged (`corpus`) and how the judge's learned heads are trained (`learn`, for `make train` and
//! `make eval`'s out-of-fold tuning figure); and the static-site tools of `make dist` / `make serve`
//! (`compress`, `serve`, `prerender`), kept here so their tests can reach them.

pub mod compress;
pub mod corpus;
pub mod learn;
pub mod prerender;
pub mod serve;
