import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Each kind of mistake, as typed, and the one line meshviz answers with (exit status 2). */
const MISTAKES: Array<[string[], string]> = [
  [['send', '--form', 'web', '--to', 'api:8080/'], "unknown option '--form' (did you mean --from?)"],
  [['simulate', '--zzz'], "unknown option '--zzz' (see meshviz simulate --help)"],
  [['sned'], "unknown command 'sned' (did you mean send?)"],
  [['send', '--to', 'api:8080/'], 'missing --from (the calling workload, pod or external, e.g. --from web)'],
  [['test-routes'], 'missing --cases (a YAML file of route test cases, e.g. --cases tests/fixtures/route-cases/bookinfo.yaml)'],
  [['send', '--from'], '--from needs a value (see meshviz send --help)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--repeat', '0'], 'invalid value "0" for --repeat (expected an integer from 1 to 10000)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--seed', '-1'], 'invalid value "-1" for --seed (expected an integer from 0 to 9007199254740991)'],
  [['simulate', '--seed', '1e3'], 'invalid value "1e3" for --seed (expected an integer from 0 to 9007199254740991)'],
  [['simulate', '--duration', 'soon'], 'invalid value "soon" for --duration (expected a duration more than 0 and at most 8760h (a year), such as 500ms, 30s, 2m or 1h)'],
  [['test-routes', '--cases', 'x.yaml', '--fail-under', '120'], 'invalid value "120" for --fail-under (expected a percentage from 0 to 100)'],
  [['analyze', '--scenario', 'bookinf'], 'invalid value "bookinf" for --scenario (did you mean bookinfo? expected default or bookinfo or linkerd or ambient)'],
  [['analyze', '-o', 'jsno'], 'invalid value "jsno" for -o (did you mean json? expected wide, json, yaml, jsonpath=EXPR)'],
  [['export', '-o', 'out/'], 'invalid value "out/" for -o (expected yaml or json; to write out/scenario.yaml use --output-dir out/)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--header', 'jason'], 'invalid value "jason" for --header (expected key:value, e.g. end-user:jason)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--method', 'GET /'], 'invalid value "GET /" for --method (expected an HTTP method such as GET, POST or DELETE)'],
  [['send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=rest'], 'invalid value "users-v1=rest" for --fail (did you mean users-v1=reset? expected TARGET=MODE with MODE one of 503 500 reset refuse hang slow, or --fail alone to exit 1 on a non-2xx answer)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--json', '-o', 'yaml'], '--json and -o ask for different outputs (give one of them)'],
  [['completion', 'fish'], 'invalid value "fish" for completion <shell> (expected bash or zsh)'],
  [['send', '--from', 'web', '--to', 'api:99999'], '--to: "api:99999" is not a destination (host[:port][/path], e.g. api:8080/items)'],
  [['send', '--from', 'nobody', '--to', 'api:8080/'], '--from: no workload, pod, app or service named "nobody" (workloads: api, cache, db, users-v1, users-v2, web; or external)'],
  [['send', '--scenario', 'bookinfo', '--from', 'prodcutpage', '--to', 'reviews:9080/'], '--from: no workload, pod, app or service named "prodcutpage" (did you mean productpage?)'],
  [['send', '--scenario', 'bookinfo', '--from', 'productpage', '--to', 'reviews:9080/', '--fail', 'reviews=503'], '--fail: "reviews" is the app label of 3 workloads (name one: reviews-v1, reviews-v2, reviews-v3)'],
  [['send', '--from', 'web', '--to', 'usres:8080/'], '--to: no service "usres" reachable from namespace default (did you mean users?)'],
  [['send', '--from', 'web', '--to', 'api:9090/'], '--to: service api has no port 9090 (ports: 8080)'],
  [['send', 'nope.yaml', '--from', 'web', '--to', 'api:8080/'], 'cannot read nope.yaml (no such file or directory)'],
  [['serve', '--port', '70000'], 'invalid value "70000" for --port (expected an integer from 0 to 65535, 0 for any free port)'],
  // An option that shapes an output not asked for would change nothing: said before anything runs.
  [['simulate', '--access-log-format', 'json'], '--access-log-format shapes --access-log, which is not given: it would change nothing (add --access-log FILE, or leave --access-log-format out)'],
  [['simulate', '--trace-sampling', '100', '--metrics', 'out.om'], '--trace-sampling shapes --traces, which is not given: it would change nothing (add --traces FILE, or leave --trace-sampling out)'],
  [['simulate', '--scrape-interval', '5s', '--access-log', 'access.log'], '--scrape-interval shapes --metrics, which is not given: it would change nothing (add --metrics FILE, or leave --scrape-interval out)'],
  [['simulate', '--start', '2026-01-05T09:00:00Z'], '--start dates the metrics, access log and traces, and none is asked for: it would change nothing (add --metrics, --access-log, --traces or --serve-metrics, or leave --start out)'],
  // Two outputs into one file: the second would replace the first, so neither is written.
  [['simulate', '--metrics', 'run.out', '--access-log', './run.out'], '--metrics and --access-log name the same file (./run.out): the second would replace the first (give each output a file of its own)'],
  [['send', '--from', 'web', '--to', 'api:8080/', '--client-cert'], '--client-cert is what an outside client presents to a gateway (--from external): from a workload it would change nothing (send --from external, or leave --client-cert out)'],
  [['export', '--force'], '--force lets --output-dir overwrite its file, and no --output-dir is given: it would change nothing (add --output-dir DIR, or leave --force out)'],
  [['compare', '--flavors', 'istio,linkerd,istio'], 'invalid value "istio,linkerd,istio" for --flavors: istio is listed twice (a comma list of istio, linkerd, istio-ambient, each once)'],
  [['reach', '--from', 'web', '--to', 'api', '--dot'], '--dot prints the matrix, and --from with --to explains one call instead: it would change nothing (leave out --from or --to for the matrix, or --dot for the explanation)'],
  // diff's AFTER is the whole config: the change file alone would delete every workload.
  [['diff', 'scenarios/default.yaml', '--after', 'examples/rbac.yaml'], "--after keeps none of BEFORE's workloads (web, api, users-v1, users-v2, …): it is the whole config as it would be, not the change alone (give BEFORE's files and the change: --after scenarios/default.yaml examples/rbac.yaml)"],
  // sweep's options for another way of running.
  [['sweep', '--vary', 'retries.attempts=1,2', '--out', 'results/'], '--out is where a --shard writes its results, and no --shard is given: it would change nothing (add --shard I/N, or leave --out out to print the table)'],
  [['sweep', '--vary', 'retries.attempts=1,2', '--image', 'meshviz:1'], '--image shapes the Job --emit-job prints, which is not asked for: it would change nothing (add --emit-job, or leave --image out)'],
  [['sweep', '--vary', 'retries.attempts=1,2', '--emit-job', '--shard', '0/2', '--out', 'results/'], "--emit-job prints the Job and runs nothing here: --shard would change nothing (leave --shard out: each of the Job's pods runs its own --shard with --out)"],
  [['simulate', '--traces', 'out/../t.jsonl', '--junit', 't.jsonl'], '--traces and --junit name the same file (t.jsonl): the second would replace the first (give each output a file of its own)'],
];

