/**
 * Values a hostile or careless user writes, by what the field holds. The
 * mutator picks from the list that fits the key it mutates, and now and then
 * from any list, so a duration field also gets a name and a regex a number.
 */
const BIG = '9'.repeat(400);

export const HOSTILE = {
  duration: [
    '0s', '0', '1ns', '999ns', '1us', '1ms', '-1s', '1000h', '8760h', '8761h', '2562047h', '2562048h', `${BIG}s`, `${BIG}ms`,
    '0.0000001ms', '1e9s', '1h1h1h1h', '.5s', '5', 's', '', '1m30s', '100ms', '30s',
  ],
  number: [
    0, -1, 1, 2, 3, 7, 100, 101, 65535, 65536, 100000, 1e9, 1e15, 9007199254740993, 1e308, -0, 0.5, 1e-9, Infinity, -Infinity, NaN,
    BigInt(BIG),
  ],
  name: [
    'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'isPrototypeOf', 'then', '', 'a'.repeat(300),
    'x y', '*', '.', '..', '-', 'é', 'default', 'kube-system', 'api', 'web', 'users', 'reviews', 'productpage',
  ],
  regex: [
    '/(a+)+b', '(a|aa)*c', '(x+x+)+y', '(?=x)', '(?!x)', '(?<=x)', '\\1', '(?P<n>x)', '(?<n>x)', '[', '(', '*', '.*', 'a{1000}{1000}',
    'a{1001}', '(?i)ABC', '(?U)a+', '\\p{Greek}+', '[[:alpha:]]+', 'x'.repeat(2000), '\\', '^/api/.*$', '\\d+', '\\C',
  ],
  path: ['/', '', '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac', '/' + 'a'.repeat(5000), '/%00', '/../etc/passwd', '?', '/users/1'],
  other: [null, true, false, '~', '{}', [], {}, 'STRICT', 'DISABLE', 'PERMISSIVE', 'ISTIO_MUTUAL', '5xx', 'reset', 'hang', 'slow', 'refuse', '503'],
} as const;

export type ValueKind = keyof typeof HOSTILE;

const KEY_KINDS: ReadonlyArray<[RegExp, ValueKind]> = [
  [/^(timeout|interval|baseEjectionTime|maxEjectionTime|at|duration|start|p50|p99|fixed|perTryTimeout|backoff|fixedDelay|delay|pushDelay|proxyProcessing|loopback|wire|tcpHandshake|tlsHandshake|connectTimeout|idleTimeout)$/, 'duration'],
  [/^(regex)$/, 'regex'],
  [/^(path|prefix|exact)$/, 'path'],
  [/^(rps|requests|connections|weight|attempts|errorRate|seed|replicas|number|port|targetPort|containerPort|value|retries|consecutive5xxErrors|consecutiveGatewayErrors|maxEjectionPercent|minHealthPercent|httpStatus|maxConnections|http1MaxPendingRequests|http2MaxRequests|maxRequestsPerConnection|maxRetries)$/, 'number'],
  [/^(name|host|service|from|to|workload|subset|namespace|app|version|serviceAccountName|hosts|pod)$/, 'name'],
];

/** Which list fits a field, by its key. */
export function kindOfKey(key: string): ValueKind {
  return KEY_KINDS.find(([pattern]) => pattern.test(key))?.[1] ?? 'other';
}

/**
 * Pieces of configuration to graft into any mapping: each valid somewhere,
 * each hostile in its values.
 */
export const GRAFTS: ReadonlyArray<[string, unknown]> = [
  ['retries', { attempts: 1000, perTryTimeout: '1ns', retryOn: '5xx,reset,connect-failure' }],
  ['retries', { attempts: 3, perTryTimeout: '1ms', retryOn: 'gateway-error' }],
  ['fault', { delay: { fixedDelay: '8760h', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 50 } } }],
  ['timeout', '1ns'],
  ['outlierDetection', { consecutive5xxErrors: 1, interval: '1ms', baseEjectionTime: '2562047h', maxEjectionPercent: 100 }],
  ['match', [{ uri: { regex: '/(a+)+b' } }, { headers: { constructor: { exact: 'x' } } }, { headers: { ['__proto__']: { prefix: '' } } }]],
  ['match', [{ queryParams: { toString: { regex: '(x+x+)+y' } } }]],
  ['mirror', { host: 'api' }],
  ['mirrorPercentage', { value: 100 }],
  ['calls', [{ service: 'api:8080', path: '/loop' }, { service: 'api:8080', parallel: true }]],
  ['calls', [{ service: 'web:8080', timeout: '1ns', retries: 1000 }]],
  ['latency', { fixed: '0s' }],
  ['latency', { p50: '8760h', p99: '1ns' }],
  ['headers', { constructor: 'x', ['__proto__']: 'y', toString: 'z' }],
  ['propagateHeaders', ['constructor', '__proto__', 'hasOwnProperty']],
  ['errorRate', 1],
  ['connectionPool', { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }],
  ['loadBalancer', { consistentHash: { httpHeaderName: 'constructor', ringHash: { minimumRingSize: 8388608 } } }],
  ['costs', { proxyProcessing: '0s', loopback: '0s', wire: '0s', tcpHandshake: '0s', tlsHandshake: '0s' }],
  ['traffic', [{ name: 'flood', from: 'external', to: 'api:8080', rps: 1e9, duration: '1000h' }]],
  ['traffic', [{ name: 'closed', from: 'external', to: 'api:8080', connections: 100000, requests: 1e9 }]],
  ['timeline', [{ at: '1ms', fail: { workload: 'constructor', mode: 'hang' } }, { at: '2ms', controlPlane: 'down' }]],
  ['seed', 9007199254740993],
  ['selector', { matchLabels: { constructor: 'x' } }],
  ['labels', { ['__proto__']: 'x', constructor: 'y' }],
];
