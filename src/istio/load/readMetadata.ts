import type { ObjectMeta } from '../../model/index.ts';
import { describe } from './describe.ts';
import type { FieldReader } from './FieldReader.ts';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The `Kind/namespace/name` (or `Kind/name` when cluster-scoped) that diagnostics name. */
export function resourceId(kind: string, meta: Pick<ObjectMeta, 'name' | 'namespace'>, namespaced = true): string {
  return namespaced ? `${kind}/${meta.namespace}/${meta.name}` : `${kind}/${meta.name}`;
}

/**
 * Reads `metadata` of a document. Returns `undefined` (reported) without a
 * name; the namespace defaults to `default` as `kubectl apply` would.
 */
export function readMetadata(document: FieldReader): ObjectMeta | undefined {
  if (!document.require('metadata')) return undefined;
  const metadata = document.map('metadata');
  if (!metadata || !metadata.require('name')) return undefined;
  const name = metadata.string('name');
  if (name === undefined) return undefined;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) metadata.reporter.report('InvalidName', metadata.pathOf('name'), { name });
  const namespace = metadata.string('namespace') ?? 'default';
  if (!DNS_SUBDOMAIN.test(namespace)) {
    metadata.reporter.report('InvalidName', metadata.pathOf('namespace'), { name: namespace });
  }
  const meta: ObjectMeta = { name, namespace, labels: readLabels(metadata, 'labels'), annotations: readLabels(metadata, 'annotations') };
  const created = metadata.string('creationTimestamp');
  if (created !== undefined && !Number.isNaN(Date.parse(created))) meta.creationTimestamp = created;
  return meta;
}

/**
 * A label or annotation map. Kubernetes rejects non-string values; people
 * still write `sidecar.istio.io/inject: false`, so scalars are read as their
 * text with a warning rather than lost.
 */
export function readLabels(reader: FieldReader | undefined, key: string): Record<string, string> {
  const result = Object.create(null) as Record<string, string>;
  const labels = reader?.map(key);
  if (!labels) return result;
  for (const name of labels.keys()) {
    const value = labels.value[name];
    if (typeof value === 'string') {
      result[name] = value;
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      result[name] = String(value);
      labels.reporter.report('LabelNotString', labels.pathOf(name), { value: String(value) });
    } else if (value === null) {
      result[name] = '';
    } else {
      labels.reporter.report('WrongType', labels.pathOf(name), { expected: 'a string', actual: describe(value) });
    }
  }
  return result;
}
