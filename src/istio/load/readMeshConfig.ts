import { parse } from 'yaml';
import type { H2UpgradePolicy, MeshSettings, OutboundTrafficPolicy } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { readLocalityLbSetting } from './readLocalityLbSetting.ts';

/** The mesh settings a document states; what it leaves out keeps the value from below it. */
export type MeshOverrides = Partial<MeshSettings>;

const MODES: readonly OutboundTrafficPolicy[] = ['ALLOW_ANY', 'REGISTRY_ONLY'];
const H2_POLICIES: readonly H2UpgradePolicy[] = ['DO_NOT_UPGRADE', 'UPGRADE'];

/**
 * The mesh config as users keep it: the `mesh` key of the `istio` ConfigMap
 * in istio-system (YAML text, what istiod reads: Istio src
 * `pkg/config/mesh/kubemesh`), or an IstioOperator's `spec.meshConfig`
 * (which the installer renders into that ConfigMap). Reads what meshviz
 * simulates: `outboundTrafficPolicy.mode`, `h2UpgradePolicy`,
 * `localityLbSetting`, `rootNamespace`, `trustDomain`.
 */
export function readMeshConfig(kind: string, document: FieldReader): MeshOverrides {
  const [reader, path, config] = kind === 'IstioOperator' ? operatorConfig(document) : configMapConfig(document);
  if (!reader) return {};
  const problem = (detail: string): MeshOverrides => {
    reader.reporter.report('MeshConfigUnreadable', path, { detail });
    return {};
  };
  if (config instanceof Error) return problem(config.message.split('\n')[0] ?? '');
  if (!isRecord(config)) return {};
  const result: MeshOverrides = {};
  const policy = config['outboundTrafficPolicy'];
  const mode = isRecord(policy) ? policy['mode'] : undefined;
  const known = MODES.find((m) => m === mode);
  // An unknown enum value makes istiod refuse the whole mesh config (protobuf JSON parsing).
  if (mode !== undefined && !known) return problem(`outboundTrafficPolicy.mode ${JSON.stringify(mode)} is not ${MODES.join(' or ')}`);
  if (known) result.outboundTrafficPolicy = known;
  const h2 = config['h2UpgradePolicy'];
  const h2Known = H2_POLICIES.find((p) => p === h2);
  if (h2 !== undefined && !h2Known) return problem(`h2UpgradePolicy ${JSON.stringify(h2)} is not ${H2_POLICIES.join(' or ')}`);
  if (h2Known) result.h2UpgradePolicy = h2Known;
  if (config['localityLbSetting'] !== undefined) {
    const setting = readLocalityLbSetting(config['localityLbSetting']);
    if (typeof setting === 'string') return problem(setting);
    result.localityLbSetting = setting;
  }
  if (typeof config['rootNamespace'] === 'string') result.rootNamespace = config['rootNamespace'];
  if (typeof config['trustDomain'] === 'string') result.trustDomain = config['trustDomain'];
  return result;
}

function operatorConfig(document: FieldReader): [FieldReader | undefined, string, unknown] {
  const spec = document.map('spec');
  return [spec, spec?.pathOf('meshConfig') ?? '', spec?.value['meshConfig']];
}

function configMapConfig(document: FieldReader): [FieldReader | undefined, string, unknown] {
  const data = document.map('data');
  const text = data?.string('mesh');
  if (!data || text === undefined) return [undefined, '', undefined];
  try {
    return [data, data.pathOf('mesh'), parse(text, { maxAliasCount: 100 }) as unknown];
  } catch (error) {
    return [data, data.pathOf('mesh'), error instanceof Error ? error : new Error(String(error))];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
