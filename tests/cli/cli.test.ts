import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('meshviz CLI', () => {
  it('send --json reports status, flags, duration, attempts and events', async () => {
    const r = await meshviz('send', '--from', 'web', '--to', 'api:8080/', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe(200);
    expect(out.flags).toEqual([]);
    expect(out.attempts).toBe(1);
    expect(out.durationMs).toBeGreaterThan(0);
    expect(out.events[0].kind).toBe('request.start');
    expect(out.events.at(-1).kind).toBe('request.end');
  }, 30_000);

  it('send prints a timeline a person can follow, ending with the outcome', async () => {
    const r = await meshviz('send', '--from', 'api', '--to', 'users:8080/users/1', '--fail', 'users-v1=503', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/route: matched rule/);
    expect(r.stdout).toMatch(/balancer LEAST_REQUEST chose users-v/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^→ (200|503)/);
  }, 30_000);

  it('send --repeat lists every request, then the last hop by hop: retries, then ejection, then fail-fast (seed 42)', async () => {
    const r = await meshviz('send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--repeat', '4', '--seed', '42');
    expect(r.code).toBe(0);
    const summary = r.stdout.split('\n').filter((l) => l.startsWith('request #'));
    expect(summary).toHaveLength(5);
    expect(summary[0]).toMatch(/^request #\d+: 503 URX in [\d.]+ ms, 4 attempt\(s\)$/);
    expect(summary[3]).toMatch(/^request #\d+: 503 UH in [\d.]+ ms, 1 attempt\(s\)$/);
    const lastId = /^request #(\d+):/.exec(summary[3] as string)?.[1];
    expect(summary[4]).toBe(`request #${lastId}, hop by hop:`);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^→ 503 UH/);
  }, 30_000);

  it('send --certs issues a certificate per sidecar on the mTLS hops, SPIFFE ID as URI SAN, signed by the run\'s root', async () => {
    const r = await meshviz('send', '--from', 'web', '--to', 'api:8080/', '--certs', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { certificates: { pod: string; cert: { pem: string; spiffeId: string; notBefore: string; notAfter: string } }[]; rootCertificate: string };
    expect(out.rootCertificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(out.certificates.map((c) => c.cert.spiffeId)).toContain('spiffe://cluster.local/ns/default/sa/web');
    for (const { cert } of out.certificates) {
      expect(cert.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
      expect(Date.parse(cert.notAfter) - Date.parse(cert.notBefore)).toBe(24 * 3600 * 1000);
    }
  });

  it('simulate --json has the report fields', async () => {
    const r = await meshviz('simulate', '--duration', '20s', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.requests.total).toBe(400);
    expect(Object.keys(out.traffic[0])).toEqual(expect.arrayContaining(['name', 'sent', 'byCode', 'byFlags', 'latencyMs']));
    expect(Object.keys(out.traffic[0].latencyMs)).toEqual(['p50', 'p90', 'p99']);
    expect(out.edges.map((e: { source: string; destination: string }) => `${e.source}>${e.destination}`)).toContain('web>api');
    expect(out.ejections[0]).toMatchObject({ client: expect.stringMatching(/^api-/), endpoint: expect.stringMatching(/^users-v1-/) });
    expect(out.pods.find((p: { workload: string }) => p.workload === 'api').received).toBe(400);
  }, 30_000);

  it('simulate, graph and compare of files that send no traffic say so on stderr (the report alone would be empty), and still exit 0', async () => {
    const note = 'note: the files send no traffic (no Simulation document with spec.traffic), so nothing ran; add traffic (see examples/*/simulation.yaml), or send one request with `meshviz send FILES --from WORKLOAD --to SERVICE`\n';
    for (const args of [['simulate'], ['graph'], ['compare', '--flavors', 'istio,linkerd']]) {
      const r = await meshviz(...args, 'tests/fixtures/tcp/web-db-cache.yaml');
      expect([r.code, r.stderr]).toEqual([0, note]);
    }
    // With traffic, nothing is said.
    expect((await meshviz('simulate', '--duration', '1s')).stderr).toBe('');
  }, 30_000);

  it('a --duration longer than the traffic and timeline (the default mesh’s end at 60 s) is said on stderr: the run stops at their end', async () => {
    const note = "note: the traffic and timeline end at 1m, so the run stops there, before --duration 2m: --duration only stops traffic early; lengthen the traffic's duration in the Simulation to run longer\n";
    for (const args of [['simulate'], ['graph'], ['compare', '--flavors', 'istio']]) {
      const r = await meshviz(...args, '--duration', '2m');
      expect([r.code, r.stderr]).toEqual([0, note]);
    }
    const simulated = await meshviz('simulate', '--duration', '2m', '-o', 'jsonpath={.durationMs}');
    expect(Number(simulated.stdout)).toBeLessThan(61_000);
    expect((await meshviz('simulate', '--duration', '60s')).stderr).toBe('');
  }, 60_000);

  it('graph prints its edges in call order, the failing call with its flags; -o wide adds who reported each', async () => {
    const r = await meshviz('graph');
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => / (→|\(service\)) /.test(l) || /^\S.*\s{3}\S/.test(l));
    const edges = rows.slice(1, rows.findIndex((l) => l.startsWith('NODE')));
    expect(edges.map((l) => l.split(/\s{3,}/).slice(0, 2).join(' > '))).toEqual([
      'web v1 > api (service)',
      'api (service) > api v1',
      'api v1 > cache (service)',
      'api v1 > users (service)',
      'cache (service) > cache v1',
      'users (service) > users v1',
      'users (service) > users v2',
      'users v1 > db (service)',
      'users v2 > db (service)',
      'db (service) > db v1',
    ]);
    expect(edges.find((l) => l.startsWith('api v1            users'))).toMatch(/20\.01\s+50\.9%\s+[\d.]+ms\s+100%\s+503 UH 50\.9%, 200 49\.1%$/);
    const wide = await meshviz('graph', '-o', 'wide');
    expect(wide.stdout).toMatch(/REPORTER\s+REQUESTS/);
    expect(wide.stdout).toMatch(/users \(service\)\s+users v1\s+destination\s+460 /);
    const bad = await meshviz('graph', '--graph-type', 'apps');
    expect(bad.stderr).toMatch(/^meshviz: invalid value "apps" for --graph-type \(did you mean app\? expected versionedApp or app or workload/);
  }, 30_000);

  it('errors are one clear line and a non-zero exit', async () => {
    const missing = await meshviz('send', 'nope.yaml', '--from', 'web', '--to', 'api');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('meshviz: cannot read nope.yaml (no such file or directory)\n');

    const unknown = await meshviz('send', '--from', 'nobody', '--to', 'api');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('meshviz: --from: no workload, pod, app or service named "nobody" (workloads: api, cache, db, users-v1, users-v2, web; or external)\n');

    const badFlag = await meshviz('simulate', '--duration', 'soon');
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toBe('meshviz: invalid value "soon" for --duration (expected a duration more than 0 and at most 8760h (a year), such as 500ms, 30s, 2m or 1h)\n');

    const badHost = await meshviz('send', '--from', 'web', '--to', 'nowhere:80');
    expect(badHost.code).toBe(2);
    expect(badHost.stderr).toBe('meshviz: --to: no service "nowhere" reachable from namespace default (services: api, cache, db, users, web)\n');
  }, 60_000);

  it('a broken file is reported with file:line:col and nothing is simulated', async () => {
    const dir = tempDir('broken');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n');
    const r = await meshviz('simulate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[/.]/g, '\\$&')}:\\d+:\\d+  MV\\d{4}  error`));
    expect(r.stderr.trim().split('\n').at(-1)).toBe('meshviz: the scenario has 1 error (nothing was simulated; the lines above say where)');
  }, 30_000);

  it('--version prints the package version; version adds the modelled Istio/Envoy behaviour and the Node', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const short = await meshviz('--version');
    expect(short).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });

    const long = await meshviz('version');
    expect(long.code).toBe(0);
    expect(long.stdout.split('\n')).toEqual([`meshviz ${version}`, expect.stringMatching(/^models {2}Istio \d+\.\d+ \(Envoy as Istio \d+\.\d+ programs it\)$/), `node    ${process.version}`, '']);
  });

  it('without a build, the launcher says how to make one in one line', async () => {
    const bin = join(tempDir('unbuilt'), 'bin');
    mkdirSync(bin);
    copyFileSync('bin/meshviz.js', join(bin, 'meshviz.js'));
    const r = await meshviz(join(bin, 'meshviz.js'), '--help');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('meshviz: the CLI is not built yet (run `npm install`, or `npm run build:cli`, in the meshviz folder first)\n');
  });
});
