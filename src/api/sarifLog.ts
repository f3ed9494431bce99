import type { Log, ReportingDescriptor, Result } from 'sarif';
import { catalog } from '../istio/index.ts';
import type { AnalyzeReport } from './analyze.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * `meshviz analyze`'s findings as a SARIF 2.1.0 log, what code-scanning
 * views (GitHub, GitLab, Azure DevOps) read: one rule per catalog code that
 * was found (its catalog name, default level and istioctl/Kiali
 * equivalents), one result per finding at its file, line and column, the
 * resource as a logical location. Paths are kept as given (relative paths
 * stay relative to where meshviz ran, as code scanning expects).
 */
export function sarifLog(report: AnalyzeReport, version: string): Log {
  const codes = [...new Set(report.diagnostics.map((d) => d.code))].sort();
  const entries = Object.entries(catalog);
  const rules: ReportingDescriptor[] = codes.map((code) => {
    const [name, entry] = entries.find(([, e]) => e.code === code) ?? [code, undefined];
    return {
      id: code,
      name,
      shortDescription: { text: words(name) },
      defaultConfiguration: { level: LEVEL[entry?.severity ?? 'warning'] },
      ...(entry && 'equivalents' in entry && entry.equivalents ? { properties: { equivalents: [...entry.equivalents] } } : {}),
    };
  });
  const results: Result[] = report.diagnostics.map((d) => ({
    ruleId: d.code,
    ruleIndex: codes.indexOf(d.code),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [
      {
        ...(d.source ? { physicalLocation: { artifactLocation: { uri: uriOf(d.source.file) }, region: { startLine: d.source.line, startColumn: d.source.col } } } : {}),
        ...(d.resource ? { logicalLocations: [{ fullyQualifiedName: d.path ? `${d.resource}:${d.path}` : d.resource, kind: 'resource' }] } : {}),
      },
    ],
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'meshviz', version, informationUri: 'https://meshviz.dev', rules } }, results }],
  };
}

/** `DestinationRuleHostNotFound` → `destination rule host not found`. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** A path as a URI reference: separators as `/`, characters URIs reserve escaped; absolute paths as `file://` URIs. */
function uriOf(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}
