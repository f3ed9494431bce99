import type { Diagnostic, MeshXds, Scenario } from '../model/index.ts';
import { analyzeScenario, BEFORE_RUNNING, compileMesh, loadScenario, resolveExternalAddress, resolveServiceAddress } from '../istio/index.ts';
import type { LoadOptions, SourceFile } from '../istio/index.ts';
import type { AddressResolver } from '../engine/index.ts';

/**
 * A loaded and compiled scenario: what every command and view starts from.
 * Holds no simulation state; each run builds its own Simulation from it.
 */
export interface Session {
  /** The files the session was opened from (the control plane reloads them on live changes). */
  files: SourceFile[];
  scenario: Scenario;
  xds: MeshXds;
  resolve: AddressResolver;
  diagnostics: Diagnostic[];
}

export type OpenResult = { ok: true; session: Session } | { ok: false; diagnostics: Diagnostic[] };

/** Load → compile → the checks that must pass before running. Any error-severity diagnostic makes the result not ok. */
export function openSession(files: SourceFile[], options: LoadOptions = {}): OpenResult {
  const loaded = loadScenario(files, options);
  if (loaded.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: loaded.diagnostics };
  const compiled = compileMesh(loaded.scenario);
  // What would make a run never end (app calls in a cycle) is refused here, before any run.
  const blocking = analyzeScenario(loaded.scenario, compiled.xds, BEFORE_RUNNING);
  const diagnostics = [...loaded.diagnostics, ...compiled.diagnostics, ...blocking];
  if ([...compiled.diagnostics, ...blocking].some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const scenario = loaded.scenario;
  const memo = new Map<string, { host: string; port: number } | undefined>();
  const resolve: AddressResolver = (fromNamespace, host, port) => {
    const key = `${fromNamespace}|${host}|${port ?? ''}`;
    if (memo.has(key)) return memo.get(key);
    const found = resolveServiceAddress(scenario, fromNamespace, host, port);
    const address = found ? { host: found.host, port: found.port } : resolveExternalAddress(scenario, host, port);
    memo.set(key, address);
    return address;
  };
  return { ok: true, session: { files, scenario, xds: compiled.xds, resolve, diagnostics } };
}
