import json,sys
P="apology empathy ownership solution blame restate probe explain follow_up address gratitude jargon rudeness close".split()
def load(fs):
    d={}
    for f in fs:
        for l in open(f):
            r=json.loads(l); d[r['id']]=r['gold']
    return d
A=load(sys.argv[1].split(',')); B=load(sys.argv[2].split(','))
ids=[i for i in A if i in B]
# The principles the labels carry (the 13 of any reply for real agents' replies: no `close`).
P=[p for p in P if p in A[ids[0]]] if ids else P
print(len(A),len(B),len(ids))
print(f"{'principle':10} {'A+':>5} {'B+':>5} {'agree':>6} {'kappa':>6}")
dis=[]
for p in P:
    a=[A[i][p] for i in ids]; b=[B[i][p] for i in ids]; n=len(ids)
    po=sum(x==y for x,y in zip(a,b))/n
    pa=sum(a)/n; pb=sum(b)/n; pe=pa*pb+(1-pa)*(1-pb)
    k=(po-pe)/(1-pe) if pe<1 else 1.0
    print(f"{p:10} {sum(a):5} {sum(b):5} {po:6.3f} {k:6.3f}")
for i in ids:
    ds=[p for p in P if A[i][p]!=B[i][p]]
    if ds: dis.append({'id':i,'cells':{p:{'A':A[i][p],'B':B[i][p]} for p in ds}})
print('replies with disagreement',len(dis),'cells',sum(len(d['cells']) for d in dis))
if len(sys.argv)>3:
    with open(sys.argv[3],'w') as w:
        for d in dis: w.write(json.dumps(d,ensure_ascii=False)+'\n')
