import type { Diagnostic } from '../../model/index.ts';
import { classifyKind, type Handling } from './classifyKind.ts';
import { FieldReader } from './FieldReader.ts';
import { readMetadata, resourceId } from './readMetadata.ts';
import type { ResourceHeader } from './readIstioResource.ts';
import type { RawDocument } from './readYamlFile.ts';
import { Reporter } from './Reporter.ts';

/** A document whose kind meshviz handles, with its metadata read. */
export interface ClassifiedDocument {
  handling: Exclude<Handling, 'ignored' | 'derived'>;
  header: ResourceHeader;
  reader: FieldReader;
  /** `Kind/namespace/name`, or `Kind/name` for cluster-scoped kinds. */
  id: string;
}

const CLUSTER_SCOPED: ReadonlySet<Handling> = new Set(['namespace', 'node', 'simulation']);

/**
 * ConfigMaps the cluster itself publishes into every namespace: the API
 * server's CA (kube-controller-manager's root-ca-cert publisher) and Istio's
 * root certificate (istiod's namespace controller). Understood, not reported.
 */
const PUBLISHED_CONFIG_MAPS: ReadonlySet<string> = new Set(['kube-root-ca.crt', 'istio-ca-root-cert']);

/** The mesh config as istiod reads it: the `istio` ConfigMap of istio-system. */
export function isMeshConfigMap(meta: { name: string; namespace: string }): boolean {
  return meta.name === 'istio' && meta.namespace === 'istio-system';
}

/**
 * Reads `apiVersion`, `kind` and `metadata` and decides what to do with a
 * document. Documents meshviz does not handle are reported (never skipped
 * in silence) and `undefined` is returned for them.
 */
export function classifyDocument(raw: RawDocument, order: number, sink: Diagnostic[]): ClassifiedDocument | undefined {
  const reporter = new Reporter(sink, raw.file, raw.positions, raw.source);
  const reader = FieldReader.of(reporter, raw.value, '');
  if (!reader) return undefined;
  const [hasApiVersion, hasKind] = [reader.require('apiVersion'), reader.require('kind')];
  const apiVersion = hasApiVersion ? reader.string('apiVersion') : undefined;
  const kind = hasKind ? reader.string('kind') : undefined;
  if (apiVersion === undefined || kind === undefined) return undefined;

  const kindClass = classifyKind(apiVersion, kind);
  reporter.resource = peekId(kind, raw.value);
  if (kindClass.kind === 'unknownKind') {
    reporter.report('UnknownKind', 'kind', { kind, apiVersion });
    return undefined;
  }
  if (kindClass.kind === 'unknownVersion') {
    reporter.report('UnknownApiVersion', 'apiVersion', { kind, apiVersion, supported: kindClass.supported });
    return undefined;
  }
  const { handling } = kindClass;
  if (handling === 'derived') return undefined;
  reporter.resource = peekId(kind, raw.value, !CLUSTER_SCOPED.has(handling));
  if (handling === 'ignored') {
    reporter.report('IgnoredKind', '', { kind });
    return undefined;
  }
  const meta = readMetadata(reader);
  if (!meta) return undefined;
  const id = resourceId(kind, meta, !CLUSTER_SCOPED.has(handling));
  reporter.resource = id;
  if (handling === 'configMap' && PUBLISHED_CONFIG_MAPS.has(meta.name)) return undefined;
  if (handling === 'configMap' && !isMeshConfigMap(meta)) {
    reporter.report('IgnoredKind', '', { kind });
    return undefined;
  }
  // Telemetry is kept with the other Istio kinds and read by the compiler (compileTelemetry.ts).
  if (handling === 'otherIstio' && kind !== 'Telemetry') reporter.report('NotSimulated', '', { kind });
  return { handling, header: { apiVersion, kind, meta, order, raw }, reader, id };
}

/**
 * A best-effort id before metadata is validated, so early findings still name
 * their resource. `namespaced` is unknown for unknown kinds.
 */
function peekId(kind: string, value: Record<string, unknown>, namespaced?: boolean): string | undefined {
  const metadata = value['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { name, namespace } = metadata as Record<string, unknown>;
  if (typeof name !== 'string') return undefined;
  if (namespaced === false) return `${kind}/${name}`;
  if (typeof namespace === 'string') return `${kind}/${namespace}/${name}`;
  return namespaced ? `${kind}/default/${name}` : `${kind}/${name}`;
}
