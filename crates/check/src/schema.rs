//! The JSON Schema of the scenario format (`kefu schema`), for editor autocompletion.

/// The schema, as JSON text (kept in `data/scenario.schema.json`).
pub const SCHEMA: &str = include_str!("../../../data/scenario.schema.json");

#[cfg(test)]
mod tests {
    use super::SCHEMA;
    use crate::raw::RawScenario;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// The keys the file format (`raw.rs`) accepts at a place in a file, read from serde's
    /// "unknown field" message.
    fn accepted(prefix: &str) -> BTreeSet<String> {
        let src = format!("{prefix}zz_not_a_key = 1\n");
        let err = toml::from_str::<RawScenario>(&src)
            .expect_err("an unknown key is refused")
            .to_string();
        let list = err
            .split("expected one of")
            .nth(1)
            .or_else(|| err.split("expected").nth(1))
            .unwrap_or_else(|| panic!("no key list in: {err}"));
        let list = list.lines().next().unwrap_or("");
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    fn keys(v: &Value) -> BTreeSet<String> {
        v["properties"]
            .as_object()
            .expect("an object with properties")
            .keys()
            .cloned()
            .collect()
    }

    fn strings(v: &Value) -> BTreeSet<String> {
        v.as_array()
            .expect("an array")
            .iter()
            .map(|s| s.as_str().expect("a string").to_string())
            .collect()
    }

    #[test]
    fn the_schema_has_exactly_the_keys_of_the_format() {
        let s: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        let p = &s["properties"];
        let turn = &p["turn"]["items"];
        let places: [(&str, &Value); 10] = [
            ("", &s),
            ("[customer]\n", &p["customer"]),
            ("[[turn]]\n", turn),
            (
                "[[turn]]\n[[turn.facts]]\n",
                &turn["properties"]["facts"]["items"],
            ),
            (
                "[[turn]]\n[[turn.false_claims]]\n",
                &turn["properties"]["false_claims"]["items"],
            ),
            (
                "[[turn]]\n[[turn.next]]\n",
                &turn["properties"]["next"]["items"],
            ),
            ("[[ending]]\n", &p["ending"]["items"]),
            (
                "[[turn]]\n[[turn.line]]\n",
                &turn["properties"]["line"]["items"],
            ),
            (
                "[[ending]]\n[[ending.line]]\n",
                &p["ending"]["items"]["properties"]["line"]["items"],
            ),
            ("[[sample]]\n", &p["sample"]["items"]),
        ];
        for (prefix, node) in places {
            assert_eq!(
                keys(node),
                accepted(prefix),
                "schema and raw.rs disagree at `{}`",
                prefix.trim()
            );
            assert_eq!(node["additionalProperties"], Value::Bool(false));
            for (k, v) in node["properties"].as_object().unwrap() {
                assert!(
                    v.get("description").is_some() || v.get("$ref").is_some(),
                    "`{k}` under `{}` has no description for editors",
                    prefix.trim()
                );
            }
        }
    }

    #[test]
    fn the_schema_lists_the_known_ids() {
        let s: Value = serde_json::from_str(SCHEMA).unwrap();
        let principles: BTreeSet<String> = kefu_core::principles::all()
            .iter()
            .map(|p| p.id.to_string())
            .collect();
        assert_eq!(strings(&s["definitions"]["principle"]["enum"]), principles);
        let products: BTreeSet<String> = kefu_core::scenario::PRODUCTS
            .iter()
            .map(|p| p.0.to_string())
            .collect();
        assert_eq!(strings(&s["properties"]["product"]["enum"]), products);
        // The languages of data/languages.toml (a new language is listed here too).
        let langs: BTreeSet<String> = kefu_core::principles::Lang::ALL
            .iter()
            .map(|l| l.code().to_string())
            .collect();
        assert_eq!(
            strings(&s["properties"]["languages"]["items"]["enum"]),
            langs
        );
        assert_eq!(keys(&s["definitions"]["text"]), langs);
    }
}
