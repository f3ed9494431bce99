import { readFileSync } from 'node:fs';
import { openSession } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import type { TrafficSpec } from '../../src/model/index.ts';

/** A built-in scenario (`scenarios/<name>.yaml`), loaded and compiled. */
export function builtIn(name: string): Session {
  const opened = openSession([{ name, text: readFileSync(scenarioPath(name), 'utf8') }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

export function scenarioPath(name: string): URL {
  return new URL(`../../scenarios/${name}.yaml`, import.meta.url);
}

/** The scenario's first traffic source. */
export function firstTraffic(session: Session): TrafficSpec {
  const traffic = session.scenario.simulation.traffic[0];
  if (!traffic) throw new Error('the scenario has no traffic');
  return traffic;
}

export function withTraffic(session: Session, traffic: TrafficSpec[]): Session {
  return { ...session, scenario: { ...session.scenario, simulation: { ...session.scenario.simulation, traffic } } };
}

export function openLoop(base: TrafficSpec, rps: number, seconds: number): TrafficSpec {
  return { ...base, load: { kind: 'open', rps, duration: seconds * 1_000_000 } };
}

/** Client-sidecar → server-sidecar attempts: what every pod received. */
export function requestHops(pods: ReadonlyArray<{ received: number }> | Readonly<Record<string, { received: number }>>): number {
  let hops = 0;
  for (const pod of Object.values(pods)) hops += pod.received;
  return hops;
}
