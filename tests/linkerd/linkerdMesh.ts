import { openSession } from '../../src/api/index.ts';
import type { Diagnostic } from '../../src/model/index.ts';
import { deployment, indent, sessionFrom, simulation } from '../helpers/mesh.ts';

/** A Service with annotations (Linkerd reads retries, timeouts and failure accrual there). */
export function annotatedService(name: string, annotations: Record<string, string> = {}, selector: Record<string, string> = { app: name }): string {
  const a = Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n');
  const s = Object.entries(selector).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: default
${a ? `  annotations:\n${a}\n` : ''}spec:
  selector: { ${s} }
  ports: [{ name: http, port: 8080, targetPort: 8080 }]`;
}

/** client → server (N pods) under `flavor: linkerd`, with the server's Service annotated, plus any extra documents. */
export function linkerdMesh(opts: { replicas?: number; annotations?: Record<string, string>; extra?: string[]; spec?: string } = {}): string[] {
  return [
    deployment('client', { app: 'client' }),
    annotatedService('client'),
    deployment('server', { app: 'server' }, opts.replicas ?? 1),
    annotatedService('server', opts.annotations),
    ...(opts.extra ?? []),
    simulation(`flavor: linkerd\nseed: 1\n${opts.spec ?? ''}`),
  ];
}

export function linkerdSession(opts: Parameters<typeof linkerdMesh>[0] = {}) {
  return sessionFrom(...linkerdMesh(opts));
}

/** The diagnostics of loading and compiling these documents (errors included). */
export function diagnosticsOf(...docs: string[]): Diagnostic[] {
  const opened = openSession([{ name: 'test.yaml', text: docs.join('\n---\n') }]);
  return opened.ok ? opened.session.diagnostics : opened.diagnostics;
}

export { indent };
