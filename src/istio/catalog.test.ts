import { describe, expect, it } from 'vitest';
import { catalog, diagnostic } from './catalog.ts';

describe('catalog', () => {
  const entries = Object.entries(catalog);

  it('gives every entry a unique MV code in its range', () => {
    const codes = entries.map(([, entry]) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^MV0[0-7]\d\d$/);
    const inRange = (name: string, low: number, high: number) => {
      const number = Number(catalog[name as keyof typeof catalog].code.slice(2));
      return number >= low && number <= high;
    };
    expect(inRange('YamlSyntax', 1, 99) && inRange('UnsupportedFlavor', 100, 199) && inRange('UnknownService', 200, 299)).toBe(true);
    expect(inRange('LinkerdKindIgnored', 600, 649) && inRange('ServiceProfileDisablesAnnotations', 650, 699)).toBe(true);
    expect(inRange('SubsetUndefined', 300, 399) && inRange('RouteHostNotFound', 400, 499)).toBe(true);
    expect(inRange('LiveWorkloadsChanged', 500, 599) && inRange('LiveNoSuchDocument', 500, 599)).toBe(true);
    expect(inRange('AmbientHttpAttributesAtZtunnel', 700, 749) && inRange('AmbientTargetNotFound', 700, 749) && inRange('AmbientRoutingWithoutWaypoint', 750, 799)).toBe(true);
  });

  it('cites Istio and Kiali equivalents by their code', () => {
    for (const [, entry] of entries) {
      for (const code of (entry as { equivalents?: readonly string[] }).equivalents ?? []) expect(code).toMatch(/^(IST|KIA)\d{4}$/);
    }
  });

  it('builds a diagnostic from a name, a location and the parameters', () => {
    const source = { file: 'a.yaml', line: 3, col: 5 };
    expect(diagnostic('UnknownField', { resource: 'Simulation/x', path: 'spec.sede', source }, { field: 'sede', suggestion: 'seed' })).toEqual({
      code: 'MV0041',
      severity: 'warning',
      message: 'unknown field "sede" (did you mean "seed"?)',
      resource: 'Simulation/x',
      path: 'spec.sede',
      source,
    });
    expect(diagnostic('EmptyFile', { severity: 'warning' })).toEqual({
      code: 'MV0004',
      severity: 'warning',
      message: 'file is empty: nothing to load',
    });
  });
});
