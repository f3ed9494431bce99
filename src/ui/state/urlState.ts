import { isFailureMode, type FailureMode } from '../../model/index.ts';
import { MTLS_MODES } from '../../api/index.ts';
import type { MtlsMode } from '../../api/index.ts';

/** What a link or a reload restores: the scenario and every control. */
export interface UrlState {
  scenario: string;
  from?: string;
  to?: string;
  path?: string;
  speed?: number;
  rate?: number;
  /** Pod → failure mode. */
  failing: Record<string, FailureMode>;
  /** Canary route key → weights, in the route's destination order. */
  weights: Record<string, number[]>;
  mtls?: MtlsMode;
  /** Whose sidecar the outlier grid shows. */
  caller?: string;
  /** The picture shown: pods (the default) or the service graph. */
  view?: MeshViewName;
}

export type MeshViewName = 'pods' | 'graph';

export function encodeUrlState(state: UrlState): string {
  const q = new URLSearchParams();
  q.set('s', state.scenario);
  if (state.from) q.set('from', state.from);
  if (state.to) q.set('to', state.to);
  if (state.path && state.path !== '/') q.set('path', state.path);
  if (state.speed !== undefined) q.set('speed', String(state.speed));
  if (state.rate !== undefined) q.set('rate', String(state.rate));
  const failing = Object.entries(state.failing).map(([pod, mode]) => `${pod}:${mode}`);
  if (failing.length) q.set('fail', failing.join(','));
  const weights = Object.entries(state.weights).map(([key, w]) => `${key}:${w.join('.')}`);
  if (weights.length) q.set('w', weights.join(','));
  if (state.mtls) q.set('mtls', state.mtls);
  if (state.caller) q.set('caller', state.caller);
  if (state.view === 'graph') q.set('view', 'graph');
  return q.toString();
}

/**
 * A page address's state text: the fragment (what the page writes) with the
 * query's parameters under it, so a link typed by hand as
 * `…/?view=graph` works as `…/#view=graph` does; the fragment wins where
 * both name a parameter.
 */
export function urlStateText(search: string, hash: string): string {
  const q = new URLSearchParams(search.replace(/^\?/, ''));
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) q.set(k, v);
  return q.toString();
}

/** Reads a state back; anything malformed is dropped rather than trusted. */
export function decodeUrlState(text: string): UrlState {
  const q = new URLSearchParams(text.replace(/^#/, ''));
  const state: UrlState = { scenario: q.get('s') ?? 'default', failing: {}, weights: {} };
  const str = (k: string) => q.get(k) ?? undefined;
  state.from = str('from');
  state.to = str('to');
  state.path = str('path');
  state.caller = str('caller');
  state.speed = positive(q.get('speed'));
  state.rate = positive(q.get('rate'));
  for (const item of (q.get('fail') ?? '').split(',').filter(Boolean)) {
    const i = item.lastIndexOf(':');
    const mode = item.slice(i + 1);
    if (i > 0 && isFailureMode(mode)) state.failing[item.slice(0, i)] = mode;
  }
  for (const item of (q.get('w') ?? '').split(',').filter(Boolean)) {
    const i = item.lastIndexOf(':');
    const weights = item.slice(i + 1).split('.').map(Number);
    if (i > 0 && weights.every((w) => Number.isInteger(w) && w >= 0 && w <= 100)) state.weights[item.slice(0, i)] = weights;
  }
  const mtls = q.get('mtls') as MtlsMode | null;
  if (mtls && MTLS_MODES.includes(mtls)) state.mtls = mtls;
  if (q.get('view') === 'graph') state.view = 'graph';
  return state;
}

function positive(text: string | null): number | undefined {
  const n = Number(text);
  return text !== null && Number.isFinite(n) && n > 0 ? n : undefined;
}
