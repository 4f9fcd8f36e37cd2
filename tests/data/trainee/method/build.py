"""Merge a corpus round: writers' files + passes A/B + adjudications -> new_tuning/new_validation.
usage: build.py WRITERS(csv) A(csv) B(csv) ADJ(csv) OUTPREFIX"""
import json, sys, hashlib
P = "apology empathy ownership solution blame restate probe explain follow_up address gratitude jargon rudeness close".split()
W, A, B, ADJ, out = sys.argv[1:6]
def rows(fs):
    for f in fs.split(','):
        if f:
            for l in open(f):
                if l.strip(): yield json.loads(l)
lines = list(rows(W))
a = {r['id']: r['gold'] for r in rows(A)}
b = {r['id']: r['gold'] for r in rows(B)}
adj = {r['id']: r for r in rows(ADJ)}
tun, val, missing, corr = [], [], 0, 0
for r in lines:
    i = r['id']
    if i not in a or i not in b:
        missing += 1; continue
    g = {}
    for p in P:
        if a[i][p] == b[i][p]:
            g[p] = a[i][p]
        else:
            d = adj.get(i, {}).get('decisions', {})
            if p not in d:
                raise SystemExit(f"{i} {p}: disagreement not adjudicated")
            g[p] = int(d[p])
    for p, v in adj.get(i, {}).get('corrections', {}).items():
        if p in g and g[p] != int(v):
            g[p] = int(v); corr += 1
    o = {k: r[k] for k in ['id', 'lang', 'scenario', 'turn', 'context', 'text']}
    o['gold'] = g; o['intent'] = r.get('intent', '')
    h = int(hashlib.sha256(("kefu-split-2026:" + i).encode()).hexdigest(), 16)
    (val if h % 100 < 35 else tun).append(o)
for name, part in (('tuning', tun), ('validation', val)):
    with open(f"{out}_{name}.jsonl", 'w') as w:
        for o in part: w.write(json.dumps(o, ensure_ascii=False) + '\n')
print(f"tuning {len(tun)} validation {len(val)} unlabelled {missing} corrections {corr}")
