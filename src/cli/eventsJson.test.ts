import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../model/index.ts';
import { eventJson } from './eventsJson.ts';

describe('eventJson', () => {
  it('gives every time in ms with an Ms suffix and keeps counts as they are', () => {
    const backoff: MeshEvent = { t: 9_873, requestId: 3, attempt: 1, where: { kind: 'sidecar', pod: 'api-1' }, kind: 'retry.backoff', retry: 1, delay: 22_000, range: [0, 25_000], reason: '503' };
    expect(eventJson(backoff)).toEqual({ tMs: 9.873, requestId: 3, attempt: 1, where: { kind: 'sidecar', pod: 'api-1' }, kind: 'retry.backoff', retry: 1, delayMs: 22, rangeMs: [0, 25], reason: '503' });
    const end: MeshEvent = { t: 125_975, requestId: 3, attempt: 0, where: { kind: 'app', pod: 'api-1' }, kind: 'request.end', status: 503, flags: ['URX'], duration: 125_975, attempts: 4, detail: '' };
    expect(eventJson(end)).toMatchObject({ tMs: 125.975, durationMs: 125.975, status: 503, attempts: 4 });
    expect(Object.keys(eventJson(end))).not.toContain('t');
  });
});
