/**
 * A generated scenario for the frame-time benchmark: `front` (10 pods)
 * fans out in parallel to 4 `mid` services, each of which fans out to 4–5
 * `leaf` services; 20 services × 10 pods = 200 pods. Every app takes a
 * fixed 150 ms, so requests stay in flight long enough to pile up.
 */
export function generateMesh(services = 20, podsPerService = 10): string {
  const names = Array.from({ length: services }, (_, i) => (i === 0 ? 'front' : i <= 4 ? `mid-${i}` : `leaf-${i}`));
  const docs: string[] = [];
  for (const name of names) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${podsPerService}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name}, version: v1 } }
    spec: { containers: [{ name: app, image: app, ports: [{ containerPort: 8080 }] }] }`);
    docs.push(`apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 8080, targetPort: 8080 }]`);
  }
  const leaves = names.filter((n) => n.startsWith('leaf'));
  const workloads = names.map((name, i) => {
    const calls = i === 0 ? names.slice(1, 5) : i <= 4 ? leaves.filter((_, j) => j % 4 === i - 1) : [];
    const callYaml = calls.map((c) => `\n        - { service: "${c}:8080", path: /, parallel: true }`).join('');
    return `    ${name}:\n      latency: { fixed: 150ms }${calls.length ? `\n      calls:${callYaml}` : ''}`;
  });
  docs.push(`apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: bench-200 }
spec:
  seed: 7
  workloads:
${workloads.join('\n')}
  traffic:
    - { name: load, from: external, to: "front:8080", path: /, rps: 1, duration: 1s }`);
  return docs.join('\n---\n') + '\n';
}
