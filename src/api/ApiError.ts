/** A mistake in what the user asked for: printed as one line, never a stack trace. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
}
