import { EXTERNAL, formatDuration } from '../../model/index.ts';
import type { FailureTarget, Micros, SimulationSpec, TimelineAction, TrafficSpec } from '../../model/index.ts';

/** One timeline action of the scenario, in words. */
export interface StoryStep {
  at: Micros;
  text: string;
}

/** One traffic source of the scenario, in words. */
export interface StoryTraffic {
  name: string;
  text: string;
  /** Requests it sends in all. */
  total: number;
}

export interface StoryPlan {
  traffic: StoryTraffic[];
  steps: StoryStep[];
  /** When its last traffic stops starting or its last step happens (virtual µs). */
  length: Micros;
}

/** The Simulation document's own traffic and timeline, as a learner reads them. */
export function storyPlan(spec: SimulationSpec): StoryPlan {
  return {
    traffic: spec.traffic.map((t) => ({ name: t.name, text: describeTraffic(t), total: totalOf(t) })),
    steps: [...spec.timeline].sort((a, b) => a.at - b.at).map((entry) => describeAction(entry.at, entry.action)),
    length: Math.max(0, ...spec.timeline.map((e) => e.at), ...spec.traffic.map((t) => t.start + (t.load.kind === 'open' ? t.load.duration : 0))),
  };
}

export function describeAction(at: Micros, action: TimelineAction): StoryStep {
  switch (action.kind) {
    case 'fail':
      return { at, text: `${targetName(action.target)} starts failing (${action.mode}${action.delay ? `, +${formatDuration(action.delay)}` : ''})` };
    case 'recover':
      return { at, text: `${targetName(action.target)} recovers` };
    case 'apply':
      return { at, text: `apply ${String(action.document['kind'] ?? 'a resource')} ${nameOf(action.document)}` };
    case 'delete':
      return { at, text: `delete ${action.resource.kind} ${action.resource.namespace}/${action.resource.name}` };
    case 'controlPlane':
      return { at, text: action.up ? 'istiod comes back' : 'istiod goes down: proxies keep their config, certificates stop renewing' };
    default: {
      const never: never = action;
      throw new Error(`unknown timeline action ${JSON.stringify(never)}`);
    }
  }
}

function describeTraffic(t: TrafficSpec): string {
  const from = t.from === EXTERNAL ? 'an outside client' : t.from;
  const to = `${t.host}${t.port ? `:${t.port}` : ''}${t.path}`;
  const start = t.start > 0 ? `, from ${formatDuration(t.start)}` : '';
  return t.load.kind === 'open'
    ? `${from} → ${to}, ${t.load.rps} req/s for ${formatDuration(t.load.duration)}${start}`
    : `${from} → ${to}, ${t.load.requests} requests over ${t.load.connections} connection${t.load.connections === 1 ? '' : 's'}${start}`;
}

function totalOf(t: TrafficSpec): number {
  return t.load.kind === 'open' ? Math.floor((t.load.duration * t.load.rps) / 1_000_000) : t.load.requests;
}

function targetName(target: FailureTarget): string {
  return 'workload' in target ? target.workload : `pod ${target.pod}`;
}

function nameOf(document: Record<string, unknown>): string {
  const metadata = document['metadata'] as { name?: unknown; namespace?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '?';
  return typeof metadata?.namespace === 'string' ? `${metadata.namespace}/${name}` : name;
}
