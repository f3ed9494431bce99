// Where the visualizer's frame time goes: `npx tsx bench/ui/paints.ts [--built]`.
// Same page and load as frames.ts; records a Chromium trace for ~3 s and
// reports, per frame, what was painted (by layer and by node), rastered,
// laid out and restyled, plus Performance.getMetrics deltas and the
// composited layers with Chromium's reasons for them.
import { writeFileSync } from 'node:fs';
import { openPage, startApp } from '../../e2e/harness.ts';
import { warmUp } from './warmUp.ts';

const MEASURE_MS = 3_000;
/** Phases of the main thread's work that do not nest in one another (GC may fall inside any of them). */
const MAIN_PARTS = ['FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'V8.GC_MC_INCREMENTAL'];
const built = process.argv.includes('--built');
const save = process.argv.find((a) => a.startsWith('--save='))?.slice('--save='.length);
const profile = process.argv.includes('--profile');

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** CPU time of the thread (µs): unlike `dur`, barely affected by other load on the machine. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown> };
}

const app = await startApp({ dev: !built });
try {
  const page = await openPage(app, { width: 1440, height: 900 });
  await warmUp(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('LayerTree.enable');
  let layers: Array<{ layerId: string; width: number; height: number; paintCount?: number; drawsContent: boolean }> = [];
  cdp.on('LayerTree.layerTreeDidChange', (e) => {
    if (e.layers) layers = e.layers;
  });
  const before = metrics(await cdp.send('Performance.getMetrics'));
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  await app.browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'disabled-by-default-devtools.timeline.invalidationTracking', 'blink', 'cc'],
  });
  await page.evaluate(`new Promise((done) => setTimeout(done, ${MEASURE_MS}))`);
  const trace = JSON.parse((await app.browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const after = metrics(await cdp.send('Performance.getMetrics'));
  const cpu = profile ? (await cdp.send('Profiler.stop')).profile : undefined;
  if (cpu && save) writeFileSync(`${save}.cpuprofile`, JSON.stringify(cpu));
  const hot = cpu ? selfTimes(cpu) : undefined;
  if (save) writeFileSync(save, JSON.stringify(trace));

  const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  const events = trace.traceEvents;
  const frames = events.filter((e) => e.name === 'BeginFrame' || e.name === 'DrawFrame').filter((e) => e.name === 'DrawFrame').length;
  const sum = (name: string) => events.filter((e) => e.name === name && e.ph === 'X').reduce((a, e) => a + (e.dur ?? 0), 0) / 1000;
  const count = (name: string) => events.filter((e) => e.name === name).length;
  const paints = events.filter((e) => e.name === 'Paint');
  const paintedArea = paints.reduce((a, e) => a + areaOf(e.args?.data?.['clip'] as number[] | undefined), 0);
  const byLayer = new Map<string, { n: number; area: number }>();
  for (const p of paints) {
    const key = `layer ${String(p.args?.data?.['layerId'] ?? '?')} node ${String(p.args?.data?.['nodeId'] ?? '?')}`;
    const entry = byLayer.get(key) ?? { n: 0, area: 0 };
    entry.n += 1;
    entry.area += areaOf(p.args?.data?.['clip'] as number[] | undefined);
    byLayer.set(key, entry);
  }
  const invalidations = new Map<string, number>();
  for (const e of events.filter((x) => x.name === 'PaintInvalidationTracking' || x.name === 'LayoutInvalidationTracking' || x.name === 'StyleInvalidatorInvalidationTracking')) {
    const d = e.args?.data ?? {};
    const key = `${e.name.replace('InvalidationTracking', '')}: ${String(d['nodeName'] ?? '?')} — ${String(d['reason'] ?? d['invalidatedSelectorId'] ?? '?')}`;
    invalidations.set(key, (invalidations.get(key) ?? 0) + 1);
  }
  const layerInfo = await Promise.all(
    layers
      .filter((l) => l.drawsContent)
      .map(async (l) => ({ id: l.layerId, size: `${Math.round(l.width)}×${Math.round(l.height)}`, paints: l.paintCount, reasons: (await cdp.send('LayerTree.compositingReasons', { layerId: l.layerId }).catch(() => ({ compositingReasonIds: [] }))).compositingReasonIds })),
  );
  const seconds = MEASURE_MS / 1000;
  console.log(
    JSON.stringify(
      {
        served: built ? 'production build' : 'dev server',
        framesDrawn: frames,
        perSecond: {
          paints: round(paints.length / seconds),
          paintedMegapixels: round(paintedArea / 1e6 / seconds),
          layouts: round(count('Layout') / seconds),
          styleRecalcs: round(count('UpdateLayoutTree') / seconds),
        },
        msPerSecond: {
          script: round(delta('ScriptDuration') * 1000 / seconds),
          layout: round(delta('LayoutDuration') * 1000 / seconds),
          style: round(delta('RecalcStyleDuration') * 1000 / seconds),
          paint: round(sum('Paint') / seconds),
          raster: round((sum('RasterTask') + sum('RasterizerTaskImpl::RunOnWorkerThread')) / seconds),
          commit: round(sum('Commit') / seconds),
          mainThreadTasks: round(delta('TaskDuration') * 1000 / seconds),
        },
        cpu: cpuByThread(events, seconds),
        eachLayout: events.filter((e) => e.name === 'Layout' && e.ph === 'X').map((e) => {
          const b = (e.args as { beginData?: { dirtyObjects?: number; totalObjects?: number; partialLayout?: boolean } } | undefined)?.beginData;
          return `${round((e.dur ?? 0) / 1000)} ms, ${b?.dirtyObjects}/${b?.totalObjects} objects${b?.partialLayout ? ', partial' : ''}`;
        }),
        eachPaint: paints.map((e) => `${round((e.dur ?? 0) / 1000)} ms ${String(e.args?.data?.['nodeName'] ?? '')}`),
        topPaints: [...byLayer].sort((a, b) => b[1].area - a[1].area).slice(0, 8).map(([k, v]) => `${k}: ${v.n} paints, ${round(v.area / 1e6)} Mpx`),
        topInvalidations: [...invalidations].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${n}× ${k}`),
        layers: layerInfo,
        ...(hot ? { hottestFunctions: hot } : {}),
      },
      null,
      2,
    ),
  );
} finally {
  await app.close();
}

/**
 * CPU time (ms per second) of the busiest threads, and the main thread's
 * tasks by CPU time: the figures to compare between builds on a machine
 * whose load changes.
 */
function cpuByThread(events: TraceEvent[], seconds: number): Record<string, unknown> {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String((e.args as { name?: string } | undefined)?.name ?? e.tid));
  const busy = new Map<string, number>();
  const mainTasks: number[] = [];
  const parts = new Map<string, number>();
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined) continue;
    const name = names.get(`${e.pid}:${e.tid}`) ?? String(e.tid);
    if (name === 'CrRendererMain' && MAIN_PARTS.includes(e.name)) {
      const key = e.name === 'FunctionCall' ? `script: ${String(e.args?.data?.['functionName'] || '?')}` : e.name;
      parts.set(key, (parts.get(key) ?? 0) + e.tdur / 1000);
    }
    if (e.name !== 'RunTask') continue;
    busy.set(name, (busy.get(name) ?? 0) + e.tdur / 1000);
    if (name === 'CrRendererMain') mainTasks.push(e.tdur / 1000);
  }
  mainTasks.sort((a, b) => a - b);
  const at = (q: number) => round(mainTasks[Math.min(mainTasks.length - 1, Math.floor(q * mainTasks.length))] ?? 0);
  return {
    msPerSecond: Object.fromEntries([...busy].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => [k, round(v / seconds)])),
    /** CPU ms of one paint of the whole document and one layerization: what every refresh of the page costs at least. */
    perUpdate: { paint: medianCpu(events, (e) => e.name === 'Paint' && e.args?.data?.['nodeName'] === '#document'), layerize: medianCpu(events, (e) => e.name === 'Layerize'), layout: medianCpu(events, (e) => e.name === 'Layout') },
    mainThreadParts: Object.fromEntries([...parts].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => [k, round(v / seconds)])),
    mainThreadTasks: { count: mainTasks.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: round(mainTasks.at(-1) ?? 0), over16ms: mainTasks.filter((t) => t > 16).length },
  };
}

function medianCpu(events: TraceEvent[], pick: (e: TraceEvent) => boolean): number {
  const ms = events.filter((e) => e.ph === 'X' && e.tdur !== undefined && pick(e)).map((e) => (e.tdur as number) / 1000).sort((a, b) => a - b);
  return round(ms[Math.floor(ms.length / 2)] ?? 0);
}

/** The functions with the most self time in a CPU profile (ms over the whole recording). */
function selfTimes(p: { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples?: number[]; timeDeltas?: number[] }): string[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  (p.samples ?? []).forEach((id, i) => {
    const f = byId.get(id)?.callFrame;
    const key = f ? `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber + 1}` : '?';
    self.set(key, (self.get(key) ?? 0) + (p.timeDeltas?.[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, ms]) => `${round(ms)} ms ${k}`);
}

function metrics(m: { metrics: Array<{ name: string; value: number }> }): Record<string, number> {
  return Object.fromEntries(m.metrics.map((x) => [x.name, x.value]));
}

/** A Paint event's clip is a quad [x1,y1, x2,y2, x3,y3, x4,y4]. */
function areaOf(q: number[] | undefined): number {
  if (!q || q.length < 8) return 0;
  return Math.abs(((q[4] as number) - (q[0] as number)) * ((q[5] as number) - (q[1] as number)));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
