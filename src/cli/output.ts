import { suggest } from '../model/index.ts';
import { badValue } from './options.ts';
import { CliError } from './CliError.ts';

/** What `-o` asks for, as kubectl spells it: the default text, `wide`, `json`, `yaml` or `jsonpath=EXPR`. */
export type Output = { kind: 'text'; wide: boolean } | { kind: 'json' } | { kind: 'yaml' } | { kind: 'jsonpath'; expression: string };

export type OutputName = 'wide' | 'json' | 'yaml' | 'jsonpath';

/**
 * The parser of one command's `-o`: the names it prints, and what else to
 * say about a value that is none of them and near none (export's old `-o DIR`).
 */
export function outputOption(names: readonly OutputName[], otherwise?: (text: string) => string): (text: string) => Output {
  const accepted = names.map((n) => (n === 'jsonpath' ? 'jsonpath=EXPR' : n)).join(names.length === 2 ? ' or ' : ', ');
  return (text) => {
    if (names.includes('jsonpath') && text.startsWith('jsonpath=')) {
      const expression = text.slice('jsonpath='.length);
      if (expression === '') throw badValue('-o', text, 'jsonpath=EXPR, e.g. jsonpath={.status}');
      return { kind: 'jsonpath', expression };
    }
    switch (names.includes(text as OutputName) ? text : '') {
      case 'wide':
        return { kind: 'text', wide: true };
      case 'json':
        return { kind: 'json' };
      case 'yaml':
        return { kind: 'yaml' };
    }
    const near = suggest(text, names);
    const hint = near ? undefined : otherwise?.(text);
    if (hint) throw new CliError(`invalid value "${text}" for -o`, `expected ${accepted}; ${hint}`);
    throw badValue('-o', text, accepted, near);
  };
}

/** `-o` and its alias `--json` as one choice; they must not disagree. */
export function chosenOutput(o: { output?: Output; json?: boolean }): Output {
  if (o.json && o.output && o.output.kind !== 'json') throw new CliError('--json and -o ask for different outputs', 'give one of them');
  return o.json ? { kind: 'json' } : (o.output ?? { kind: 'text', wide: false });
}
