import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.ts';
import { sarifLog } from './sarifLog.ts';

const file = (path: string) => ({ name: path, text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') });
/** The SARIF 2.1.0 schema (draft-04), as Microsoft's SARIF matchers ship it. */
const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

describe('sarifLog', () => {
  it('is a valid SARIF 2.1.0 log with one result per finding at its place and one rule per code', () => {
    const report = analyze(['bookinfo.yaml', 'destination-rule-all.yaml', 'virtual-service-reviews-broken.yaml'].map((f) => file(`tests/fixtures/bookinfo/${f}`)));
    const log = sarifLog(report, '0.1.0');
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    // The schema does check: a log of another version, or a result without a message, is refused.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ruleId: 'MV0401' }] }] })).toBe(false);
    const run = log.runs[0];
    expect(run?.results).toHaveLength(report.diagnostics.length);
    const first = report.diagnostics[0];
    expect(run?.results?.[0]).toMatchObject({
      ruleId: first?.code,
      level: first?.severity === 'info' ? 'note' : first?.severity,
      message: { text: first?.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: first?.source?.file }, region: { startLine: first?.source?.line, startColumn: first?.source?.col } } }],
    });
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual([...new Set(report.diagnostics.map((d) => d.code))].sort());
    for (const result of run?.results ?? []) expect(rules[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
    expect(rules.find((r) => r.id === 'MV0401')).toMatchObject({ name: 'SubsetNotDefined', defaultConfiguration: { level: 'error' } });
  });

  it('writes absolute paths as file URIs and escapes what a URI reserves', () => {
    const log = sarifLog({ diagnostics: [{ code: 'MV0004', severity: 'info', message: 'file is empty: nothing to load', resource: null, path: null, source: { file: '/tmp/my mesh/a#b.yaml', line: 1, col: 1 }, equivalents: [] }], errors: 0, warnings: 0 }, '0.1.0');
    expect(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe('file:///tmp/my%20mesh/a%23b.yaml');
    expect(log.runs[0]?.results?.[0]?.level).toBe('note');
  });
});
