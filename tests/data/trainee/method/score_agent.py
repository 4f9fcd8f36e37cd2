import json,subprocess,sys
P="apology empathy ownership solution blame restate probe explain follow_up address gratitude jargon rudeness".split()
kefu=sys.argv[1]; gold={}
for l in open('/work/corpus2/labels/agent_A.jsonl'):
    r=json.loads(l); gold[r['id']]=dict(r['gold'])
B={json.loads(l)['id']:json.loads(l)['gold'] for l in open('/work/corpus2/labels/agent_B.jsonl')}
for l in open('/work/corpus2/labels/agent_adj.jsonl'):
    r=json.loads(l)
    gold[r['id']].update(r['decisions'])
    for k,v in (r.get('corrections') or {}).items(): gold[r['id']][k]=v
for i in gold:
    for p in P:
        if gold[i][p]!=B[i][p] and not any(json.loads(l)['id']==i for l in open('/work/corpus2/agent_dis.jsonl')): pass
rows=[json.loads(l) for l in open('/work/corpus2/agent_sample.jsonl')]
inp=''.join(json.dumps({'id':r['id'],'text':r['text'],'lang':'zh'},ensure_ascii=False)+'\n' for r in rows)
out=subprocess.run([kefu,'score'],input=inp,capture_output=True,text=True).stdout.splitlines()
pred={}
for l in out:
    o=json.loads(l); pred[o['id']]={p:int(bool(o.get('principles',{}).get(p,{}).get('hit'))) for p in P}
fs=[]
print(f"{'principle':10} {'gold+':>5} {'P':>5} {'R':>5} {'F1':>5}")
for p in P:
    tp=sum(gold[i][p] and pred[i][p] for i in gold); fp=sum((not gold[i][p]) and pred[i][p] for i in gold); fn=sum(gold[i][p] and not pred[i][p] for i in gold)
    g=tp+fn
    pr=tp/(tp+fp) if tp+fp else 0; rc=tp/g if g else 0; f=2*pr*rc/(pr+rc) if pr+rc else 0
    if g>=5: fs.append(f)
    print(f"{p:10} {g:5} {pr:5.2f} {rc:5.2f} {f:5.2f}" + ("" if g>=5 else "  (fewer than 5 positives: not in macro)"))
print('macro over principles with >=5 positives: %.3f (%d principles)'%(sum(fs)/len(fs),len(fs)))
if len(sys.argv)>2:
    for i in gold:
        if gold[i][sys.argv[2]]!=pred[i][sys.argv[2]]:
            r=next(r for r in rows if r['id']==i); print(gold[i][sys.argv[2]],pred[i][sys.argv[2]],r['text'][:150])
