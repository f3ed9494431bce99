import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitXml } from './junitXml.ts';

describe('junitXml', () => {
  it('writes one test case per condition, a failure with the measured value, and escapes what needs it', () => {
    const xml = junitXml('default-mesh', [
      { expectation: 'p99 of traffic browse < 500ms', passed: true, measured: 'p99 = 23.1ms (1,200 requests)', value: 23.1, source: { file: 'scenarios/default.yaml', line: 80, col: 7 }, path: 'spec.expect[0]' },
      { expectation: 'success rate of web → api ≥ 99.5 % & "more" <x>', passed: false, measured: '49.1 % (589 of 1,200)', value: 49.1, source: null, path: null },
    ]);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="meshviz simulate" tests="2" failures="1">')).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const cases = parsed.testsuites.testsuite.testcase;
    expect(parsed.testsuites.testsuite).toMatchObject({ name: 'default-mesh', tests: '2', failures: '1', errors: '0', skipped: '0' });
    expect(cases[0]).toMatchObject({ classname: 'meshviz.expect.default-mesh', name: 'p99 of traffic browse < 500ms', file: 'scenarios/default.yaml', line: '80', 'system-out': 'measured p99 = 23.1ms (1,200 requests)' });
    expect(cases[0].failure).toBeUndefined();
    expect(xml).toContain('name="success rate of web → api ≥ 99.5 % &amp; &quot;more&quot; &lt;x&gt;"');
    expect(cases[1].name).toBe('success rate of web → api ≥ 99.5 % & "more" <x>');
    expect(cases[1].failure).toMatchObject({ type: 'ExpectationFailed', message: 'measured 49.1 % (589 of 1,200)' });
  });
});
