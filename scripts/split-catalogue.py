#!/usr/bin/env python3
"""Move the UI catalogue from the old one-file form into one file per language.

Old form, `data/i18n.toml`:   "key" = { en = "…", zh-Hans = "…", zh-Hant = "…" }
New form, `data/i18n/LANG.toml`:  "key" = "…"   (one file per language code)

Every key found in `data/i18n.toml` is written into each language's file (a key already there
takes the old file's text: the old file is the newer one after a merge); keys only in the
per-language files are kept, in their order, and new keys are appended in the old file's order.
Then `data/i18n.toml` is removed. Idempotent: with no `data/i18n.toml` it changes nothing.

Run from the repository root:  python3 scripts/split-catalogue.py
(the build also reads a leftover `data/i18n.toml`, so the app works before it is run).
"""
import json
import os
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OLD = os.path.join(ROOT, "data", "i18n.toml")
DIR = os.path.join(ROOT, "data", "i18n")
HEADER = (
    "# The UI catalogue in {lang}: `\"key\" = \"text\"`. Every key is in every language's\n"
    "# file (tests/i18n_keys.rs checks the keys the app uses). Written by scripts/split-catalogue.py.\n"
)


def read(path):
    with open(path, "rb") as f:
        return tomllib.load(f)


def q(s):
    # A TOML basic string: JSON's escapes are valid TOML escapes.
    return json.dumps(s, ensure_ascii=False)


def main():
    if not os.path.exists(OLD):
        print("data/i18n.toml: not there, nothing to move")
        return 0
    old = read(OLD)
    langs = sorted({lang for entry in old.values() for lang in entry})
    os.makedirs(DIR, exist_ok=True)
    for f in os.listdir(DIR):
        if f.endswith(".toml"):
            langs = sorted(set(langs) | {f[: -len(".toml")]})
    for lang in langs:
        path = os.path.join(DIR, lang + ".toml")
        cur = read(path) if os.path.exists(path) else {}
        merged = dict(cur)
        for key, entry in old.items():
            if not isinstance(entry, dict):
                sys.exit(f"data/i18n.toml: `{key}` is not a table of languages")
            if lang in entry:
                merged[key] = entry[lang]
        with open(path, "w", encoding="utf-8") as f:
            f.write(HEADER.format(lang=lang))
            for key, text in merged.items():
                f.write(f"{q(key)} = {q(text)}\n")
        print(f"data/i18n/{lang}.toml: {len(merged)} keys ({len(merged) - len(cur)} new)")
    os.remove(OLD)
    print("data/i18n.toml: moved, removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
