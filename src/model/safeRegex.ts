import { RE2JS } from 're2js';

/**
 * Envoy's `safe_regex`: RE2 syntax, matched against the whole input, in time
 * linear in the input (RE2 never backtracks, so `/(a+)+b` cannot stall a
 * request). re2js is a port of Go's regexp, which is also what Istio
 * validates patterns with (istio/istio `pkg/config/validation`,
 * `validateStringRegexp`), so what it refuses is what Istio refuses, in the
 * same words.
 */
export interface SafeRegex {
  matches(text: string): boolean;
}

/** Istio refuses longer patterns: "regex is too large, max length allowed is 1024". */
export const MAX_REGEX_LENGTH = 1024;

export type CompiledRegex = { ok: true; regex: SafeRegex } | { ok: false; error: string };

/** Compiles a pattern; `error` is Go's message (`error parsing regexp: missing closing ]: \`[\``), or Istio's length limit. */
export function compileSafeRegex(pattern: string): CompiledRegex {
  const known = memo.get(pattern);
  if (known) return known;
  const compiled = compile(pattern);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(pattern, compiled);
  return compiled;
}

/** Whether `text` matches the whole pattern; a pattern RE2 refuses matches nothing (Envoy would NACK the config). */
export function safeRegexMatches(pattern: string, text: string): boolean {
  const compiled = compileSafeRegex(pattern);
  return compiled.ok && compiled.regex.matches(text);
}

// A memo only: a pattern always compiles the same way. Bounded so arbitrary input cannot grow it.
const MEMO_LIMIT = 512;
const memo = new Map<string, CompiledRegex>();

function compile(pattern: string): CompiledRegex {
  if (pattern.length > MAX_REGEX_LENGTH) return { ok: false, error: `regex is too large, max length allowed is ${MAX_REGEX_LENGTH}` };
  try {
    const re = RE2JS.compile(pattern);
    return { ok: true, regex: { matches: (text) => re.matches(text) } };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
