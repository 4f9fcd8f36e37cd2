//! The engine modules, run in a Web Worker (`crates/engine/worker.js`) so that scoring and
//! checking never block the page. `make dist` builds this crate twice: the scorer (play needs
//! only this: `judge`, `replay`, `score_json`, `warm`) and, with feature `check`, the checker
//! (`check_file`, `check_studio` and `read_import` besides) that the app's worker loads only
//! when a trainer opens a file or the trainee imports results. Every export takes and returns
//! JSON.

use kefu_core::dialogue::{Saved, Session};
use kefu_core::judgement::JudgementWire;
use kefu_core::scenario::Scenario;
use kefu_judge::score;
use wasm_bindgen::prelude::*;

/// Check one scenario file as `kefu check` does, sample replies included; returns a
/// `view::Checked` as JSON.
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn check_file(name: &str, src: &str) -> String {
    let c = kefu_check::check_file(name, src, true);
    serde_json::to_string(&c).unwrap_or_default()
}

/// Check one scenario file for the trainer studio: diagnostics with quick fixes, the turn
/// graph and each sample's path (`kefu_check::studio::Report` as JSON).
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn check_studio(name: &str, src: &str) -> String {
    serde_json::to_string(&kefu_check::studio::check_studio(name, src)).unwrap_or_default()
}

/// Build what judging reads once (`kefu_judge::warm`): the worker calls it right after the
/// module loads, so the first reply is judged as fast as the rest.
#[wasm_bindgen]
pub fn warm() {
    kefu_judge::warm();
}

/// Judge one reply at a scenario turn: `score::judge_json`.
#[wasm_bindgen]
pub fn judge(request: &str) -> String {
    score::judge_json(request)
}

/// The judgements of a stored session's replies, in order, as the app replays it on reload
/// (the dialogue decides which turn each reply answers, so the replay runs here, off the
/// page). The page then rebuilds the session from these judgements without scoring again.
#[derive(Debug)]
pub struct Replayed {
    pub judgements: Vec<JudgementWire>,
    /// Why the request could not be read (the page keeps the stored session as it is).
    pub error: Option<String>,
}

impl Replayed {
    /// `{"judgements":[…]}`, with `"error"` after them when there is one: written by hand, as
    /// the judgements are (`judgement::write`), so the scorer has no JSON serializer (#17).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"judgements\":[");
        for (i, j) in self.judgements.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            j.write_json(&mut out);
        }
        out.push(']');
        if let Some(e) = &self.error {
            out.push_str(",\"error\":");
            kefu_core::judgement::write::string(&mut out, e);
        }
        out.push('}');
        out
    }
}

/// Replay a stored session: `{"scenario": Scenario, "saved": Saved}` in, `Replayed` out.
#[wasm_bindgen]
pub fn replay(request: &str) -> String {
    replay_request(request).to_json()
}

pub fn replay_request(request: &str) -> Replayed {
    #[derive(serde::Deserialize)]
    struct Req {
        scenario: Scenario,
        saved: Saved,
    }
    match kefu_core::json::from_str::<Req>(request) {
        Ok(r) => {
            let judgements = std::cell::RefCell::new(Vec::new());
            let judge = |t: &str, l, rules: &_, secs| {
                let j = score::native_judge(t, l, rules, secs);
                judgements.borrow_mut().push(JudgementWire::from(j.clone()));
                j
            };
            Session::replay_with(&r.scenario, &r.saved, &judge);
            Replayed {
                judgements: judgements.into_inner(),
                error: None,
            }
        }
        Err(e) => Replayed {
            judgements: Vec::new(),
            error: Some(e.to_string()),
        },
    }
}

/// Score one reply without a scenario, exactly as `kefu score` prints it (for measuring in
/// the browser: `await window.kefuDojo.score_json(text, "zh-Hans")`, answered by the worker).
#[wasm_bindgen]
pub fn score_json(text: &str, lang: &str) -> String {
    let l = kefu_core::principles::Lang::parse(lang).unwrap_or(kefu_core::principles::Lang::En);
    score::score(text, l).to_json()
}

#[cfg(test)]
mod tests {
    /// `Replayed` is written as serde would write it (the page reads it as before).
    #[test]
    fn a_replay_is_written_as_serde_json_wrote_it() {
        #[derive(serde::Serialize)]
        struct Was<'a> {
            judgements: &'a [kefu_core::judgement::Judgement],
            #[serde(skip_serializing_if = "Option::is_none")]
            error: Option<&'a str>,
        }
        let j = kefu_judge::score(
            "抱歉让您久等了，我马上为您查询。",
            kefu_core::principles::Lang::ZhHans,
        );
        for r in [
            super::Replayed {
                judgements: vec![j.clone(), j],
                error: None,
            },
            super::Replayed {
                judgements: vec![],
                error: Some("bad \"json\"\n".into()),
            },
        ] {
            let was = Was {
                judgements: &r.judgements,
                error: r.error.as_deref(),
            };
            assert_eq!(r.to_json(), serde_json::to_string(&was).unwrap());
        }
    }

    #[test]
    fn a_request_that_is_not_a_replay_is_an_error_not_a_panic() {
        let r = super::replay_request("{\"scenario\": 1}");
        assert!(r.judgements.is_empty() && r.error.is_some());
    }
}

/// Read a results file the trainee imports (`Store::import`: our JSON export, an older store,
/// our xAPI export) here, off the page, in the checker module (play never needs the reader): `{"version":1,"attempts":[…]}` in the current format, or
/// `{"error":"corrupt"}` / `{"error":"too_new","version":N}`. The page hands the attempts to
/// the browser store as they are (it never parses the whole file itself).
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn read_import(text: &str) -> String {
    use kefu_core::progress::{LoadError, Store};
    match Store::import(text) {
        Ok(s) => s.to_json(),
        Err(LoadError::TooNew(v)) => format!(r#"{{"error":"too_new","version":{v}}}"#),
        Err(LoadError::Corrupt(m)) => {
            serde_json::json!({"error": "corrupt", "detail": m}).to_string()
        }
    }
}
