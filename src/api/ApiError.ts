/**
 * A mistake in what the user asked for: printed as one line, never a stack
 * trace. `what` went wrong and a `hint` at what to do (the accepted values,
 * the candidates, a "did you mean"); the message is `what (hint)`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly what: string,
    readonly hint: string,
  ) {
    super(`${what} (${hint})`);
  }
}
