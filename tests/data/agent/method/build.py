"""Our labels of the sample (sample.py) as tests/data/agent/validation.jsonl: where the two
labellers agree, their label; else the adjudicator's decision; then the adjudicator's
corrections. Each line carries the key `make eval` finds the reply by (the first 16 hex digits of
sha256("kefu-agent-2026:" + id)), never the id or the text.
Usage: python3 build.py A.jsonl B.jsonl adj.jsonl OUT.jsonl"""
import hashlib, json, sys

P = "apology empathy ownership solution blame restate probe explain follow_up address gratitude jargon rudeness".split()
load = lambda f: [json.loads(l) for l in open(f)]
A = {r["id"]: r["gold"] for r in load(sys.argv[1])}
B = {r["id"]: r["gold"] for r in load(sys.argv[2])}
adj = {r["id"]: r for r in load(sys.argv[3])}
out = []
for i, a in A.items():
    g = {}
    for p in P:
        if a[p] == B[i][p]:
            g[p] = a[p]
        else:
            g[p] = adj[i]["decisions"][p]
    for p, v in (adj.get(i, {}).get("corrections") or {}).items():
        if p in P:
            g[p] = int(v)
    key = hashlib.sha256(("kefu-agent-2026:" + i).encode()).hexdigest()[:16]
    out.append((key, g))
out.sort()
with open(sys.argv[4], "w") as f:
    for key, g in out:
        f.write(json.dumps({"key": key, "gold": g}) + "\n")
print(len(out), {p: sum(g[p] for _, g in out) for p in P})