describe('every mistake is one line, meshviz: <what> (<hint>), and exit status 2', () => {
  it.each(MISTAKES)('meshviz %j', async (args, line) => {
    const r = await meshviz(...args);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `meshviz: ${line}\n` });
  }, 30_000);

  it('a scenario with errors: its diagnostics, then the line', async () => {
    const dir = tempDir('errors');
    writeFileSync(join(dir, 'vs.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{timeout: soon}]}\n');
    const r = await meshviz('simulate', join(dir, 'vs.yaml'));
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/vs\.yaml:4:\d+ {2}MV0043 {2}error {2}/);
    expect(lines.at(-1)).toBe('meshviz: the scenario has 1 error (nothing was simulated; the lines above say where)');
  }, 30_000);

  it('two outputs into one file through a symbolic link are found too, and the file is left as it was', async () => {
    const dir = tempDir('errors');
    writeFileSync(join(dir, 'a.log'), 'the last run\n');
    symlinkSync(join(dir, 'a.log'), join(dir, 'b.log'));
    const r = await meshviz('simulate', '--duration', '1s', '--access-log', join(dir, 'a.log'), '--traces', join(dir, 'b.log'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `meshviz: --access-log and --traces name the same file (${join(dir, 'b.log')}): the second would replace the first (give each output a file of its own)\n` });
    expect(readFileSync(join(dir, 'a.log'), 'utf8')).toBe('the last run\n');
  }, 30_000);

  it('no command at all is a usage error that shows the help', async () => {
    const r = await meshviz();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Usage: meshviz \[options\] \[command\]/);
  }, 30_000);
});
