import type {
  LinkerdAuthorizationPolicySpec,
  MeshTLSAuthenticationSpec,
  Resource,
  ServerSpec,
} from '../../../model/index.ts';
import type { FieldReader } from '../FieldReader.ts';
import { readLabels } from '../readMetadata.ts';
import type { ResourceHeader } from '../readIstioResource.ts';
import { readSpec } from './readSpec.ts';

const ACCESS_POLICIES = ['deny', 'all-authenticated', 'all-unauthenticated', 'cluster-authenticated', 'cluster-unauthenticated', 'audit'] as const;

/**
 * Linkerd's authorization kinds (policy.linkerd.io), the fields the proxy
 * enforces: a Server (pods by `podSelector.matchLabels`, a port by number or
 * name, its default `accessPolicy`), an AuthorizationPolicy (a Server it
 * targets, the MeshTLSAuthentications it requires) and a
 * MeshTLSAuthentication (identities, or ServiceAccounts by reference).
 */
export function readLinkerdServer(header: ResourceHeader, document: FieldReader): Resource<ServerSpec> | undefined {
  return readSpec(header, document, (spec) => {
    spec.allowOnly(['podSelector', 'port', 'proxyProtocol', 'accessPolicy']);
    if (!spec.require('port')) return undefined;
    const port = spec.value['port'];
    if (typeof port !== 'string' && typeof port !== 'number') {
      spec.invalid('port', 'port must be a port number or the name of a container port');
      return undefined;
    }
    const selector = spec.map('podSelector');
    selector?.allowOnly(['matchLabels', 'matchExpressions']);
    const out: ServerSpec = { port, podSelector: { matchLabels: readLabels(selector, 'matchLabels') } };
    const proxyProtocol = spec.string('proxyProtocol');
    if (proxyProtocol !== undefined) out.proxyProtocol = proxyProtocol;
    const access = spec.string('accessPolicy');
    if (access !== undefined) {
      const known = ACCESS_POLICIES.find((a) => a === access);
      if (!known) spec.invalid('accessPolicy', `accessPolicy must be one of ${ACCESS_POLICIES.join(', ')}, not ${JSON.stringify(access)}`);
      else out.accessPolicy = known;
    }
    return out;
  });
}

export function readLinkerdAuthorizationPolicy(header: ResourceHeader, document: FieldReader): Resource<LinkerdAuthorizationPolicySpec> | undefined {
  return readSpec(header, document, (spec) => {
    spec.allowOnly(['targetRef', 'requiredAuthenticationRefs']);
    const present = [spec.require('targetRef'), spec.require('requiredAuthenticationRefs')].every(Boolean);
    const target = readRef(spec.map('targetRef'));
    const refs = spec.mapItems('requiredAuthenticationRefs').flatMap((r) => readRef(r) ?? []);
    return present && target ? { targetRef: target, requiredAuthenticationRefs: refs } : undefined;
  });
}

export function readMeshTLSAuthentication(header: ResourceHeader, document: FieldReader): Resource<MeshTLSAuthenticationSpec> | undefined {
  return readSpec(header, document, (spec) => {
    spec.allowOnly(['identities', 'identityRefs']);
    const out: MeshTLSAuthenticationSpec = {};
    const identities = (spec.list('identities') ?? []).flatMap(({ value, path }) => {
      if (typeof value === 'string') return [value];
      spec.reporter.report('WrongType', path, { expected: 'a string', actual: typeof value });
      return [];
    });
    if (spec.has('identities')) out.identities = identities;
    if (spec.has('identityRefs')) out.identityRefs = spec.mapItems('identityRefs').flatMap((r) => readRef(r, false) ?? []);
    if (!spec.has('identities') && !spec.has('identityRefs')) spec.require('identities');
    return out;
  });
}

function readRef(ref: FieldReader | undefined, nameRequired = true): { group?: string; kind: string; name: string; namespace?: string } | undefined {
  if (!ref) return undefined;
  ref.allowOnly(['group', 'kind', 'name', 'namespace']);
  const present = [ref.require('kind'), nameRequired ? ref.require('name') : true].every(Boolean);
  const kind = ref.string('kind');
  const name = ref.string('name') ?? (nameRequired ? undefined : '*');
  if (!present || kind === undefined || name === undefined) return undefined;
  const group = ref.string('group');
  const namespace = ref.string('namespace');
  return { kind, name, ...(group !== undefined ? { group } : {}), ...(namespace !== undefined ? { namespace } : {}) };
}
