import type { Diagnostic, Severity, SourcePos } from '../model/index.ts';

/**
 * The one catalog of diagnostics, in the manner of Istio's `messages.yaml`:
 * every finding has a stable code, a default severity and a message template.
 *
 * Code ranges: MV0001–0099 loading and YAML, MV0100–0199 the Simulation
 * document, MV0200–0299 references between documents. Codes are never reused:
 * a retired entry keeps its number, commented out.
 */

interface Entry<Params extends unknown[]> {
  code: string;
  severity: Severity;
  message: (...params: Params) => string;
}

function entry<Params extends unknown[]>(
  code: string,
  severity: Severity,
  message: (...params: Params) => string,
): Entry<Params> {
  return { code, severity, message };
}

const quoted = (text: string): string => JSON.stringify(text);
const didYouMean = (suggestion?: string): string => (suggestion ? ` (did you mean ${quoted(suggestion)}?)` : '');

export const catalog = {
  // Loading and YAML: 0001–0099.
  FileTooLarge: entry('MV0001', 'error', (p: { bytes: number; limit: number }) =>
    `file is ${p.bytes} bytes, over the limit of ${p.limit} bytes`),
  BinaryFile: entry('MV0002', 'error', () => 'file contains NUL bytes: it looks binary, not YAML'),
  NotUtf8: entry('MV0003', 'error', () =>
    'file contains U+FFFD replacement characters: it was probably not UTF-8 text'),
  EmptyFile: entry('MV0004', 'info', () => 'file is empty: nothing to load'),
  YamlSyntax: entry('MV0005', 'error', (p: { detail: string }) => `YAML syntax error: ${p.detail}`),
  DuplicateKey: entry('MV0006', 'error', (p: { detail: string }) => `duplicate key: ${p.detail}`),
  AliasLimit: entry('MV0007', 'error', (p: { limit: number }) =>
    `more than ${p.limit} alias expansions in one document: refusing a possible alias bomb`),
  YamlWarning: entry('MV0008', 'warning', (p: { detail: string }) => `YAML: ${p.detail}`),
  NestingTooDeep: entry('MV0009', 'error', (p: { limit: number }) =>
    `document is nested more than ${p.limit} levels deep`),
  ForbiddenKey: entry('MV0010', 'warning', (p: { key: string }) =>
    `key ${quoted(p.key)} is not allowed and was dropped`),
  ComplexKey: entry('MV0011', 'warning', () => 'a mapping or sequence used as a key was dropped'),
  DocumentNotMapping: entry('MV0012', 'error', (p: { actual: string }) =>
    `a document must be a mapping with apiVersion, kind and metadata, not ${p.actual}`),

  MissingField: entry('MV0020', 'error', (p: { field: string }) => `required field ${quoted(p.field)} is missing`),
  UnknownKind: entry('MV0021', 'warning', (p: { kind: string; apiVersion: string }) =>
    `unknown kind ${p.kind} (${p.apiVersion}): skipped`),
  UnknownApiVersion: entry('MV0022', 'warning', (p: { kind: string; apiVersion: string; supported: string[] }) =>
    `${p.kind} is not known in apiVersion ${p.apiVersion} (supported: ${p.supported.join(', ')}): skipped`),
  NotSimulated: entry('MV0023', 'info', (p: { kind: string }) => `${p.kind} is kept but not simulated yet`),
  IgnoredKind: entry('MV0024', 'info', (p: { kind: string }) => `${p.kind} does not affect the mesh: ignored`),
  DuplicateResource: entry('MV0025', 'warning', (p: { earlier: string }) =>
    `same name as ${p.earlier} defined earlier; the later one wins`),
  ReplicasOverLimit: entry('MV0026', 'error', (p: { replicas: number; limit: number }) =>
    `${p.replicas} replicas is over meshviz's limit of ${p.limit} pods per workload`),
  NamedTargetPortUnresolved: entry('MV0027', 'warning', (p: { name: string; port: number }) =>
    `targetPort ${quoted(p.name)} names no containerPort of the selected pods; using port ${p.port}`),
  InvalidName: entry('MV0028', 'warning', (p: { name: string }) =>
    `${quoted(p.name)} is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`),
  LabelNotString: entry('MV0029', 'warning', (p: { value: string }) =>
    `label and annotation values must be strings; read as ${quoted(p.value)} (quote it)`),
  TooManyPods: entry('MV0030', 'error', (p: { limit: number }) =>
    `the scenario has more than ${p.limit} pods, meshviz's limit; the rest were left out`),

  WrongType: entry('MV0040', 'error', (p: { expected: string; actual: string }) =>
    `expected ${p.expected}, got ${p.actual}`),
  UnknownField: entry('MV0041', 'warning', (p: { field: string; suggestion?: string }) =>
    `unknown field ${quoted(p.field)}${didYouMean(p.suggestion)}`),
  InvalidValue: entry('MV0042', 'error', (p: { detail: string }) => p.detail),
  InvalidDuration: entry('MV0043', 'error', (p: { text: string }) =>
    `${quoted(p.text)} is not a duration (write e.g. 10ms, 1.5s, 1m30s)`),
  DurationNeedsUnit: entry('MV0044', 'error', (p: { value: number }) =>
    `a duration needs a unit: write ${p.value}ms or ${p.value}s, not ${p.value}`),

  InternalError: entry('MV0098', 'error', (p: { detail: string }) => `internal error while loading: ${p.detail}`),

  // The Simulation document: 0100–0199.
  DuplicateSimulation: entry('MV0100', 'error', (p: { first: string }) =>
    `only one Simulation document is allowed; ${p.first} came first and this one is ignored`),
  UnsupportedFlavor: entry('MV0101', 'error', (p: { flavor: string }) =>
    `flavor ${quoted(p.flavor)} is not supported (supported: istio)`),
  LatencyForm: entry('MV0102', 'error', (p: { detail: string }) =>
    `latency needs either {fixed} or {p50, p99}: ${p.detail}`),
  TrafficLoadForm: entry('MV0103', 'error', (p: { detail: string }) =>
    `traffic needs either rps and duration (open loop) or connections and requests (closed loop): ${p.detail}`),
  TimelineActionForm: entry('MV0104', 'error', () =>
    'a timeline entry needs exactly one of fail, recover, apply, delete or controlPlane'),
  FailureTargetForm: entry('MV0105', 'error', () => 'a failure target needs exactly one of workload or pod'),
  SlowNeedsDelay: entry('MV0106', 'error', () => 'mode slow needs a delay, e.g. delay: 2s'),
  DelayIgnored: entry('MV0107', 'warning', (p: { mode: string }) => `delay only applies to mode slow, not ${p.mode}`),
  InvalidHostPort: entry('MV0108', 'error', (p: { text: string }) =>
    `${quoted(p.text)} is not host[:port] (e.g. users:8080 or users.default.svc.cluster.local)`),
  DuplicateTrafficName: entry('MV0109', 'error', (p: { name: string }) => `traffic name ${quoted(p.name)} is used twice`),

  // References between documents: 0200–0299.
  UnknownTrafficSource: entry('MV0200', 'error', (p: { name: string }) =>
    `no Deployment named ${quoted(p.name)} (use a Deployment name or "external")`),
  UnknownService: entry('MV0201', 'error', (p: { host: string; namespace: string }) =>
    `${quoted(p.host)} resolves to no Service when dialled from namespace ${p.namespace}`),
  UnknownServicePort: entry('MV0202', 'error', (p: { service: string; port: number; ports: number[] }) =>
    `Service ${p.service} has no port ${p.port} (ports: ${p.ports.join(', ') || 'none'})`),
  UnknownWorkload: entry('MV0203', 'error', (p: { name: string }) => `no Deployment named ${quoted(p.name)}`),
  UnknownPod: entry('MV0204', 'error', (p: { name: string }) => `no pod named ${quoted(p.name)}`),
  AmbiguousWorkload: entry('MV0205', 'warning', (p: { name: string; namespaces: string[] }) =>
    `${quoted(p.name)} names Deployments in several namespaces (${p.namespaces.join(', ')}); this applies to all`),
} as const;

export type DiagnosticName = keyof typeof catalog;

/** The parameters the message template of `name` needs (none for some entries). */
export type DiagnosticParams<N extends DiagnosticName> = Parameters<(typeof catalog)[N]['message']>;

/** Where a diagnostic points; every part is optional. */
export interface DiagnosticLocation {
  resource?: string;
  path?: string;
  source?: SourcePos;
  /** Overrides the catalog's default severity. */
  severity?: Severity;
}

/** Builds a Diagnostic from a catalog entry, its parameters and a location. */
export function diagnostic<N extends DiagnosticName>(
  name: N,
  at: DiagnosticLocation,
  ...params: DiagnosticParams<N>
): Diagnostic {
  const { code, severity, message } = catalog[name] as Entry<DiagnosticParams<N>>;
  const result: Diagnostic = { code, severity: at.severity ?? severity, message: message(...params) };
  if (at.resource !== undefined) result.resource = at.resource;
  if (at.path !== undefined && at.path !== '') result.path = at.path;
  if (at.source !== undefined) result.source = at.source;
  return result;
}
