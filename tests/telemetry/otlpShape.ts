/**
 * A check of OTLP/JSON written from the OpenTelemetry protocol's own rules
 * (opentelemetry-proto `docs/specification.md`, "JSON Protobuf Encoding", and
 * `opentelemetry/proto/trace/v1/trace.proto`, `common/v1/common.proto`):
 * field names in lowerCamelCase, trace and span ids as hex (not base64),
 * enums as integers, 64-bit integers (`fixed64` times, `int64` values) as
 * decimal strings, no fields the messages do not have. Returns the problems.
 */
export function otlpProblems(request: unknown): string[] {
  const problems: string[] = [];
  const fail = (at: string, what: string): void => {
    problems.push(`${at}: ${what}`);
  };
  const object = (v: unknown, at: string, allowed: readonly string[]): v is Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      fail(at, 'not an object');
      return false;
    }
    for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(at, `unknown field ${k}`);
    return true;
  };
  const array = (v: unknown, at: string): unknown[] => {
    if (Array.isArray(v)) return v;
    fail(at, 'not an array');
    return [];
  };
  const hex = (v: unknown, at: string, digits: number): void => {
    if (typeof v !== 'string' || !new RegExp(`^[0-9a-f]{${digits}}$`).test(v) || /^0+$/.test(v)) fail(at, `not ${digits} lower-case hex digits, not all zero: ${String(v)}`);
  };
  const uint64 = (v: unknown, at: string): void => {
    if (typeof v !== 'string' || !/^(0|[1-9]\d{0,19})$/.test(v) || BigInt(v) >= 2n ** 64n) fail(at, `not a uint64 as a decimal string: ${String(v)}`);
  };
  const anyValue = (v: unknown, at: string): void => {
    if (!object(v, at, ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'])) return;
    const set = Object.keys(v);
    if (set.length !== 1) return fail(at, `AnyValue must hold one value, has ${set.join(', ') || 'none'}`);
    if ('stringValue' in v && typeof v.stringValue !== 'string') fail(at, 'stringValue not a string');
    if ('boolValue' in v && typeof v.boolValue !== 'boolean') fail(at, 'boolValue not a boolean');
    if ('intValue' in v && (typeof v.intValue !== 'string' || !/^-?(0|[1-9]\d{0,18})$/.test(v.intValue))) fail(at, 'intValue not an int64 as a decimal string');
    if ('doubleValue' in v && typeof v.doubleValue !== 'number') fail(at, 'doubleValue not a number');
  };
  const attributes = (v: unknown, at: string): void => {
    array(v, at).forEach((kv, i) => {
      if (!object(kv, `${at}[${i}]`, ['key', 'value'])) return;
      if (typeof kv.key !== 'string' || kv.key === '') fail(`${at}[${i}].key`, 'not a non-empty string');
      anyValue(kv.value, `${at}[${i}].value`);
    });
  };
  if (!object(request, '$', ['resourceSpans'])) return problems;
  array(request.resourceSpans, '$.resourceSpans').forEach((rs, i) => {
    const at = `$.resourceSpans[${i}]`;
    if (!object(rs, at, ['resource', 'scopeSpans', 'schemaUrl'])) return;
    if (object(rs.resource, `${at}.resource`, ['attributes', 'droppedAttributesCount'])) attributes(rs.resource.attributes, `${at}.resource.attributes`);
    array(rs.scopeSpans, `${at}.scopeSpans`).forEach((ss, j) => {
      const sat = `${at}.scopeSpans[${j}]`;
      if (!object(ss, sat, ['scope', 'spans', 'schemaUrl'])) return;
      object(ss.scope, `${sat}.scope`, ['name', 'version', 'attributes', 'droppedAttributesCount']);
      array(ss.spans, `${sat}.spans`).forEach((span, k) => {
        const pat = `${sat}.spans[${k}]`;
        const fields = ['traceId', 'spanId', 'traceState', 'parentSpanId', 'flags', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'status'];
        if (!object(span, pat, fields)) return;
        hex(span.traceId, `${pat}.traceId`, 32);
        hex(span.spanId, `${pat}.spanId`, 16);
        if ('parentSpanId' in span) hex(span.parentSpanId, `${pat}.parentSpanId`, 16);
        if (typeof span.name !== 'string' || span.name === '') fail(`${pat}.name`, 'not a non-empty string');
        if (!Number.isInteger(span.kind) || (span.kind as number) < 0 || (span.kind as number) > 5) fail(`${pat}.kind`, 'not a SpanKind number 0-5');
        uint64(span.startTimeUnixNano, `${pat}.startTimeUnixNano`);
        uint64(span.endTimeUnixNano, `${pat}.endTimeUnixNano`);
        if (typeof span.startTimeUnixNano === 'string' && typeof span.endTimeUnixNano === 'string' && BigInt(span.endTimeUnixNano) < BigInt(span.startTimeUnixNano)) fail(pat, 'ends before it starts');
        attributes(span.attributes, `${pat}.attributes`);
        if (object(span.status, `${pat}.status`, ['message', 'code']) && 'code' in span.status && ![0, 1, 2].includes(span.status.code as number)) fail(`${pat}.status.code`, 'not a StatusCode number 0-2');
      });
    });
  });
  return problems;
}
