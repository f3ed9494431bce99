import type { HTTPMatchRequest } from '../../model/index.ts';
import { canonical } from '../canonical.ts';

/**
 * Whether every request `later` matches is also matched by `earlier`, so that
 * `later` can never be the first match (istioctl's "duplicate/overlapping
 * match", IST0131). Sound but not complete: it says yes for equal conditions,
 * a missing condition in `earlier`, label subsets and URI prefixes that cover
 * the later URI; anything it cannot prove (regexes that differ) is "no".
 */
export function matchCovers(earlier: HTTPMatchRequest, later: HTTPMatchRequest): boolean {
  return (
    uriCovers(earlier, later) &&
    sameOrAbsent(earlier.scheme, later.scheme) &&
    sameOrAbsent(earlier.method, later.method) &&
    sameOrAbsent(earlier.authority, later.authority) &&
    mapCovers(earlier.headers, later.headers, true) &&
    mapCovers(earlier.withoutHeaders, later.withoutHeaders, true) &&
    mapCovers(earlier.queryParams, later.queryParams, false) &&
    mapCovers(earlier.sourceLabels, later.sourceLabels, false) &&
    sameOrAbsent(earlier.port, later.port) &&
    sameOrAbsent(earlier.sourceNamespace, later.sourceNamespace) &&
    sameOrAbsent(sorted(earlier.gateways), sorted(later.gateways))
  );
}

function uriCovers(earlier: HTTPMatchRequest, later: HTTPMatchRequest): boolean {
  const a = earlier.uri;
  if (!a || a.prefix === '/' || a.regex === '.*') return true;
  const b = later.uri;
  if (!b) return false;
  const aFolds = earlier.ignoreUriCase === true;
  const bFolds = later.ignoreUriCase === true;
  // A case-sensitive earlier match does not cover a later one that ignores case.
  if (bFolds && !aFolds) return false;
  const fold = (text: string): string => (aFolds ? text.toLowerCase() : text);
  if (a.exact !== undefined) return b.exact !== undefined && fold(b.exact) === fold(a.exact);
  if (a.prefix !== undefined) {
    const target = b.exact ?? b.prefix;
    return target !== undefined && fold(target).startsWith(fold(a.prefix));
  }
  return a.regex !== undefined && b.regex === a.regex && aFolds === bFolds;
}

function sameOrAbsent(a: unknown, b: unknown): boolean {
  return a === undefined || canonical(a) === canonical(b);
}

/** Every condition of `a` appears, identical, in `b`. Header names compare case-insensitively. */
function mapCovers(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined, foldKeys: boolean): boolean {
  const key = (k: string): string => (foldKeys ? k.toLowerCase() : k);
  const inB = new Map(Object.entries(b ?? {}).map(([k, v]) => [key(k), canonical(v)]));
  return Object.entries(a ?? {}).every(([k, v]) => inB.get(key(k)) === canonical(v));
}

function sorted(list: string[] | undefined): string[] | undefined {
  return list && [...list].sort();
}
