/**
 * Compiles an Envoy `safe_regex` (RE2 syntax) into a JavaScript RegExp that
 * must match the whole input, as Envoy's regex matchers do. Returns
 * `undefined` when RE2 would reject the pattern or JS cannot express it; the
 * caller treats that as "never matches" (Envoy would NACK the config).
 *
 * Covered differences: RE2 has no lookaround or backreferences (rejected
 * here), spells named groups `(?P<name>…)`, and allows leading flag groups
 * such as `(?i)`. Not covered: POSIX classes (`[[:alpha:]]`) and RE2's linear
 * time guarantee (JS backtracks; fine for header-sized inputs).
 */
export function compileRe2(pattern: string): RegExp | undefined {
  if (cache.has(pattern)) return cache.get(pattern) ?? undefined;
  const compiled = compile(pattern);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled ?? null);
  return compiled;
}

// A memo only: a pattern always compiles to the same RegExp, so results never
// depend on what was cached before. Bounded so arbitrary input cannot grow it.
const CACHE_LIMIT = 512;
const cache = new Map<string, RegExp | null>();

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

function compile(pattern: string): RegExp | undefined {
  let body = pattern;
  let flags = '';
  const lead = LEADING_FLAGS.exec(body);
  if (lead) {
    const wanted = lead[1] as string;
    if (wanted.includes('U')) return undefined;
    flags = [...new Set(wanted)].join('');
    body = body.slice(lead[0].length);
  }
  const translated = translate(body);
  if (translated === undefined) return undefined;
  const source = `^(?:${translated})$`;
  // RE2 matches code points, like the `u` flag; but `u` rejects identity
  // escapes such as `\-` that RE2 accepts, so fall back to the plain form.
  for (const extra of ['u', '']) {
    try {
      return new RegExp(source, flags + extra);
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/** Rewrites RE2-only spellings; `undefined` for constructs RE2 does not have. */
function translate(body: string): string | undefined {
  let out = '';
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    const next = body[i + 1];
    if (ch === '\\') {
      if (next === undefined) return undefined;
      if (!inClass && next >= '1' && next <= '9') return undefined;
      if (!inClass && next === 'A') out += '^';
      else if (!inClass && next === 'z') out += '$';
      else out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (body[i + 1] === '^') out += body[++i];
      if (body[i + 1] === ']') out += body[++i];
      continue;
    }
    if (ch === '(' && next === '?') {
      const rest = body.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!') || rest === '<=' || rest === '<!') return undefined;
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
    }
    out += ch;
  }
  return out;
}
