import { FAILURE_MODES, isFailureMode, type FailureMode, type FailureTarget, type TimelineAction, type TimelineEntry } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import type { SimulationRef } from './SimulationRef.ts';

/** Reads `spec.timeline`: failures and recoveries at points in virtual time. Entries with errors are left out. */
export function readTimeline(spec: FieldReader, refs: SimulationRef[]): TimelineEntry[] {
  return spec.mapItems('timeline').flatMap((entry) => readEntry(entry, refs) ?? []);
}

const ACTIONS = ['fail', 'recover', 'apply', 'delete', 'controlPlane'] as const;

function readEntry(entry: FieldReader, refs: SimulationRef[]): TimelineEntry | undefined {
  entry.allowOnly(['at', ...ACTIONS]);
  const at = entry.require('at') ? entry.duration('at') : undefined;
  const given = ACTIONS.filter((a) => entry.has(a));
  if (given.length !== 1) {
    entry.reporter.report('TimelineActionForm', entry.path);
    return undefined;
  }
  const action = readAction(given[0] as (typeof ACTIONS)[number], entry, refs);
  return at === undefined || !action ? undefined : { at, action };
}

function readAction(kind: (typeof ACTIONS)[number], entry: FieldReader, refs: SimulationRef[]): TimelineAction | undefined {
  switch (kind) {
    case 'fail':
      return readFail(entry.map('fail'), refs);
    case 'recover':
      return readRecover(entry.map('recover'), refs);
    case 'apply':
      return readApply(entry);
    case 'delete':
      return readDelete(entry.map('delete'));
    case 'controlPlane':
      return readControlPlane(entry);
  }
}

/** `apply:` holds a whole resource; it is checked like any document when the change is made. */
function readApply(entry: FieldReader): TimelineAction | undefined {
  const document = entry.map('apply');
  if (!document) return undefined;
  for (const field of ['apiVersion', 'kind', 'metadata']) document.require(field);
  if (!document.has('apiVersion') || !document.has('kind') || !document.has('metadata')) return undefined;
  return { kind: 'apply', document: document.value as Record<string, unknown>, path: document.path };
}

function readDelete(target: FieldReader | undefined): TimelineAction | undefined {
  if (!target) return undefined;
  target.allowOnly(['kind', 'name', 'namespace']);
  const kind = target.require('kind') ? target.string('kind') : undefined;
  const name = target.require('name') ? target.string('name') : undefined;
  if (kind === undefined || name === undefined) return undefined;
  return { kind: 'delete', resource: { kind, name, namespace: target.string('namespace') ?? 'default' } };
}

function readControlPlane(entry: FieldReader): TimelineAction | undefined {
  const state = entry.string('controlPlane');
  if (state === 'down' || state === 'up') return { kind: 'controlPlane', up: state === 'up' };
  if (state !== undefined) entry.invalid('controlPlane', `controlPlane must be down or up, not ${JSON.stringify(state)}`);
  return undefined;
}

function readFail(fail: FieldReader | undefined, refs: SimulationRef[]): TimelineAction | undefined {
  if (!fail) return undefined;
  fail.allowOnly(['workload', 'pod', 'mode', 'delay']);
  const target = readTarget(fail, refs);
  const mode = fail.require('mode') ? readMode(fail) : undefined;
  const delay = fail.duration('delay');
  if (mode === 'slow' && !fail.has('delay')) fail.reporter.report('SlowNeedsDelay', fail.pathOf('mode'));
  if (mode !== undefined && mode !== 'slow' && fail.has('delay')) {
    fail.reporter.report('DelayIgnored', fail.pathOf('delay'), { mode });
  }
  if (!target || mode === undefined || (mode === 'slow' && delay === undefined)) return undefined;
  return mode === 'slow' ? { kind: 'fail', target, mode, delay } : { kind: 'fail', target, mode };
}

function readRecover(recover: FieldReader | undefined, refs: SimulationRef[]): TimelineAction | undefined {
  if (!recover) return undefined;
  recover.allowOnly(['workload', 'pod']);
  const target = readTarget(recover, refs);
  return target ? { kind: 'recover', target } : undefined;
}

/** `mode` may be written as a number (`503`) or a string (`"503"`, `reset`). */
function readMode(fail: FieldReader): FailureMode | undefined {
  const raw = fail.value['mode'];
  const text = typeof raw === 'number' ? String(raw) : fail.string('mode');
  if (text === undefined) return undefined;
  if (isFailureMode(text)) return text;
  fail.invalid('mode', `mode must be one of ${FAILURE_MODES.join(', ')}, not ${JSON.stringify(text)}`);
  return undefined;
}

function readTarget(reader: FieldReader, refs: SimulationRef[]): FailureTarget | undefined {
  if (reader.has('workload') === reader.has('pod')) {
    reader.reporter.report('FailureTargetForm', reader.path);
    return undefined;
  }
  const kind = reader.has('workload') ? 'workload' : 'pod';
  const name = reader.string(kind);
  if (name === undefined) return undefined;
  refs.push({ kind, name, path: reader.pathOf(kind) });
  return kind === 'workload' ? { workload: name } : { pod: name };
}
