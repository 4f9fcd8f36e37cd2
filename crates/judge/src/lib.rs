//! Kefu Dojo's scorer (`kefu-judge`): text folding and segmentation, the lexicons, the principle
//! detectors and scoring. A reply in, a `kefu_core::judgement::Judgement` out; never panics.

pub mod answers;
pub mod data;
pub mod detect;
pub mod learned;
pub mod lexicon;
pub mod policy;
mod rules;
pub mod score;
pub mod text;

pub use score::{judge, judge_json, native_judge, score};
