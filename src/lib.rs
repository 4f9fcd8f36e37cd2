//! Kefu Dojo (客服道场): a customer-service training simulator.
//!
//! The library is the pure core (no browser dependency): principles, text normalisation,
//! lexicons and detectors, scoring, scenarios and their checker, the dialogue engine and the
//! translation catalogue. The Yew app (`app`, feature `csr`) and the `kefu` CLI are thin shells.

pub mod chart;
pub mod data;
pub mod detect;
pub mod dialogue;
pub mod i18n;
pub mod lexicon;
pub mod principles;
pub mod progress;
pub mod scenario;
pub mod score;
pub mod text;
pub mod view;

#[cfg(feature = "csr")]
pub mod app;

#[cfg(feature = "engine-wasm")]
pub mod engine_wasm;
