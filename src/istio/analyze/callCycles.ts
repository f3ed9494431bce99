import { stringify } from 'yaml';
import { FLAVORS, formatDuration } from '../../model/index.ts';
import type { Diagnostic, Scenario, TimelineEntry, VirtualService } from '../../model/index.ts';
import { diagnostic } from '../catalog.ts';
import { loadScenario } from '../load/loadScenario.ts';
import type { Analyzer } from './Analyzer.ts';
import { createAnalysisContext, type AnalysisContext } from './AnalysisContext.ts';
import { callsOf, type Hop } from './callPaths.ts';

/** Cycles reported at most; past this a scenario has a deeper problem than its count of cycles. */
const MAX_CYCLES = 20;

/**
 * App calls that come back round: `cache` calling `api` calling `cache`, or
 * a pod calling itself through its own Service. Every request to any
 * workload on the cycle would call on without end, so the scenario cannot
 * be simulated: an error, with the call path and the call that closes it.
 * Routing is the compiled config's (a VirtualService can close a cycle that
 * the Services alone do not), and then, in turn, the config after each
 * VirtualService the timeline applies or deletes. Linear in calls: one
 * depth-first search per config.
 */
export const callCycles: Analyzer = {
  name: 'callCycles',
  flavors: FLAVORS,
  run(ctx) {
    const now = cyclesIn(ctx, '');
    if (now.length > 0) return now;
    let scenario = ctx.scenario;
    for (const entry of ctx.scenario.simulation.timeline) {
      const next = withRoutingChange(scenario, entry);
      if (next === scenario) continue;
      scenario = next;
      const later = cyclesIn(createAnalysisContext(scenario), ` once the timeline's change at ${formatDuration(entry.at)} is pushed`);
      if (later.length > 0) return later;
    }
    return [];
  },
};

function cyclesIn(ctx: AnalysisContext, when: string): Diagnostic[] {
  const edges = new Map<string, Hop[]>();
  const hopsOf = (workload: string): Hop[] => {
    let hops = edges.get(workload);
    if (!hops) edges.set(workload, (hops = callsOf(ctx, workload)));
    return hops;
  };
  const state = new Map<string, 'open' | 'done'>();
  const stack: Array<{ workload: string; via: Hop | undefined }> = [];
  const found: Diagnostic[] = [];
  const seen = new Set<string>();
  const visit = (workload: string, via: Hop | undefined): void => {
    state.set(workload, 'open');
    stack.push({ workload, via });
    for (const hop of hopsOf(workload)) {
      for (const next of hop.next) {
        if (found.length >= MAX_CYCLES) return;
        const mark = state.get(next);
        if (mark === 'open') report(ctx, stack, stack.findIndex((s) => s.workload === next), hop, when, found, seen);
        else if (mark === undefined) visit(next, hop);
      }
    }
    stack.pop();
    state.set(workload, 'done');
  };
  for (const workload of Object.keys(ctx.scenario.simulation.workloads).sort()) {
    if (state.get(workload) === undefined) visit(workload, undefined);
  }
  return found;
}

/** The scenario after a timeline entry that applies or deletes a VirtualService (the same scenario for any other entry). */
function withRoutingChange(scenario: Scenario, entry: TimelineEntry): Scenario {
  const action = entry.action;
  const same = (a: VirtualService, b: { name: string; namespace: string }): boolean => a.metadata.name === b.name && a.metadata.namespace === b.namespace;
  if (action.kind === 'delete' && action.resource.kind === 'VirtualService') {
    return { ...scenario, virtualServices: scenario.virtualServices.filter((vs) => !same(vs, action.resource)) };
  }
  if (action.kind !== 'apply' || action.document['kind'] !== 'VirtualService') return scenario;
  const [applied] = loadScenario([{ name: 'timeline', text: stringify(plain(action.document)) }]).scenario.virtualServices;
  if (!applied) return scenario;
  return { ...scenario, virtualServices: [...scenario.virtualServices.filter((vs) => !same(vs, applied.metadata)), applied] };
}

/** The loader's null-prototype maps as ordinary objects, which YAML output expects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

function report(
  ctx: AnalysisContext,
  stack: Array<{ workload: string; via: Hop | undefined }>,
  from: number,
  closing: Hop,
  when: string,
  found: Diagnostic[],
  seen: Set<string>,
): void {
  const members = stack.slice(from);
  const names = members.map((m) => m.workload);
  const key = [...names].sort().join('|');
  if (seen.has(key)) return;
  seen.add(key);
  const calls = [...members.slice(1).map((m) => m.via as Hop), closing];
  const path = [...names, names[0] as string].join(' → ');
  const first = calls[0] as Hop;
  const at = first.appSource
    ? { resource: `Simulation/${ctx.scenario.simulation.name}`, source: first.appSource, ...(first.appPath ? { path: first.appPath } : {}) }
    : {};
  const how = calls.map((h) => `${h.caller} calls ${h.host.split('.')[0] ?? h.host}:${h.port}`).join(', ');
  found.push(diagnostic('CallCycle', at, { path, how, when }));
}
