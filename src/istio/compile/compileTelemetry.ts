import { defaultTelemetryPolicy, ISTIO_METRICS, oldestFirst } from '../../model/index.ts';
import type { IstioMetric, MetricsPolicy, Resource, Scenario, TagValue, TelemetryPolicy } from '../../model/index.ts';
import type { DiagnosticSink } from './DiagnosticSink.ts';
import { matchesLabels } from '../../model/index.ts';

/** The parts of a `Telemetry` spec (telemetry.istio.io v1) meshviz reads; the loader has checked it against Istio's CRD schema. */
interface TelemetrySpec {
  selector?: { matchLabels?: Record<string, string> };
  targetRefs?: unknown[];
  targetRef?: unknown;
  metrics?: Array<{
    providers?: Array<{ name?: string }>;
    overrides?: Array<{
      match?: { metric?: string; mode?: string; customMetric?: string };
      disabled?: boolean;
      tagOverrides?: Record<string, { operation?: string; value?: string }>;
    }>;
    reportingInterval?: string;
  }>;
  tracing?: Array<{
    providers?: Array<{ name?: string }>;
    randomSamplingPercentage?: number;
    disableSpanReporting?: boolean;
    customTags?: unknown;
    match?: { mode?: string };
  }>;
  accessLogging?: Array<{ providers?: Array<{ name?: string }>; disabled?: boolean; match?: { mode?: string }; filter?: unknown }>;
}

type Telemetry = Resource<TelemetrySpec>;

/** The providers whose output meshviz writes: `prometheus` (metrics), `envoy` (access logs); any tracing provider stands for the OTLP file. */
const METRICS_PROVIDER = 'prometheus';
const ACCESS_LOG_PROVIDER = 'envoy';

/**
 * Which Telemetry resources apply to each sidecar, and what they add up to
 * (Istio's precedence, istio.io `reference/config/telemetry`: the root
 * namespace's Telemetry without a selector is mesh-wide, a namespace's one
 * without a selector is namespace-wide, one with a selector is per workload;
 * the most specific wins, metric overrides apply in that order). Several
 * Telemetry without a selector in one namespace: Istio takes the oldest.
 * Returns undefined when the scenario has no Telemetry resource.
 */
export function compileTelemetry(scenario: Scenario, diagnostics: DiagnosticSink): Record<string, TelemetryPolicy> | undefined {
  const all = scenario.otherResources.filter((r): r is Telemetry => r.kind === 'Telemetry').sort(oldestFirst);
  if (all.length === 0) return undefined;
  for (const t of all) lintTelemetry(t, diagnostics);
  const scopeOf = (namespace: string): Telemetry | undefined => {
    const wide = all.filter((t) => t.metadata.namespace === namespace && !hasTarget(t));
    for (const extra of wide.slice(1)) diagnostics.report('TelemetryConflict', { resource: extra }, { namespace, used: `${wide[0]?.metadata.name}` });
    return wide[0];
  };
  const mesh = scopeOf(scenario.mesh.rootNamespace);
  const namespaces = new Map<string, Telemetry | undefined>();
  const policies: Record<string, TelemetryPolicy> = Object.create(null) as Record<string, TelemetryPolicy>;
  for (const pod of scenario.pods) {
    if (!pod.sidecar) continue;
    if (!namespaces.has(pod.namespace)) namespaces.set(pod.namespace, pod.namespace === scenario.mesh.rootNamespace ? undefined : scopeOf(pod.namespace));
    const workload = all.find((t) => t.metadata.namespace === pod.namespace && t.spec.selector && matchesLabels(t.spec.selector.matchLabels, pod.labels));
    policies[pod.name] = policyOf([mesh, namespaces.get(pod.namespace), workload]);
  }
  return policies;
}

function hasTarget(t: Telemetry): boolean {
  return t.spec.selector !== undefined || t.spec.targetRefs !== undefined || t.spec.targetRef !== undefined;
}

function policyOf(levels: Array<Telemetry | undefined>): TelemetryPolicy {
  const policy = defaultTelemetryPolicy();
  for (const t of levels) {
    if (!t) continue;
    for (const m of t.spec.metrics ?? []) {
      if (!forProvider(m.providers, METRICS_PROVIDER)) continue;
      for (const o of m.overrides ?? []) {
        if (o.match?.customMetric !== undefined) continue;
        const metrics = metricsOf(o.match?.metric);
        for (const side of sidesOf(o.match?.mode)) applyOverride(policy.metrics[side], metrics, o);
      }
    }
    for (const a of t.spec.accessLogging ?? []) {
      if (!forProvider(a.providers, ACCESS_LOG_PROVIDER)) continue;
      for (const side of sidesOf(a.match?.mode)) policy.accessLog[side] = a.disabled !== true;
    }
    for (const tr of t.spec.tracing ?? []) {
      if (tr.randomSamplingPercentage !== undefined) policy.tracingSampling = tr.randomSamplingPercentage;
      if (tr.disableSpanReporting !== undefined) policy.spansDisabled = tr.disableSpanReporting;
    }
  }
  return policy;
}

