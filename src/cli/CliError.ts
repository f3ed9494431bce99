/**
 * A mistake on the command line (a bad flag, a missing file): one line on
 * stderr, exit status 2. `what` went wrong, and a `hint` at what to do.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly what: string,
    readonly hint: string,
  ) {
    super(`${what} (${hint})`);
  }
}

/** The one shape of every error line meshviz prints: `meshviz: <what> (<hint>)`. */
export function errorLine(message: string): string {
  return `meshviz: ${message}\n`;
}

/**
 * Commander's own messages (`error: unknown option '--form'\n(Did you mean
 * --from?)`) in meshviz's shape; a message without a hint of its own points
 * at the command's help.
 */
export function fromCommander(text: string, command: string): string {
  const [first = '', ...rest] = text.trim().replace(/^error: /, '').split('\n');
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(rest.join(' ').trim());
  const what = first.replace(/\.$/, '').replace(/^option '(--?[\w-]+)(?: [<[][^'>\]]*[>\]])?' argument missing$/, '$1 needs a value');
  const help = command ? `meshviz ${command} --help` : 'meshviz --help';
  return errorLine(`${what} (${suggestion ? `did you mean ${suggestion[1]}?` : `see ${help}`})`);
}
