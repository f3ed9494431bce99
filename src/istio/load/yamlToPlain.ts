import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { SourcePos } from '../../model/index.ts';
import { isMapping } from './describe.ts';
import { fieldPath, indexPath } from './fieldPath.ts';
import type { Positions, Reporter } from './Reporter.ts';

/** Limits that keep hostile YAML from exhausting memory or the stack. */
export const MAX_ALIAS_EXPANSIONS = 100;
export const MAX_DEPTH = 100;

/** Thrown inside the walk to abandon a document; the caller reports it. */
export class WalkLimitExceeded extends Error {
  constructor(readonly limit: 'aliases' | 'depth') {
    super(limit);
  }
}

/** One walk over one YAML document; aliases are counted across the whole document. */
export interface YamlWalk {
  doc: Document;
  lines: LineCounter;
  file: string;
  aliasesExpanded: number;
  /** The text holds a character above U+00FF, so the engine stores it, and every longer string sliced from it, two bytes per character (`oneByte`). */
  wide: boolean;
}

type PlainMap = Record<string, unknown>;

/**
 * Converts a YAML node to plain data (null-prototype objects, arrays,
 * scalars) and records the source position of every node under its field
 * path, relative to `path`. Map entries are positioned at their key, so a
 * finding about `spec.host` points at the line that says `host:`.
 *
 * `__proto__` keys and complex keys are dropped with a warning; `<<` merge
 * keys are applied (explicit keys win, earlier merges win over later ones).
 * Throws `WalkLimitExceeded` when the alias or depth budget runs out.
 */
export function yamlToPlain(
  walk: YamlWalk,
  node: unknown,
  path: string,
  positions: Positions,
  reporter: Reporter,
  depth = 0,
): unknown {
  if (depth > MAX_DEPTH) throw new WalkLimitExceeded('depth');
  if (isAlias(node)) {
    walk.aliasesExpanded += 1;
    if (walk.aliasesExpanded > MAX_ALIAS_EXPANSIONS) throw new WalkLimitExceeded('aliases');
    return yamlToPlain(walk, node.resolve(walk.doc), path, positions, reporter, depth + 1);
  }
  if (isScalar(node)) return scalarValue(walk, node.value, node.source);
  if (isSeq(node)) {
    return node.items.map((item, index) => {
      const itemPath = indexPath(path, index);
      record(walk, positions, itemPath, item);
      return yamlToPlain(walk, item, itemPath, positions, reporter, depth + 1);
    });
  }
  if (isMap(node)) return mapToPlain(walk, node.items, path, positions, reporter, depth);
  return null;
}

function mapToPlain(
  walk: YamlWalk,
  pairs: Array<Pair<unknown, unknown>>,
  path: string,
  positions: Positions,
  reporter: Reporter,
  depth: number,
): PlainMap {
  const result = Object.create(null) as PlainMap;
  const merges = pairs.filter((pair) => isMergeKey(pair.key)).reverse();
  for (const pair of merges) {
    const sources = isSeq(pair.value) ? [...pair.value.items].reverse() : [pair.value];
    for (const source of sources) {
      const merged = yamlToPlain(walk, source, path, positions, reporter, depth + 1);
      if (isMapping(merged)) Object.assign(result, merged);
    }
  }
  for (const pair of pairs) {
    if (isMergeKey(pair.key)) continue;
    const key = keyText(walk, pair.key);
    if (key === undefined) {
      reporter.reportAt('ComplexKey', positionOf(walk, pair.key) ?? reporter.sourceOf(path));
      continue;
    }
    const keyPath = fieldPath(path, key);
    if (key === '__proto__') {
      reporter.reportAt('ForbiddenKey', positionOf(walk, pair.key) ?? reporter.sourceOf(path), { key });
      continue;
    }
    record(walk, positions, keyPath, pair.key ?? pair.value);
    result[key] = yamlToPlain(walk, pair.value, keyPath, positions, reporter, depth + 1);
  }
  return result;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol';
}

function keyText(walk: YamlWalk, key: unknown): string | undefined {
  const node = isAlias(key) ? key.resolve(walk.doc) : key;
  if (node === null || node === undefined) return '';
  if (!isScalar(node)) return undefined;
  const value = scalarValue(walk, node.value, node.source);
  return value === null ? '' : String(value);
}

/** Plain YAML scalars stay as they are; anything exotic (`!!binary`) keeps its source text. */
function scalarValue(walk: YamlWalk, value: unknown, source: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return walk.wide ? oneByte(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return source ?? null;
}

/**
 * `s` stored one byte per character when it can be. A string sliced from
 * a text with any character above U+00FF (a `──▶` in a comment is enough)
 * is stored as that text is, two bytes per character: every name made from
 * it then hashes, compares and encodes to UTF-8 more slowly, in the
 * engine's tables and in every line the outputs write. JSON's parser makes
 * its strings anew, one byte per character when they fit.
 */
function oneByte(s: string): string {
  return WIDE.test(s) ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const WIDE = /[^\u0000-\u00ff]/;

/** Whether `text` holds a character above U+00FF (see `oneByte`). */
export function isWide(text: string): boolean {
  return WIDE.test(text);
}

function record(walk: YamlWalk, positions: Positions, path: string, node: unknown): void {
  const pos = positionOf(walk, node);
  if (pos) positions[path] = pos;
}

/** The 1-based line and column where a node starts, if it has a range. */
export function positionOf(walk: Pick<YamlWalk, 'lines' | 'file'>, node: unknown): SourcePos | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  const { line, col } = walk.lines.linePos(range[0]);
  return { file: walk.file, line, col };
}
