import { describe, expect, it } from 'vitest';
import { choiceOption, durationOption, headerRecord, integerOption, parseFail, parseHeader, parseMethod, parseSeed, percentOption } from './options.ts';
import { chosenOutput, outputOption } from './output.ts';

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
};

describe('flag values: each bad one names the flag and what it accepts', () => {
  it('integers within a range', () => {
    const repeat = integerOption('--repeat', 1, 10_000);
    expect(repeat('8')).toBe(8);
    for (const bad of ['0', '10001', '-1', '1.5', 'x', '']) expect(message(() => repeat(bad))).toBe(`invalid value "${bad}" for --repeat (expected an integer from 1 to 10000)`);
    expect(parseSeed('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(message(() => parseSeed('9007199254740993'))).toBe('invalid value "9007199254740993" for --seed (expected an integer from 0 to 9007199254740991)');
  });

  it('percentages, durations, methods, headers', () => {
    expect(percentOption('--fail-under')('80.5')).toBe(80.5);
    expect(message(() => percentOption('--fail-under')('101'))).toBe('invalid value "101" for --fail-under (expected a percentage from 0 to 100)');
    expect(durationOption('--duration')('30s')).toBe(30_000_000);
    expect(message(() => durationOption('--duration')('0s'))).toMatch(/^invalid value "0s" for --duration \(expected a duration more than 0/);
    // A 400-digit duration parses as longer than Go can hold; it once ran a simulation without end.
    expect(message(() => durationOption('--duration')(`${'9'.repeat(400)}s`))).toMatch(/^invalid value "9+s" for --duration \(expected a duration more than 0 and at most 8760h \(a year\)/);
    expect(parseMethod('post')).toBe('POST');
    expect(message(() => parseMethod('GET /'))).toBe('invalid value "GET /" for --method (expected an HTTP method such as GET, POST or DELETE)');
    expect(parseHeader('End-User: jason')).toEqual(['end-user', 'jason']);
    expect(message(() => parseHeader('jason'))).toBe('invalid value "jason" for --header (expected key:value, e.g. end-user:jason)');
  });

  it('choices suggest the nearest', () => {
    expect(message(() => choiceOption('--scenario', ['default', 'bookinfo'])('bookinf'))).toBe('invalid value "bookinf" for --scenario (did you mean bookinfo? expected default or bookinfo)');
  });

  it('--fail: TARGET=MODE, or alone for the exit status', () => {
    expect(parseFail('users-v1=503')).toEqual({ kind: 'target', target: 'users-v1', mode: '503' });
    expect(parseFail('')).toEqual({ kind: 'status' });
    expect(message(() => parseFail('users-v1=reste'))).toBe('invalid value "users-v1=reste" for --fail (did you mean users-v1=reset? expected TARGET=MODE with MODE one of 503 500 reset refuse hang slow, or --fail alone to exit 1 on a non-2xx answer)');
    expect(message(() => parseFail('my-dir/'))).toMatch(/; files go before --fail\)$/);
  });

  it('-o as kubectl spells it, with --json as its alias', () => {
    const data = outputOption(['wide', 'json', 'yaml', 'jsonpath']);
    expect(data('wide')).toEqual({ kind: 'text', wide: true });
    expect(data('jsonpath={.status}')).toEqual({ kind: 'jsonpath', expression: '{.status}' });
    expect(message(() => data('jsn'))).toBe('invalid value "jsn" for -o (did you mean json? expected wide, json, yaml, jsonpath=EXPR)');
    expect(message(() => outputOption(['yaml', 'json'], (t) => `use --output-dir ${t}`)('out/'))).toBe('invalid value "out/" for -o (expected yaml or json; use --output-dir out/)');
    expect(chosenOutput({ json: true })).toEqual({ kind: 'json' });
    expect(chosenOutput({})).toEqual({ kind: 'text', wide: false });
    expect(message(() => chosenOutput({ json: true, output: { kind: 'yaml' } }))).toBe('--json and -o ask for different outputs (give one of them)');
  });
});

describe('--header given more than once', () => {
  it('joins a name’s values with a comma in the order given, as Envoy reads a repeated header for route matching', () => {
    const pairs = ['End-User: a', 'x-canary:1', 'end-user:jason'].map(parseHeader);
    expect(headerRecord(pairs)).toEqual({ 'end-user': 'a,jason', 'x-canary': '1' });
    expect(headerRecord([])).toEqual({});
  });
});
