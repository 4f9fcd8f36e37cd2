"""Draw a sample of real agents' replies our labels cover: the lines of
../shared/eval/agent_replies_zh.jsonl in the order of sha256("kefu-agent-2026:" + id) (hex),
from place FROM (inclusive) to TO (exclusive), written with their customer's line for the
labellers (outside the project: research-use licence). The locked validation sample is 0..400
(validation.jsonl); the tuning sample is 400..800 (tuning.jsonl), labelled in two halves.
Usage: python3 sample.py ../../../../shared/eval/agent_replies_zh.jsonl OUT.jsonl [FROM TO]"""
import hashlib, json, sys

lo, hi = (int(sys.argv[3]), int(sys.argv[4])) if len(sys.argv) > 4 else (0, 400)
rows = [json.loads(l) for l in open(sys.argv[1])]
rows.sort(key=lambda r: hashlib.sha256(("kefu-agent-2026:" + r["id"]).encode()).hexdigest())
with open(sys.argv[2], "w") as f:
    for r in rows[lo:hi]:
        f.write(json.dumps({"id": r["id"], "context": r.get("context", ""), "text": r["text"]},
                           ensure_ascii=False) + "\n")
