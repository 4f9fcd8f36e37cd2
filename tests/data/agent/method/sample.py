"""Draw the sample of real agents' replies our labels cover: the 400 lines of
../shared/eval/agent_replies_zh.jsonl whose sha256("kefu-agent-2026:" + id) sorts first (hex),
written with their customer's line for the labellers (outside the project: research-use licence).
Usage: python3 sample.py ../../../../shared/eval/agent_replies_zh.jsonl OUT.jsonl"""
import hashlib, json, sys

rows = [json.loads(l) for l in open(sys.argv[1])]
rows.sort(key=lambda r: hashlib.sha256(("kefu-agent-2026:" + r["id"]).encode()).hexdigest())
with open(sys.argv[2], "w") as f:
    for r in rows[:400]:
        f.write(json.dumps({"id": r["id"], "context": r.get("context", ""), "text": r["text"]},
                           ensure_ascii=False) + "\n")
