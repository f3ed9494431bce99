/** A mistake on the command line (a bad flag, a missing file): one line on stderr, exit status 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
