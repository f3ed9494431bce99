import type { Command, Option } from 'commander';
import { meshNames, openSession } from '../api/index.ts';
import { FAILURE_MODES, PROXY_CONFIG_TABLES } from '../model/index.ts';
import { BUILT_IN } from './builtInScenarios.ts';
import { readScenarioFiles } from './readFiles.ts';

/** The first line of an answer that asks the shell for its own file-name completion. */
export const FILES = ':files';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/**
 * What to offer for the word being typed (the last of `words`, which follow
 * `meshviz` on the command line): commands, a command's flags, a flag's
 * values — workload, app, service and failure names read from the files and
 * `--scenario` already on the line —, or `:files` for the shell's own file
 * completion. The shell filters by what is typed; nothing is ever printed
 * on stderr.
 */
export function completeWords(program: Command, words: string[]): string[] {
  const before = words.slice(0, -1);
  const visible = program.commands.filter((c) => !c.name().startsWith('__'));
  const commandAt = before.findIndex((w) => !w.startsWith('-'));
  const current = words.at(-1) ?? '';
  if (commandAt < 0) return current.startsWith('-') ? ['--help', '--version'] : visible.map((c) => c.name());
  const command = visible.find((c) => c.name() === before[commandAt]);
  if (!command) return [];
  const rest = before.slice(commandAt + 1);
  const valueOf = optionTakingValue(command, rest.at(-1));
  if (valueOf && !(valueOf.optional && current.startsWith('-'))) return valuesFor(command, valueOf, rest);
  if (current.startsWith('-')) return [...command.options.flatMap((o) => (o.long ? [o.long] : [])), '--help'];
  if (command.name() === 'completion') return ['bash', 'zsh'];
  if (command.name() === 'proxy-config') {
    // Its table, then its pod, then files (words after a flag that takes a value are that flag's).
    const positional = rest.flatMap((w, i) => (!w.startsWith('-') && optionTakingValue(command, rest[i - 1]) === undefined ? [i] : []));
    if (positional.length === 0) return [...PROXY_CONFIG_TABLES];
    if (positional.length === 1) return names(command, rest.filter((_, i) => i !== positional[0]), (n) => [...n.workloads, ...n.apps]);
  }
  // A command with subcommands (sweep merge) offers them first, beside its files.
  const subcommands = rest.length === 0 ? command.commands.map((c) => c.name()) : [];
  return [...subcommands, ...(command.registeredArguments.length > 0 ? [FILES] : [])];
}

function valuesFor(command: Command, option: Option, rest: string[]): string[] {
  switch (option.long) {
    case '--scenario':
      return [...BUILT_IN];
    case '--output':
      return command.name() === 'export' ? ['yaml', 'json'] : command.name() === 'version' ? ['json', 'yaml'] : ['wide', 'json', 'yaml', 'jsonpath='];
    case '--method':
      return METHODS;
    case '--cases':
    case '--output-dir':
      return [FILES];
    case '--from':
      return [...names(command, rest, (n) => [...n.workloads, ...n.apps]), 'external'];
    case '--to':
      return names(command, rest, (n) => n.services);
    case '--fail':
      return names(command, rest, (n) => n.workloads.flatMap((w) => FAILURE_MODES.map((m) => `${w}=${m}`)));
    default:
      return [];
  }
}

/** Names from the scenario the line names so far: its files, or `--scenario`, or the built-in default. */
function names(command: Command, rest: string[], pick: (names: ReturnType<typeof meshNames>) => string[]): string[] {
  const files: string[] = [];
  let builtIn: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    const option = word.startsWith('-') ? optionTakingValue(command, word) : undefined;
    if (option?.long === '--scenario') builtIn = rest[i + 1];
    const next = rest[i + 1];
    if (option && (option.required || (next !== undefined && !next.startsWith('-')))) i++;
    else if (!word.startsWith('-')) files.push(word);
  }
  try {
    const opened = openSession(readScenarioFiles(files, builtIn));
    return opened.ok ? [...new Set(pick(meshNames(opened.session.scenario)))] : [];
  } catch {
    // Files that do not read yet (half typed, missing) give nothing to offer.
    return [];
  }
}

function optionTakingValue(command: Command, word: string | undefined): Option | undefined {
  if (!word?.startsWith('-')) return undefined;
  const option = command.options.find((o) => o.long === word || o.short === word);
  return option && (option.required || option.optional) ? option : undefined;
}
