import type { Diagnostic, MeshXds, Scenario } from '../model/index.ts';
import { analyzeScenario, BEFORE_RUNNING, compileMesh, loadScenario, resolveExternalAddress, resolveIngressAddress, resolveServiceAddress } from '../istio/index.ts';
import type { LoadOptions, SourceFile } from '../istio/index.ts';
import type { AddressResolver, ResolvedAddress } from '../engine/index.ts';

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
  return sessionOf(files, loaded.scenario, loaded.diagnostics);
}

/**
 * Compile → the checks that must pass before running, for a scenario already
 * loaded (or made from one: `compare` runs the same mesh under another flavor).
 */
export function sessionOf(files: SourceFile[], scenario: Scenario, loadDiagnostics: Diagnostic[] = []): OpenResult {
  const compiled = compileMesh(scenario);
  // What would make a run never end (app calls in a cycle) is refused here, before any run.
  const blocking = analyzeScenario(scenario, compiled.xds, BEFORE_RUNNING);
  const diagnostics = [...loadDiagnostics, ...compiled.diagnostics, ...blocking];
  if ([...compiled.diagnostics, ...blocking].some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  const memo = new Map<string, ResolvedAddress | undefined>();
  const resolve: AddressResolver = (fromNamespace, host, port, outside = false) => {
    const key = `${outside ? '' : fromNamespace}|${host}|${port ?? ''}`;
    if (memo.has(key)) return memo.get(key);
    const found = resolveServiceAddress(scenario, fromNamespace, host, port);
    // An outside client enters through the ingress gateway listening on its port, if one does: when it names no
    // Service, or names the Service in front of the gateway (its LoadBalancer), whose proxy then sees that host.
    const toGateway = found !== undefined && scenario.pods.some((p) => p.gateway && p.namespace === found.service.namespace && selects(found.service.selector, p.labels));
    const ingress = outside && (!found || toGateway) ? resolveIngressAddress(compiled.xds, host, found?.port ?? port) : undefined;
    const address = ingress ?? (found ? { host: found.host, port: found.port } : resolveExternalAddress(scenario, host, port));
    memo.set(key, address);
    return address;
  };
  return { ok: true, session: { files, scenario, xds: compiled.xds, resolve, diagnostics } };
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((key) => labels[key] === selector[key]);
}
