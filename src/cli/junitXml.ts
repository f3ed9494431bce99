import { XMLBuilder } from 'fast-xml-parser';
import type { ExpectationResult } from '../api/index.ts';

/**
 * The verdicts of a run's conditions as JUnit XML, the report format CI
 * systems read (GitLab, Jenkins, GitHub actions that publish test results):
 * one test case per condition, a `failure` with the measured value for each
 * that failed. No wall-clock times: the same run gives the same file.
 */
export function junitXml(suite: string, results: readonly ExpectationResult[]): string {
  const failures = results.filter((r) => !r.passed).length;
  const testcase = results.map((r) => ({
    '@_classname': `meshviz.expect.${suite}`,
    '@_name': r.expectation,
    ...(r.source ? { '@_file': r.source.file, '@_line': r.source.line } : {}),
    ...(r.passed ? {} : { failure: { '@_type': 'ExpectationFailed', '@_message': `measured ${r.measured}`, '#text': `${r.expectation}: measured ${r.measured}${r.source ? ` (${r.source.file}:${r.source.line}:${r.source.col})` : ''}` } }),
    'system-out': `measured ${r.measured}`,
  }));
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': 'meshviz simulate',
      '@_tests': results.length,
      '@_failures': failures,
      testsuite: { '@_name': suite, '@_tests': results.length, '@_failures': failures, '@_errors': 0, '@_skipped': 0, testcase },
    },
  };
  return new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, indentBy: '  ', suppressEmptyNode: true }).build(document) as string;
}
