import type { Controller } from './Controller.ts';
import { SPEEDS } from './speeds.ts';
import type { UrlState } from './urlState.ts';

/** What a link or a reload should restore of the controller's controls. */
export function urlStateOf(c: Controller): UrlState {
  const weights: Record<string, number[]> = {};
  const baseRoutes = c.scene.baseRoutes;
  for (const r of c.scene.live.routes()) {
    const now = r.destinations.map((d) => d.weight);
    const before = baseRoutes.find((b) => b.key === r.key)?.destinations.map((d) => d.weight);
    if (before?.join() !== now.join()) weights[r.key] = now;
  }
  const mtls = c.scene.live.mtls();
  return { scenario: c.scene.id, from: c.from, to: c.to, path: c.path, speed: c.speed, rate: c.rate, failing: { ...c.failing }, weights, mtls: mtls.fromPolicy ? mtls.mode : undefined, caller: c.caller, view: c.view };
}

/** Sets the controls a link carries, skipping what the loaded scenario does not have. */
export function restoreControls(c: Controller, state: UrlState): void {
  const { scene } = c;
  if (state.from && c.sources().includes(state.from)) c.from = state.from;
  if (state.to && (c.destinations().some((g) => g.id === state.to) || c.externalDestinations().some((d) => d.id === state.to))) c.to = state.to;
  if (state.path) c.path = state.path;
  if (state.speed && SPEEDS.includes(state.speed)) c.speed = state.speed;
  if (state.rate) c.rate = state.rate;
  for (const [key, weights] of Object.entries(state.weights)) c.setWeights(key, weights);
  if (state.mtls) c.setMtls(state.mtls);
  for (const [pod, mode] of Object.entries(state.failing)) if (scene.live.pod(pod)) c.setFailing(pod, mode);
  if (state.caller && scene.live.hasSidecar(state.caller)) c.caller = state.caller;
  if (state.view) c.view = state.view;
}
