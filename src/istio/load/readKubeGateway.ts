import type { KubeGateway, KubeGatewayListener } from '../../model/index.ts';
import type { ClassifiedDocument } from './classifyDocument.ts';
import type { FieldReader } from './FieldReader.ts';
import { keptResource } from './readIstioResource.ts';
import { checkAgainstSchema } from './schema/checkAgainstSchema.ts';
import { schemaValidatorFor } from './schema/schemaValidatorFor.ts';

/** The class istiod's gateway controller owns (`istio.io/gateway-controller`): an ingress gateway it deploys. */
export const ISTIO_GATEWAY_CLASS = 'istio';

const FROM = ['Same', 'All', 'Selector'] as const;
const TLS_MODES = ['Terminate', 'Passthrough'] as const;

/**
 * A Gateway API `Gateway` of class `istio`, read with its listeners (the
 * Gateway API's `Listener`: name, port, protocol, hostname, tls,
 * allowedRoutes), checked against the Gateway API schema. Undefined for any
 * other class (the caller decides what those are). The document as written
 * is kept for export.
 */
export function readKubeGateway(d: ClassifiedDocument): KubeGateway | undefined {
  const spec = d.reader.map('spec');
  const gatewayClassName = spec?.string('gatewayClassName');
  if (!spec || gatewayClassName !== ISTIO_GATEWAY_CLASS) return undefined;
  const schema = schemaValidatorFor(d.header.apiVersion, d.header.kind);
  if (schema) checkAgainstSchema(schema, d.reader.value, d.reader.reporter);
  const listeners = spec.mapItems('listeners').flatMap((l) => readListener(l) ?? []);
  const resource = keptResource(d.header, { gatewayClassName, listeners });
  return { ...resource, document: keptResource<unknown>(d.header, d.reader.value['spec']) };
}

function readListener(listener: FieldReader): KubeGatewayListener | undefined {
  const name = listener.string('name');
  const port = listener.integer('port', { min: 1, max: 65535 });
  const protocol = listener.string('protocol');
  if (name === undefined || port === undefined || protocol === undefined) {
    for (const key of ['name', 'port', 'protocol']) listener.require(key);
    return undefined;
  }
  const out: KubeGatewayListener = { name, port, protocol };
  const hostname = listener.string('hostname');
  if (hostname !== undefined) out.hostname = hostname.toLowerCase();
  const tls = listener.map('tls');
  if (tls) {
    const mode = oneOf(tls, 'mode', TLS_MODES);
    const certificateRefs = tls.mapItems('certificateRefs').flatMap((ref) => {
      const refName = ref.string('name');
      if (refName === undefined) return [];
      const item: { group?: string; kind?: string; name: string; namespace?: string } = { name: refName };
      for (const key of ['group', 'kind', 'namespace'] as const) {
        const value = ref.string(key);
        if (value !== undefined) item[key] = value;
      }
      return [item];
    });
    out.tls = { ...(mode ? { mode } : {}), ...(tls.has('certificateRefs') ? { certificateRefs } : {}) };
  }
  const allowed = listener.map('allowedRoutes');
  if (allowed) {
    const namespaces = allowed.map('namespaces');
    const routes: NonNullable<KubeGatewayListener['allowedRoutes']> = {};
    if (namespaces) {
      const from = oneOf(namespaces, 'from', FROM);
      const matchLabels = namespaces.map('selector')?.stringMap('matchLabels');
      routes.namespaces = { ...(from ? { from } : {}), ...(namespaces.has('selector') ? { selector: matchLabels ? { matchLabels } : {} } : {}) };
    }
    if (allowed.has('kinds')) {
      routes.kinds = allowed.mapItems('kinds').flatMap((k) => {
        const kind = k.string('kind');
        if (kind === undefined) return [];
        const group = k.string('group');
        return [group === undefined ? { kind } : { group, kind }];
      });
    }
    out.allowedRoutes = routes;
  }
  return out;
}

function oneOf<T extends string>(reader: FieldReader, key: string, values: readonly T[]): T | undefined {
  const value = reader.string(key);
  if (value === undefined) return undefined;
  const known = values.find((v) => v === value);
  if (!known) reader.invalid(key, `must be one of ${values.join(', ')}, not ${JSON.stringify(value)}`);
  return known;
}
