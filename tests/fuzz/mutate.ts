import { isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit } from 'yaml';
import type { Document, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { SourceFile } from '../../src/api/index.ts';
import { GRAFTS, HOSTILE, kindOfKey } from './hostileValues.ts';
import type { ValueKind } from './hostileValues.ts';
import type { Random } from './Random.ts';

/** One mutated input and the steps that made it (for the report). */
export interface Mutant {
  files: SourceFile[];
  steps: string[];
}

type Docs = Document.Parsed[];
interface Parsed {
  name: string;
  docs: Docs;
}

/**
 * Applies 1–3 mutations to the seed's files: values replaced by hostile
 * ones that fit the field, keys dropped, items repeated, documents copied,
 * hostile configuration grafted in, app calls added (cycles), names renamed
 * to prototype keys, swaps, and now and then raw text edits.
 */
export function mutate(files: SourceFile[], random: Random): Mutant {
  const steps: string[] = [];
  let texts = files.map((f) => ({ ...f }));
  const count = 1 + random.below(3);
  for (let i = 0; i < count; i++) {
    const op = random.pick(OPS);
    if (op === 'text') {
      const file = random.pick(texts);
      file.text = textEdit(file.text, random, steps);
      continue;
    }
    if (op === 'rename') {
      texts = rename(texts, random, steps);
      continue;
    }
    const parsed: Parsed[] = texts.map((f) => ({ name: f.name, docs: parseAllDocuments(f.text) as Docs }));
    const usable = parsed.filter((p) => Array.isArray(p.docs) && p.docs.length > 0 && p.docs.every((d) => d.errors.length === 0));
    if (usable.length === 0) continue;
    structural(op, usable, random, steps);
    texts = texts.map((file, i) => {
      const p = parsed[i] as Parsed;
      return usable.includes(p) ? { name: file.name, text: printed(p.docs) ?? file.text } : file;
    });
  }
  return { files: texts, steps };
}

const OPS = ['value', 'value', 'value', 'value', 'delete', 'repeat', 'graft', 'graft', 'call', 'call', 'clone', 'swap', 'rename', 'text'] as const;
type Op = (typeof OPS)[number];

function structural(op: Exclude<Op, 'text' | 'rename'>, files: Parsed[], random: Random, steps: string[]): void {
  const file = random.pick(files);
  const doc = random.pick(file.docs);
  const { pairs, maps, seqs } = nodesOf(doc);
  switch (op) {
    case 'value': {
      const pair = pickScalarPair(pairs, random);
      if (!pair) return;
      const key = keyOf(pair);
      const kind: ValueKind = random.chance(0.8) ? kindOfKey(key) : random.pick(Object.keys(HOSTILE) as ValueKind[]);
      const value = random.pick(HOSTILE[kind] as readonly unknown[]);
      pair.value = toNode(doc, value);
      steps.push(`${file.name}: ${key} = ${show(value)}`);
      return;
    }
    case 'delete': {
      const map = maps.length > 0 ? random.pick(maps) : undefined;
      if (!map || map.items.length === 0) return;
      const index = random.below(map.items.length);
      steps.push(`${file.name}: delete ${keyOf(map.items[index] as Pair)}`);
      map.items.splice(index, 1);
      return;
    }
    case 'repeat': {
      const seq = seqs.length > 0 ? random.pick(seqs) : undefined;
      if (!seq || seq.items.length === 0) return;
      const times = random.pick([2, 3, 10, 50, 200]);
      const item = random.pick(seq.items);
      for (let i = 0; i < times; i++) seq.items.push(cloneNode(item));
      steps.push(`${file.name}: repeat an item ×${times}`);
      return;
    }
    case 'graft': {
      const map = maps.length > 0 ? random.pick(maps) : undefined;
      if (!map) return;
      const [key, value] = random.pick(GRAFTS);
      map.set(key, toNode(doc, value));
      steps.push(`${file.name}: graft ${key}`);
      return;
    }
    case 'call':
      return addCall(files, random, steps);
    case 'clone': {
      // Copies up to about 1 MB of YAML: loading costs ~3 µs a byte, and an input must fit the deadline
      // with room to spare (scaling to cluster exports has its own tests, tests/analyze/scale.test.ts).
      const size = printed([doc])?.length ?? 1;
      const times = Math.min(random.pick([2, 5, 30, 200]), Math.max(1, Math.floor(1_000_000 / size)));
      for (let i = 0; i < times; i++) {
        const copy = doc.clone();
        const name = copy.getIn(['metadata', 'name']);
        if (typeof name === 'string') copy.setIn(['metadata', 'name'], `${name}-${i}`);
        file.docs.push(copy as Document.Parsed);
      }
      steps.push(`${file.name}: copy a ${String(doc.get('kind'))} ×${times}`);
      return;
    }
    case 'swap': {
      const a = pickScalarPair(pairs, random);
      const b = pickScalarPair(pairs, random);
      if (!a || !b) return;
      [a.value, b.value] = [b.value, a.value];
      steps.push(`${file.name}: swap ${keyOf(a)} and ${keyOf(b)}`);
      return;
    }
  }
}

/** A call from one workload of the Simulation document to some Service: the usual way to close a cycle. */
function addCall(files: Parsed[], random: Random, steps: string[]): void {
  const services: string[] = [];
  let simulation: Document.Parsed | undefined;
  for (const file of files) {
    for (const doc of file.docs) {
      const kind = doc.get('kind');
      if (kind === 'Service') services.push(String(doc.getIn(['metadata', 'name'])));
      if (kind === 'Simulation') simulation = doc;
    }
  }
  const workloads = simulation?.getIn(['spec', 'workloads']);
  if (!simulation || !isMap(workloads) || workloads.items.length === 0 || services.length === 0) return;
  const workload = random.pick(workloads.items) as Pair;
  const app = workload.value;
  if (!isMap(app)) return;
  const service = random.pick(services);
  const call = { service: `${service}:${random.pick([8080, 9080, 80])}`, path: '/fuzz', ...(random.chance(0.3) ? { parallel: true } : {}) };
  const calls = app.get('calls');
  if (isSeq(calls)) calls.items.push(simulation.createNode(call));
  else app.set('calls', simulation.createNode([call]));
  steps.push(`call ${keyOf(workload)} → ${call.service}`);
}

function rename(files: SourceFile[], random: Random, steps: string[]): SourceFile[] {
  const names = new Set<string>();
  for (const f of files) for (const m of f.text.matchAll(/^\s*name:\s*([a-z][a-z0-9-]*)\s*$/gm)) names.add(m[1] as string);
  if (names.size === 0) return files;
  const from = random.pick([...names].sort());
  const to = random.pick(HOSTILE.name.filter((n) => /^[a-zA-Z_]+$/.test(n)));
  steps.push(`rename ${from} → ${to}`);
  const pattern = new RegExp(`(?<![\\w-])${from}(?![\\w-])`, 'g');
  return files.map((f) => ({ name: f.name, text: f.text.replace(pattern, to) }));
}

const JUNK = ['{', '}', '[', ']', ': ', '- ', '\n', '  ', '"', "'", '&a ', '*a', '<<: *a', '---\n', '\t', '\0', '\uFEFF', '\uD800', '%YAML 1.2\n', '!!binary ', '? '];

function textEdit(text: string, random: Random, steps: string[]): string {
  const at = random.below(text.length + 1);
  const cut = random.chance(0.5) ? random.below(40) : 0;
  const insert = random.pick(JUNK);
  steps.push(`text edit at ${at}: cut ${cut}, insert ${JSON.stringify(insert)}`);
  return text.slice(0, at) + insert + text.slice(at + cut);
}

/** The documents as YAML again; undefined when a mutation left them unprintable (an alias whose anchor went). */
function printed(docs: Docs): string | undefined {
  try {
    return docs.map((d) => d.toString()).join('---\n');
  } catch {
    return undefined;
  }
}

function nodesOf(doc: Document.Parsed): { pairs: Pair[]; maps: YAMLMap[]; seqs: YAMLSeq[] } {
  const pairs: Pair[] = [];
  const maps: YAMLMap[] = [];
  const seqs: YAMLSeq[] = [];
  visit(doc, {
    Pair: (_, node) => void pairs.push(node as Pair),
    Map: (_, node) => void maps.push(node as YAMLMap),
    Seq: (_, node) => void seqs.push(node as YAMLSeq),
  });
  return { pairs, maps, seqs };
}

function pickScalarPair(pairs: Pair[], random: Random): Pair | undefined {
  const scalars = pairs.filter((p) => isScalar(p.value));
  return scalars.length > 0 ? random.pick(scalars) : undefined;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function toNode(doc: Document.Parsed, value: unknown): unknown {
  if (typeof value === 'bigint') return new Scalar(value);
  return doc.createNode(value);
}

function cloneNode<T>(node: T): T {
  return isPair(node) || isMap(node) || isSeq(node) || isScalar(node) ? (node.clone() as T) : node;
}

function show(value: unknown): string {
  const text = typeof value === 'bigint' ? `${value.toString().slice(0, 6)}… (${value.toString().length} digits)` : JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
