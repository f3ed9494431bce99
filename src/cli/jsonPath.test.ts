import { describe, expect, it } from 'vitest';
import { selectJsonPath } from './jsonPath.ts';

const data = { status: 503, flags: ['URX'], events: [{ kind: 'request.start' }, { kind: 'request.end', status: 503 }] };

describe('-o jsonpath as kubectl reads it', () => {
  it('selects with {…} templates, literal text between, several matches space separated', () => {
    expect(selectJsonPath(data, '{.status}')).toBe('503');
    expect(selectJsonPath(data, '{.events[*].kind}')).toBe('request.start request.end');
    expect(selectJsonPath(data, 'status={.status}{"\\n"}')).toBe('status=503\n');
    expect(selectJsonPath(data, '{.events[1]}')).toBe('{"kind":"request.end","status":503}');
    expect(selectJsonPath(data, '$.flags[0]')).toBe('URX');
    expect(selectJsonPath(data, '{.events[?(@.status==503)].kind}')).toBe('request.end');
  });

  it('reports a template whose braces do not pair up', () => {
    expect(() => selectJsonPath(data, '{.status')).toThrow('-o jsonpath={.status: braces do not pair up (e.g. jsonpath={.status} or jsonpath={.events[*].kind})');
  });
});
