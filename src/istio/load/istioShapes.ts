import type { Shape } from './checkShape.ts';

/**
 * The shapes of the Istio specs meshviz reads, after Istio's protos
 * (`networking/v1alpha3/*.proto`, `security/v1beta1/*.proto`). Fields meshviz
 * does not simulate are listed as `any` so real manifests load without
 * warnings; only fields Istio does not know at all are reported.
 */

const strings: Shape = { array: 'string' };
const stringMap: Shape = { map: 'string' };
const percent: Shape = { object: { value: 'number' } };
const stringMatch: Shape = { object: { exact: 'string', prefix: 'string', regex: 'string' } };
const portSelector: Shape = { object: { number: 'integer' } };
const destination: Shape = { object: { host: 'string', subset: 'string', port: portSelector } };

const httpMatch: Shape = {
  object: {
    name: 'string', uri: stringMatch, scheme: stringMatch, method: stringMatch, authority: stringMatch,
    headers: { map: stringMatch }, withoutHeaders: { map: stringMatch }, queryParams: { map: stringMatch },
    ignoreUriCase: 'boolean', port: 'integer', sourceLabels: stringMap, sourceNamespace: 'string',
    gateways: strings, statPrefix: 'string',
  },
};

const httpRoute: Shape = {
  object: {
    name: 'string',
    match: { array: httpMatch },
    route: { array: { object: { destination, weight: 'integer', headers: 'any' } } },
    redirect: {
      object: {
        uri: 'string', authority: 'string', port: 'integer', derivePort: 'any', scheme: 'string', redirectCode: 'integer',
      },
    },
    directResponse: { object: { status: 'integer', body: { object: { string: 'string', bytes: 'string' } } } },
    delegate: 'any',
    rewrite: 'any',
    timeout: 'duration',
    retries: {
      object: {
        attempts: 'integer', perTryTimeout: 'duration', retryOn: 'string', retryRemoteLocalities: 'boolean',
        retryIgnorePreviousHosts: 'boolean', backoff: 'duration',
      },
    },
    fault: {
      object: {
        delay: {
          object: { fixedDelay: 'duration', exponentialDelay: 'duration', percentage: percent, percent: 'integer' },
        },
        abort: { object: { httpStatus: 'integer', grpcStatus: 'string', http2Error: 'string', percentage: percent } },
      },
    },
    mirror: destination,
    mirrorPercentage: percent,
    mirrorPercent: 'integer',
    mirrors: { array: { object: { destination, percentage: percent } } },
    corsPolicy: 'any',
    headers: 'any',
  },
};

export const virtualServiceShape: Shape = {
  object: {
    hosts: strings, gateways: strings, http: { array: httpRoute }, tcp: { array: 'any' }, tls: { array: 'any' },
    exportTo: strings,
  },
};

const loadBalancer: Shape = {
  object: {
    simple: { enum: ['UNSPECIFIED', 'LEAST_REQUEST', 'LEAST_CONN', 'ROUND_ROBIN', 'RANDOM', 'PASSTHROUGH'] },
    consistentHash: {
      object: {
        httpHeaderName: 'string',
        httpCookie: { object: { name: 'string', path: 'string', ttl: 'duration', attributes: 'any' } },
        useSourceIp: 'boolean', httpQueryParameterName: 'string',
        ringHash: { object: { minimumRingSize: 'integer' } }, maglev: { object: { tableSize: 'integer' } },
        minimumRingSize: 'integer',
      },
    },
    localityLbSetting: 'any', warmupDurationSecs: 'duration', warmup: 'any',
  },
};

const connectionPool: Shape = {
  object: {
    tcp: {
      object: {
        maxConnections: 'integer', connectTimeout: 'duration', tcpKeepalive: 'any',
        maxConnectionDuration: 'duration', idleTimeout: 'duration',
      },
    },
    http: {
      object: {
        http1MaxPendingRequests: 'integer', http2MaxRequests: 'integer', maxRequestsPerConnection: 'integer',
        maxRetries: 'integer', idleTimeout: 'duration', h2UpgradePolicy: 'string', useClientProtocol: 'boolean',
        maxConcurrentStreams: 'integer',
      },
    },
  },
};

const outlierDetection: Shape = {
  object: {
    consecutive5xxErrors: 'integer', consecutiveGatewayErrors: 'integer', consecutiveLocalOriginFailures: 'integer',
    consecutiveErrors: 'integer', splitExternalLocalOriginErrors: 'boolean', interval: 'duration',
    baseEjectionTime: 'duration', maxEjectionPercent: 'integer', minHealthPercent: 'integer',
  },
};

const clientTls: Shape = {
  object: {
    mode: { enum: ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'] }, sni: 'string', subjectAltNames: strings,
    clientCertificate: 'string', privateKey: 'string', caCertificates: 'string', credentialName: 'string',
    insecureSkipVerify: 'boolean', caCrl: 'string',
  },
};

const portTrafficPolicy = { port: portSelector, loadBalancer, connectionPool, outlierDetection, tls: clientTls };

const trafficPolicy: Shape = {
  object: {
    loadBalancer, connectionPool, outlierDetection, tls: clientTls,
    portLevelSettings: { array: { object: portTrafficPolicy } },
    tunnel: 'any', proxyProtocol: 'any',
    retryBudget: { object: { percent, minRetryConcurrency: 'integer' } },
  },
};

export const destinationRuleShape: Shape = {
  object: {
    host: 'string', trafficPolicy,
    subsets: { array: { object: { name: 'string', labels: stringMap, trafficPolicy } } },
    exportTo: strings, workloadSelector: 'any',
  },
};

const workloadSelector: Shape = { object: { matchLabels: stringMap } };
const mtlsMode: Shape = { object: { mode: { enum: ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] } } };

export const peerAuthenticationShape: Shape = {
  object: { selector: workloadSelector, mtls: mtlsMode, portLevelMtls: { map: mtlsMode } },
};

/** An object whose fields are all lists of strings, each with its `not…` twin. */
function stringLists(...names: string[]): Shape {
  const fields: Record<string, Shape> = {};
  for (const name of names) {
    fields[name] = strings;
    fields[`not${name[0]?.toUpperCase()}${name.slice(1)}`] = strings;
  }
  return { object: fields };
}

const source = stringLists(
  'principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'serviceAccounts',
);
const operation = stringLists('hosts', 'ports', 'methods', 'paths');

export const authorizationPolicyShape: Shape = {
  object: {
    selector: workloadSelector, targetRef: 'any', targetRefs: 'any',
    action: { enum: ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'] }, provider: 'any',
    rules: {
      array: {
        object: {
          from: { array: { object: { source } } },
          to: { array: { object: { operation } } },
          when: { array: { object: { key: 'string', values: strings, notValues: strings } } },
        },
      },
    },
  },
};
