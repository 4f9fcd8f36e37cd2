import tomllib,json,glob,os
out=open('/work/corpus5/turns.jsonl','w')
for f in sorted(glob.glob('/work/main/scenarios/*.toml')):
    s=tomllib.load(open(f,'rb'))
    for t in s.get('turn',[]):
        out.write(json.dumps({'scenario':s['id'],'kind':s.get('kind'),'title':s.get('title'),'brief':s.get('brief'),
            'customer':s.get('customer',{}).get('name'),'persona':s.get('customer',{}).get('persona'),
            'policy':s.get('policy',{}),'turn':t['id'],'customer_lines':t.get('say',[])},ensure_ascii=False)+'\n')
