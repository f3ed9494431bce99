// Lint rules that keep the architecture honest: the layer star, one public
// surface per layer, and no hidden time or randomness in the pure layers.
import tseslint from 'typescript-eslint';

const LAYERS = ['model', 'istio', 'engine', 'telemetry', 'api', 'ui', 'cli'];

/** Which layers each layer may import (always through that layer's index.ts). */
const ALLOWED = {
  model: [],
  istio: ['model'],
  engine: ['model'],
  telemetry: ['model'],
  api: ['model', 'istio', 'engine', 'telemetry'],
  ui: ['model', 'api', 'telemetry'],
  cli: ['model', 'api', 'telemetry', 'engine'],
};

function layerRules(layer) {
  const forbidden = LAYERS.filter((l) => l !== layer && !ALLOWED[layer].includes(l));
  const patterns = forbidden.map((l) => ({
    regex: `(^|/)${l}/`,
    message: `the ${layer} layer must not depend on ${l} (see ARCHITECTURE.md)`,
  }));
  for (const l of ALLOWED[layer]) {
    patterns.push({
      regex: `(^|/)\\.\\./(\\.\\./)*${l}/(?!index\\.ts$).+`,
      message: `import ${l} through its index.ts, not a file inside it`,
    });
  }
  return {
    files: [`src/${layer}/**/*.{ts,tsx}`],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

const PURE = ['model', 'istio', 'engine', 'telemetry', 'api'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'build/**', 'coverage/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'use named exports; no export *' }],
    },
  },
  ...LAYERS.map(layerRules),
  {
    files: PURE.map((l) => `src/${l}/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'draw from a named RNG stream (engine/kernel/Rng.ts)' },
        { object: 'Date', property: 'now', message: 'virtual time comes from the simulation clock' },
        { object: 'performance', property: 'now', message: 'virtual time comes from the simulation clock' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'schedule on the event queue instead' },
        { name: 'setInterval', message: 'schedule on the event queue instead' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'use named exports; no export *' },
        { selector: "NewExpression[callee.name='Date']", message: 'virtual time comes from the simulation clock' },
      ],
    },
  },
  // One owner per piece of engine state: gauges.ts takes and releases circuit-breaker slots;
  // router.ts holds a request's retry policy, retries left, back-off and route timer;
  // pool.ts opens and closes the streams of a multiplexed connection.
  ...ownedState(),
);

function ownedState() {
  const base = [
    { selector: 'ExportAllDeclaration', message: 'use named exports; no export *' },
    { selector: "NewExpression[callee.name='Date']", message: 'virtual time comes from the simulation clock' },
  ];
  const gauges = [
    { selector: "AssignmentExpression[left.object.property.name='open'], UpdateExpression[argument.object.property.name='open']", message: 'circuit-breaker gauges change only in engine/sim/gauges.ts' },
    { selector: "AssignmentExpression[left.property.name='activeRequests'], UpdateExpression[argument.property.name='activeRequests']", message: 'active-request counts change only in engine/sim/gauges.ts' },
  ];
  const routerFields = '/^(retryPolicy|retriesLeft|routeTimeout|routeTimer|backoff)$/';
  const router = [
    { selector: `AssignmentExpression[left.property.name=${routerFields}], UpdateExpression[argument.property.name=${routerFields}]`, message: "a request's retry policy, retries left, back-off and route timer change only in engine/sim/router.ts" },
  ];
  const streams = [
    { selector: "AssignmentExpression[left.property.name='streams'], UpdateExpression[argument.property.name='streams']", message: "an HTTP/2 connection's open streams change only in engine/sim/pool.ts" },
  ];
  const owners = { 'src/engine/sim/gauges.ts': gauges, 'src/engine/sim/router.ts': router, 'src/engine/sim/pool.ts': streams };
  const all = [...gauges, ...router, ...streams];
  return [
    { files: ['src/engine/sim/**/*.ts'], ignores: [...Object.keys(owners), '**/*.test.ts'], rules: { 'no-restricted-syntax': ['error', ...base, ...all] } },
    ...Object.entries(owners).map(([file, own]) => ({ files: [file], rules: { 'no-restricted-syntax': ['error', ...base, ...all.filter((r) => !own.includes(r))] } })),
  ];
}
