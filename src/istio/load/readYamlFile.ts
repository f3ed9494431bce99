import { isScalar, LineCounter, parseAllDocuments, type Document, type EmptyStream, type YAMLError } from 'yaml';
import type { Diagnostic, SourcePos } from '../../model/index.ts';
import { Reporter, type Positions } from './Reporter.ts';
import { describe, isMapping } from './describe.ts';
import type { SourceFile } from './loadScenario.ts';
import { isWide, MAX_ALIAS_EXPANSIONS, MAX_DEPTH, positionOf, WalkLimitExceeded, yamlToPlain, type YamlWalk } from './yamlToPlain.ts';

/** One Kubernetes-style document (or one item of a `kind: List`), as plain data. */
export interface RawDocument {
  file: string;
  value: Record<string, unknown>;
  /** Field path (relative to this document) → where it is written. */
  positions: Positions;
  source: SourcePos;
}

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Reads one file into documents. Everything that goes wrong becomes a
 * diagnostic in `sink`; a document with YAML errors is skipped whole, so no
 * half-parsed resource reaches the scenario.
 */
export function readYamlFile(file: SourceFile, maxFileBytes: number, sink: Diagnostic[]): RawDocument[] {
  const reporter = Reporter.forFile(sink, file.name);
  const { text } = file;
  const bytes = text.length > maxFileBytes ? text.length : utf8Length(text);
  if (bytes > maxFileBytes) {
    reporter.report('FileTooLarge', '', { bytes, limit: maxFileBytes });
    return [];
  }
  const utf16 = utf16Order(text);
  if (utf16) {
    reporter.reportAt('Utf16File', { file: file.name, line: 1, col: 1 }, { order: utf16 });
    return [];
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    reporter.reportAt('BinaryFile', positionInText(file.name, text, nul));
    return [];
  }
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    reporter.reportAt('NotUtf8', positionInText(file.name, text, replacement));
    return [];
  }

  const lines = new LineCounter();
  let docs: Document.Parsed[] | EmptyStream;
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lines,
      uniqueKeys: true,
      merge: true,
      prettyErrors: true,
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    reporter.report('NestingTooDeep', '', { limit: MAX_DEPTH });
    return [];
  }
  if ('empty' in docs) {
    const stream = docs as EmptyStream;
    reportYamlProblems(reporter, file.name, stream.errors);
    if (stream.errors.length === 0) reporter.report('EmptyFile', '');
    return [];
  }

  reportYamlProblems(reporter, file.name, docs.flatMap((doc) => [...doc.errors, ...doc.warnings]));
  const result: RawDocument[] = [];
  const wide = isWide(text);
  let nonEmpty = 0;
  for (const doc of docs) {
    if (isEmptyDocument(doc)) continue;
    nonEmpty += 1;
    if (doc.errors.length > 0) continue;
    result.push(...readDocument({ doc, lines, file: file.name, aliasesExpanded: 0, wide }, reporter));
  }
  if (nonEmpty === 0 && docs.every((doc) => doc.errors.length === 0)) reporter.report('EmptyFile', '');
  return result;
}

function readDocument(walk: YamlWalk, fileReporter: Reporter): RawDocument[] {
  const positions = Object.create(null) as Positions;
  const source = positionOf(walk, walk.doc.contents) ?? { file: walk.file, line: 1, col: 1 };
  let value: unknown;
  try {
    value = yamlToPlain(walk, walk.doc.contents, '', positions, fileReporter);
  } catch (error) {
    if (!(error instanceof WalkLimitExceeded)) throw error;
    if (error.limit === 'aliases') fileReporter.reportAt('AliasLimit', source, { limit: MAX_ALIAS_EXPANSIONS });
    else fileReporter.reportAt('NestingTooDeep', source, { limit: MAX_DEPTH });
    return [];
  }
  if (!isMapping(value)) {
    fileReporter.reportAt('DocumentNotMapping', source, { actual: describe(value) });
    return [];
  }
  if (value['kind'] !== 'List' || !Array.isArray(value['items'])) {
    return [{ file: walk.file, value, positions, source }];
  }
  return value['items'].flatMap((item: unknown, index): RawDocument[] => {
    const itemPositions = subPositions(positions, `items[${index}]`);
    const itemSource = itemPositions[''] ?? source;
    if (isMapping(item)) return [{ file: walk.file, value: item, positions: itemPositions, source: itemSource }];
    fileReporter.reportAt('DocumentNotMapping', itemSource, { actual: describe(item) });
    return [];
  });
}

/** Positions under `prefix`, re-keyed relative to it (`items[2].spec` → `spec`). */
function subPositions(positions: Positions, prefix: string): Positions {
  const result = Object.create(null) as Positions;
  for (const [path, pos] of Object.entries(positions)) {
    if (path === prefix) result[''] = pos;
    else if (path.startsWith(`${prefix}.`)) result[path.slice(prefix.length + 1)] = pos;
    else if (path.startsWith(`${prefix}[`)) result[path.slice(prefix.length)] = pos;
  }
  return result;
}

/**
 * The parser's findings, each distinct one once: an unclosed `{` (or tabs for
 * indentation) makes the same error on every line after it, hundreds of times.
 * The first is reported with a count of the rest.
 */
function reportYamlProblems(reporter: Reporter, file: string, problems: readonly YAMLError[]): void {
  const byDetail = new Map<string, { first: YAMLError; more: number }>();
  for (const problem of problems) {
    const key = `${problem.name} ${detailOf(problem)}`;
    const seen = byDetail.get(key);
    if (seen) seen.more += 1;
    else byDetail.set(key, { first: problem, more: 0 });
  }
  for (const { first, more } of byDetail.values()) reportYamlProblem(reporter, file, first, more);
}

function detailOf(problem: YAMLError): string {
  return (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
}

function reportYamlProblem(reporter: Reporter, file: string, problem: YAMLError, more: number): void {
  const start = problem.linePos?.[0];
  const source = start ? { file, line: start.line, col: start.col } : { file, line: 1, col: 1 };
  const detail = `${detailOf(problem)}${more > 0 ? ` (and ${more} more time${more === 1 ? '' : 's'} after this line: one unclosed bracket or quote, or tabs for indentation, repeat it on every line after)` : ''}`;
  if (problem.name === 'YAMLWarning') reporter.reportAt('YamlWarning', source, { detail });
  else if (detail.includes('Maximum call stack size exceeded')) reporter.reportAt('NestingTooDeep', source, { limit: MAX_DEPTH });
  else if (problem.code === 'DUPLICATE_KEY') reporter.reportAt('DuplicateKey', source, { detail });
  else reporter.reportAt('YamlSyntax', source, { detail });
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents: unknown = doc.contents;
  if (contents === null || contents === undefined) return true;
  return isScalar(contents) && contents.value === null && !contents.source;
}

/**
 * Whether text read as UTF-8 was UTF-16: most characters of YAML are ASCII,
 * so every other code unit is a NUL (after them in little-endian order,
 * before them in big-endian). A BOM read as UTF-8 is two U+FFFD, which
 * keeps the parity.
 */
function utf16Order(text: string): string | undefined {
  const sample = text.slice(0, 1024);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample.charCodeAt(i) !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  if (even + odd < 2 || even + odd < sample.length * 0.3) return undefined;
  if (odd >= 0.9 * (even + odd)) return 'little-endian';
  if (even >= 0.9 * (even + odd)) return 'big-endian';
  return undefined;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A surrogate pair is 4 bytes in UTF-8: count 2 for each half.
    bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

function positionInText(file: string, text: string, index: number): SourcePos {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { file, line: before.split('\n').length, col: index - lineStart + 1 };
}
