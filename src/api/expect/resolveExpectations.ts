import type { Diagnostic, Expectation, ExpectSubject, Micros, Scenario } from '../../model/index.ts';
import { suggest } from '../../model/index.ts';
import { diagnostic, resolveServiceAddress } from '../../istio/index.ts';
import { ApiError } from '../ApiError.ts';
import { resolveDestination, resolveWorkload } from '../resolveWorkload.ts';

/** Whose requests a condition counts, in the names the engine's counters use. */
export type ResolvedSubject =
  | { kind: 'all' }
  | { kind: 'traffic'; name: string }
  /** Source workloads (or `external`) and the destination service's FQDN. */
  | { kind: 'call'; from: ReadonlySet<string>; host: string };

export type ResolvedExpectation = Expectation & {
  /** For every form but `ejected`: its subject resolved. */
  resolved: ResolvedSubject;
  /** For `ejected`: the pods that may be ejected and when the timeline first fails them. */
  failing?: { pods: ReadonlySet<string>; at: Micros };
};

/**
 * Resolves the names in conditions against the scenario: traffic names,
 * sources (a workload, pod, app label or Service name, as `send --from`
 * takes; an app label stands for all its workloads), destination services
 * (as an app dials them) and ejection targets (which the timeline must fail).
 * A name that resolves to nothing is a diagnostic at the condition's place.
 */
export function resolveExpectations(scenario: Scenario, expectations: readonly Expectation[]): { checks: ResolvedExpectation[]; diagnostics: Diagnostic[] } {
  const checks: ResolvedExpectation[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (e: Expectation): { path?: string; source?: Expectation['source'] } => ({ ...(e.path ? { path: e.path } : {}), ...(e.source ? { source: e.source } : {}) });
  for (const e of expectations) {
    try {
      if (e.kind === 'ejected') {
        const failing = failingOf(scenario, e.target);
        if (!failing) diagnostics.push(diagnostic('ExpectNeverFails', at(e), { name: e.target }));
        else checks.push({ ...e, resolved: { kind: 'all' }, failing });
        continue;
      }
      const subject = e.kind === 'retries' ? ({ kind: 'all' } as const) : e.subject;
      const traffic = scenario.simulation.traffic.map((t) => t.name);
      if (subject.kind === 'traffic' && !traffic.includes(subject.name)) {
        diagnostics.push(diagnostic('ExpectUnknownTraffic', at(e), { name: subject.name, known: traffic, suggestion: suggest(subject.name, traffic) }));
        continue;
      }
      checks.push({ ...e, resolved: resolveSubject(scenario, subject) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      diagnostics.push(diagnostic('ExpectUnknownName', at(e), { detail: `${error.message} in ${JSON.stringify(e.text)}` }));
    }
  }
  return { checks, diagnostics };
}

function resolveSubject(scenario: Scenario, subject: ExpectSubject): ResolvedSubject {
  if (subject.kind !== 'call') return subject;
  const sources = sourcesOf(scenario, subject.from);
  const namespace = sources.namespace ?? 'default';
  const dialled = resolveDestination(scenario, namespace, subject.to, undefined, `"${subject.to}"`);
  const host = resolveServiceAddress(scenario, namespace, dialled)?.host ?? dialled;
  return { kind: 'call', from: sources.names, host };
}

/** The workloads a source name stands for: `external`, one workload, or every workload with that app label. */
function sourcesOf(scenario: Scenario, name: string): { names: ReadonlySet<string>; namespace?: string } {
  if (name === 'external') return { names: new Set(['external']) };
  const byApp = scenario.workloads.filter((w) => w.labels['app'] === name || w.labels['app.kubernetes.io/name'] === name);
  if (byApp.length > 1 && !scenario.workloads.some((w) => w.name === name)) return { names: new Set(byApp.map((w) => w.name)), namespace: byApp[0]?.namespace };
  const ref = resolveWorkload(scenario, name, { role: `"${name}"` });
  return { names: new Set([ref.kind === 'pod' ? ref.workload : ref.name]), namespace: ref.namespace };
}

/** The pods of `name` (a workload, pod or app label) and the first time the timeline fails any of them. */
function failingOf(scenario: Scenario, name: string): { pods: ReadonlySet<string>; at: Micros } | undefined {
  const ref = resolveWorkload(scenario, name, { role: `"${name}"` });
  const pods = new Set(scenario.pods.filter((p) => (ref.kind === 'pod' ? p.name === ref.name : p.workload === ref.name && p.namespace === ref.namespace)).map((p) => p.name));
  let at: Micros | undefined;
  for (const entry of scenario.simulation.timeline) {
    if (entry.action.kind !== 'fail') continue;
    const target = entry.action.target;
    const hits = 'pod' in target ? pods.has(target.pod) : scenario.pods.some((p) => pods.has(p.name) && p.workload === target.workload);
    if (hits && (at === undefined || entry.at < at)) at = entry.at;
  }
  return at === undefined ? undefined : { pods, at };
}
