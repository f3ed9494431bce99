import { frontBackMesh } from '../tests/helpers/mesh.ts';
const t = (name: string, ns: string, spec: string) => `apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}`;
const text = [...frontBackMesh(), t('a', 'default', `
metrics:
- providers: [{ name: stackdriver }]
- overrides:
  - tagOverrides:
      source_x: { value: "upstream_peer.labels['x']" }
accessLogging: [{ filter: { expression: "response.code >= 400" } }]`), t('b', 'default', 'tracing: [{ randomSamplingPercentage: 10 }]')].join('\n---\n');
text.split('\n').forEach((l, i) => { if (i >= 60) console.log(i + 1, l); });