function applyOverride(into: MetricsPolicy, metrics: readonly IstioMetric[], o: NonNullable<NonNullable<TelemetrySpec['metrics']>[number]['overrides']>[number]): void {
  for (const metric of metrics) {
    if (o.disabled === true && !into.disabled.includes(metric)) into.disabled.push(metric);
    if (o.disabled === false) into.disabled = into.disabled.filter((d) => d !== metric);
    for (const [tag, change] of Object.entries(o.tagOverrides ?? {})) {
      if (change.operation === 'REMOVE') into.tags[metric].push({ op: 'remove', tag });
      else into.tags[metric].push({ op: 'upsert', tag, value: tagValue(change.value ?? '') ?? { kind: 'literal', value: 'unknown' } });
    }
  }
}

/** `match.metric`: one HTTP or TCP metric, `ALL_METRICS` (the default), or a gRPC streaming metric, which the simulation never reports. */
function metricsOf(metric: string | undefined): readonly IstioMetric[] {
  if (metric === undefined || metric === 'ALL_METRICS') return ISTIO_METRICS;
  return (ISTIO_METRICS as readonly string[]).includes(metric) ? [metric as IstioMetric] : [];
}

/** `match.mode`: CLIENT_AND_SERVER when absent. */
function sidesOf(mode: string | undefined): Array<'client' | 'server'> {
  if (mode === 'CLIENT') return ['client'];
  if (mode === 'SERVER') return ['server'];
  return ['client', 'server'];
}

function forProvider(providers: Array<{ name?: string }> | undefined, name: string): boolean {
  return providers === undefined || providers.length === 0 || providers.some((p) => p.name === name);
}

/**
 * The tag value expressions meshviz evaluates (Istio's are CEL over Envoy's
 * attributes): a quoted string, `request.host|method|path|url_path|scheme|protocol`,
 * `request.headers['name']`.
 */
export function tagValue(expression: string): TagValue | undefined {
  const text = expression.trim();
  const quoted = /^(['"])(.*)\1$/.exec(text);
  if (quoted) return { kind: 'literal', value: quoted[2] as string };
  const field = /^request\.(host|method|path|url_path|scheme|protocol)$/.exec(text);
  if (field) return { kind: 'request', field: field[1] as 'host' };
  const header = /^request\.headers\[(['"])([^'"]+)\1\]$/.exec(text);
  if (header) return { kind: 'header', name: (header[2] as string).toLowerCase() };
  return undefined;
}

/** What a Telemetry asks for that meshviz does not simulate, each at its field. */
function lintTelemetry(t: Telemetry, diagnostics: DiagnosticSink): void {
  const provider = (providers: Array<{ name?: string }> | undefined, path: string, simulated: string | undefined): void => {
    providers?.forEach((p, i) => {
      if (simulated !== undefined && p.name !== simulated) diagnostics.report('TelemetryProviderNotSimulated', { resource: t, path: `${path}.providers[${i}].name` }, { provider: p.name ?? '' });
    });
  };
  const field = (present: boolean, path: string, what: string): void => {
    if (present) diagnostics.report('TelemetryFieldNotSimulated', { resource: t, path }, { what });
  };
  field(t.spec.targetRefs !== undefined || t.spec.targetRef !== undefined, 'spec.targetRefs', 'targetRefs (Gateway API targets)');
  t.spec.metrics?.forEach((m, i) => {
    provider(m.providers, `spec.metrics[${i}]`, METRICS_PROVIDER);
    field(m.reportingInterval !== undefined, `spec.metrics[${i}].reportingInterval`, 'reportingInterval (the scrape interval is --scrape-interval)');
    m.overrides?.forEach((o, j) => {
      const at = `spec.metrics[${i}].overrides[${j}]`;
      field(o.match?.customMetric !== undefined, `${at}.match.customMetric`, 'customMetric');
      for (const [tag, change] of Object.entries(o.tagOverrides ?? {})) {
        if (change.operation !== 'REMOVE' && tagValue(change.value ?? '') === undefined) {
          diagnostics.report('TelemetryTagValueNotSimulated', { resource: t, path: `${at}.tagOverrides.${tag}.value` }, { expression: change.value ?? '' });
        }
      }
    });
  });
  t.spec.accessLogging?.forEach((a, i) => {
    provider(a.providers, `spec.accessLogging[${i}]`, ACCESS_LOG_PROVIDER);
    field(a.filter !== undefined, `spec.accessLogging[${i}].filter`, 'access-log filter expressions (every request is logged)');
  });
  t.spec.tracing?.forEach((tr, i) => {
    field(tr.customTags !== undefined, `spec.tracing[${i}].customTags`, 'customTags');
    field(tr.match !== undefined, `spec.tracing[${i}].match`, 'tracing match.mode (both sidecars report spans)');
  });
}
