//! Labelled sets of replies (JSON Lines), judged the way the product judges them: a line with
//! `scenario` and `turn` (the trainee corpus, `tests/data/trainee/`) at that turn of the shipped
//! scenario, with the customer line it answered; any other line on its own, as `kefu score`.

use kefu_core::judgement::Judgement;
use kefu_core::principles::Lang;
use kefu_core::scenario::Scenario;
use kefu_judge::score;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The shipped scenarios under `dir` (checked, broken files left out), by id, and the broken
/// files with their first diagnostic: a line of a broken scenario is judged without it (as
/// `kefu score`), so a caller reports them rather than let a figure move unexplained (a
/// retrained model that fails a scenario's sample replies drops that scenario).
pub fn scenarios(dir: &Path) -> (BTreeMap<String, Scenario>, Vec<(String, String)>) {
    let mut files = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "toml") {
                if let Ok(src) = std::fs::read_to_string(&p) {
                    files.push((p.display().to_string(), src));
                }
            }
        }
    }
    let lib = kefu_check::load_library(&files);
    let broken = lib
        .broken
        .iter()
        .map(|(f, d)| (f.clone(), d.first().cloned().unwrap_or_default()))
        .collect();
    let ok = lib
        .scenarios
        .iter()
        .map(|s| (s.id.clone(), (**s).clone()))
        .collect();
    (ok, broken)
}

/// The language a line is scored in: its `lang` if given, else detected (as `kefu score`).
pub fn lang_of(v: &Value, text: &str) -> Lang {
    let code = v
        .get("lang")
        .and_then(Value::as_str)
        .unwrap_or_else(|| kefu_judge::text::detect_lang(text));
    Lang::parse(code).unwrap_or(Lang::En)
}

/// Judge one labelled line (`None` when it has no `text`).
pub fn judge_line(v: &Value, scenarios: &BTreeMap<String, Scenario>) -> Option<Judgement> {
    let text = v.get("text").and_then(Value::as_str)?;
    let lang = lang_of(v, text);
    let at_turn = v
        .get("scenario")
        .and_then(Value::as_str)
        .and_then(|id| scenarios.get(id))
        .and_then(|s| {
            let turn = v.get("turn").and_then(Value::as_str)?;
            let i = s.turns.iter().position(|t| t.id == turn)?;
            Some((s, i))
        });
    Some(match at_turn {
        Some((s, i)) => {
            let said = v.get("context").and_then(Value::as_str);
            score::judge(text, lang, &s.rules(i, lang, said), None)
        }
        None => score::score(text, lang),
    })
}

/// The gold labels of a line (`labels` in our own older set, `gold` elsewhere), as 0/1 by id;
/// non-numeric values (e.g. `politeness` is numeric but graded) are left to the caller.
pub fn gold(v: &Value) -> Option<&serde_json::Map<String, Value>> {
    v.get("labels")
        .or_else(|| v.get("gold"))
        .and_then(Value::as_object)
}

/// Is this the locked validation part (its figures are read, never its lines)?
pub fn locked(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|f| f.to_string_lossy().contains("validation"))
}
