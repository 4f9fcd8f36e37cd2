#!/usr/bin/env python3
"""What is big in a wasm module: its sections, its largest functions, and code per crate.

`make wasm-size` runs it on the app's module as `make dist` optimises it (wasm-opt -Oz) but
with the function names kept (`-g`), so the figures are the shipped code's, with names.
Any module with a `name` section works:  python3 scripts/wasm-size.py FILE.wasm [TOP]

How to read it: generic code is counted where it was instantiated, under the crate of its
outermost type: a Yew component's body is inlined into `yew::…::CompStateInner<COMP>::view`
(counted as yew), each `#[derive(Deserialize)]` type adds `serde_json::de::Deserializer`
instantiations (counted as serde_json). The data section holds the embedded catalogue and
principles JSON, and panic and format strings.
"""
import re
import sys
from collections import Counter

SECTIONS = {1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
            7: "export", 8: "start", 9: "element", 10: "code", 11: "data", 12: "datacount"}


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def read(path):
    data = open(path, "rb").read()
    if data[:4] != b"\0asm":
        sys.exit(f"{path}: not a wasm module")
    i, sections, names, codes, imported = 8, [], {}, [], 0
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        body = data[i:i + size]
        i += size
        if sid == 0:
            n, j = leb(body, 0)
            name = body[j:j + n].decode()
            sections.append(("custom " + name, size))
            if name == "name":
                j += n
                while j < len(body):
                    sub = body[j]
                    ssize, j = leb(body, j + 1)
                    if sub == 1:
                        count, k = leb(body, j)
                        for _ in range(count):
                            idx, k = leb(body, k)
                            ln, k = leb(body, k)
                            names[idx] = body[k:k + ln].decode("utf8", "replace")
                            k += ln
                    j += ssize
            continue
        sections.append((SECTIONS.get(sid, str(sid)), size))
        if sid == 2:  # imports: function indices start after the imported functions
            count, j = leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    ln, j = leb(body, j)
                    j += ln
                kind = body[j]
                j += 1
                if kind == 0:
                    _, j = leb(body, j)
                    imported += 1
                elif kind == 1:
                    j += 1
                    flags = body[j]
                    _, j = leb(body, j + 1)
                    if flags & 1:
                        _, j = leb(body, j)
                elif kind == 2:
                    flags = body[j]
                    _, j = leb(body, j + 1)
                    if flags & 1:
                        _, j = leb(body, j)
                elif kind == 3:
                    j += 2
        elif sid == 10:
            count, j = leb(body, 0)
            for f in range(count):
                ln, j = leb(body, j)
                codes.append((imported + f, ln))
                j += ln
    return sections, names, codes


def crate(name):
    """The crate of a function's outermost path (`<a::B as c::D>::f` → `a`)."""
    m = re.match(r"[<&\s]*(?:mut\s+|dyn\s+)*([A-Za-z_][A-Za-z0-9_]*)", name)
    return m.group(1) if m else "?"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    sections, names, codes = read(sys.argv[1])
    print("Sections (bytes):")
    for s, n in sections:
        print(f"  {n:9d}  {s}")
    total = sum(n for _, n in codes)
    print(f"\nCode: {total} bytes in {len(codes)} functions. Largest:")
    rows = sorted(((n, names.get(i, f"#{i}")) for i, n in codes), reverse=True)
    for n, name in rows[:top]:
        print(f"  {n:7d}  {name[:140]}")
    by = Counter()
    for n, name in rows:
        by[re.sub(r"\[[0-9a-f]+\]$", "", crate(name))] += n
    print("\nCode per crate (generic code counted under its outermost type's crate):")
    for c, n in by.most_common(25):
        print(f"  {n:7d}  {100 * n / total:5.1f}%  {c}")
    if not names:
        print("\n(no name section: build with names kept, as `make wasm-size` does)")


if __name__ == "__main__":
    main()
