"""usage: turns.py OUT — the scenarios' turns (customer lines, brief, policy) for corpus writers."""
import tomllib,json,glob,os,sys
out=open(sys.argv[1] if len(sys.argv)>1 else '/work/corpus5/turns.jsonl','w')
for f in sorted(glob.glob('/work/main/scenarios/*.toml')):
    s=tomllib.load(open(f,'rb'))
    for t in s.get('turn',[]):
        out.write(json.dumps({'scenario':s['id'],'kind':s.get('kind'),'title':s.get('title'),'brief':s.get('brief'),
            'customer':s.get('customer',{}).get('name'),'persona':s.get('customer',{}).get('persona'),
            'policy':s.get('policy',{}),'turn':t['id'],'customer_lines':t.get('say',[])},ensure_ascii=False)+'\n')
