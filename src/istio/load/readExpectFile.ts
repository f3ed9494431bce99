import type { Diagnostic, Expectation } from '../../model/index.ts';
import { FieldReader } from './FieldReader.ts';
import type { SourceFile } from './loadScenario.ts';
import { readExpectations } from './readExpectations.ts';
import { DEFAULT_MAX_FILE_BYTES, readYamlFile } from './readYamlFile.ts';
import { Reporter } from './Reporter.ts';

/**
 * Reads a file of conditions for `meshviz simulate --expect FILE`: one
 * document, a mapping whose `expect:` lists them as a Simulation's would.
 * Every problem is a diagnostic at its place.
 */
export function readExpectFile(file: SourceFile): { expectations: Expectation[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const expectations: Expectation[] = [];
  for (const raw of readYamlFile(file, DEFAULT_MAX_FILE_BYTES, diagnostics)) {
    const reader = FieldReader.of(new Reporter(diagnostics, raw.file, raw.positions, raw.source), raw.value, '');
    if (!reader) continue;
    reader.allowOnly(['expect']);
    if (reader.require('expect')) expectations.push(...readExpectations(reader));
  }
  if (expectations.length === 0 && diagnostics.length === 0) Reporter.forFile(diagnostics, file.name).report('MissingField', 'expect', { field: 'expect' });
  return { expectations, diagnostics };
}
