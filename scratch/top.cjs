const fs=require('fs');const dir=process.argv[2];const f=fs.readdirSync(dir)[0];const p=JSON.parse(fs.readFileSync(dir+'/'+f));
const self=new Map();const dt=p.timeDeltas;
const counts=new Map();p.samples.forEach((s,i)=>counts.set(s,(counts.get(s)||0)+(dt[i]||0)));
let total=0;
for(const n of p.nodes){const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;const v=counts.get(n.id)||0;total+=v;self.set(k,(self.get(k)||0)+v);}
console.log('total ms', (total/1000).toFixed(0));
[...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,30).forEach(([k,v])=>console.log((v/1000).toFixed(0).padStart(6),k));
