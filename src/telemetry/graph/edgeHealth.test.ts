import { describe, expect, it } from 'vitest';
import { edgeHealth, edgeRates } from './ServiceGraph.ts';

// Kiali's default request-rate tolerances (kiali/kiali config/config.go, AddHealthDefault):
// 5XX failure 10 %, 4XX degraded 10 % / failure 20 %, no response ("-") failure 10 %.
const health = (responses: Record<string, Record<string, number>>) => {
  const requests = Object.values(responses).reduce((n, f) => n + Object.values(f).reduce((a, b) => a + b, 0), 0);
  return edgeHealth(edgeRates({ requests, responses, mtls: 0, plaintext: 0 }, 10_000));
};

describe('edge health, as Kiali colours an edge', () => {
  it('fails at 10 % 5xx, degrades below', () => {
    expect(health({ '200': { '-': 90 }, '503': { UH: 10 } })).toBe('failure');
    expect(health({ '200': { '-': 91 }, '503': { UH: 9 } })).toBe('degraded');
    expect(health({ '200': { '-': 100 } })).toBe('healthy');
  });
  it('counts a missing answer like a 5xx', () => {
    expect(health({ '200': { '-': 9 }, '0': { UF: 1 } })).toBe('failure');
  });
  it('degrades at 10 % 4xx and fails at 20 %', () => {
    expect(health({ '200': { '-': 91 }, '404': { '-': 9 } })).toBe('healthy');
    expect(health({ '200': { '-': 90 }, '403': { '-': 10 } })).toBe('degraded');
    expect(health({ '200': { '-': 80 }, '403': { '-': 20 } })).toBe('failure');
  });
  it('an edge without requests is healthy', () => {
    expect(health({})).toBe('healthy');
  });
});
