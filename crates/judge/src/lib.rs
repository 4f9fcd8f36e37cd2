//! Kefu Dojo's scorer (`kefu-judge`): text folding and segmentation, the lexicons, the principle
//! detectors and scoring. A reply in, a `kefu_core::judgement::Judgement` out; never panics.

pub mod ac;
pub mod answers;
pub mod data;
pub mod detect;
pub mod fx;
pub mod learned;
pub mod lexicon;
pub mod policy;
mod rules;
pub mod score;
pub mod sort;
pub mod text;

pub use score::{judge, judge_json, native_judge, score};

/// Build once what every judgement reads (the lexicons' automaton, about 23,000 fixed strings
/// with their parts cut into chunks, most of the time; the packed learned model, opened in
/// place; the data files behind the detectors), so that the trainee's first reply does not wait
/// for it. The engine's worker calls it as soon as it has loaded, while the customer's first
/// line is read (under Node the scorer module's `warm` takes about 0.2 s).
pub fn warm() {
    lexicon::Lexicon::builtin();
    learned::builtin();
    // A short reply in each language reaches the rest (question words, policy, folding tables).
    score::score(
        "您好，很抱歉让您久等了，请问订单号是多少？",
        kefu_core::principles::Lang::ZhHans,
    );
    score::score(
        "Sorry for the wait. Could you tell me your order number?",
        kefu_core::principles::Lang::En,
    );
}
