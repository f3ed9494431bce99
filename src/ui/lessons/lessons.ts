import type { DocRef, MtlsMode, SourceFile } from '../../api/index.ts';
import type { FailureMode, Micros } from '../../model/index.ts';
import legacy from '../../../examples/legacy-client.yaml?raw';
import istiodOutage from '../../../scenarios/lessons/istiod-outage.yaml?raw';
import retryStorm from '../../../scenarios/lessons/retry-storm.yaml?raw';
import slowPod from '../../../scenarios/lessons/slow-pod.yaml?raw';
import subsetBeforeRule from '../../../scenarios/lessons/subset-before-rule.yaml?raw';
import shop from '../../../scenarios/default.yaml?raw';

/** What "Do it" does for a step: the same as the control the step names. */
export type LessonAction =
  | { kind: 'weights'; route: string; weights: number[] }
  /** `speed`: the factor to watch it at, when the action's own default would be too slow (retries, back-offs). */
  | { kind: 'send'; from: string; to: string; count: number; speed?: number }
  | { kind: 'fail'; workload: string; mode: FailureMode | undefined }
  | { kind: 'mtls'; mode: MtlsMode }
  | { kind: 'document'; ref: DocRef; text: string }
  | { kind: 'add'; file: SourceFile }
  | { kind: 'story' }
  /** Lets simulated time pass (a push lands, an ejection runs out, a certificate expires). */
  | { kind: 'advance'; micros: Micros };

export interface LessonStep {
  /** What to click, what to watch, and why it happens. */
  text: string;
  /** The YAML that makes it happen, when there is some to show. */
  yaml?: string;
  act: LessonAction[];
}

export interface Lesson {
  id: string;
  title: string;
  /** One line: what the lesson shows. */
  summary: string;
  files: SourceFile[];
  steps: LessonStep[];
}

/** A control's change reaches the sidecars after istiod's push delay (100 ms): the steps let it land before sending. */
const PUSH: LessonAction = { kind: 'advance', micros: 150_000 };
const USERS = 'default/users#0';

const apiPermissive = `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: api-permissive, namespace: default }
spec:
  selector: { matchLabels: { app: api } }
  mtls: { mode: PERMISSIVE }
`;

const leastRequest = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api }
spec:
  host: api
  trafficPolicy:
    loadBalancer: { simple: LEAST_REQUEST }
`;

const noRetries = (host: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ${host} }
spec:
  hosts: [${host}]
  http: [{ route: [{ destination: { host: ${host} } }], retries: { attempts: 0 } }]
`;

/** The guided stories: each a scenario file of the repo and the steps the page walks through. */
export const LESSONS: readonly Lesson[] = [
  {
    id: 'canary',
    title: 'Canary rollout: 100/0 → 0/100',
    summary: 'Move users from v1 to v2 with the VirtualService weights, and watch the split follow them.',
    files: [{ name: 'default.yaml', text: shop }],
    steps: [
      {
        text: 'Put every request on v1: drag the users v1 slider to 100 (Do it does it for you). The Live config shows the VirtualService weights changing; istiod pushes them to the sidecars 100 ms later.',
        yaml: 'route:\n  - destination: { host: users, subset: v1 }\n    weight: 100\n  - destination: { host: users, subset: v2 }\n    weight: 0',
        act: [{ kind: 'weights', route: USERS, weights: [100, 0] }, PUSH],
      },
      { text: 'Send 100 from api to users. Every request goes to v1: the v2 share bar stays empty.', act: [{ kind: 'send', from: 'api', to: 'users', count: 100 }] },
      {
        text: 'Move half of the traffic: 50/50, then Send 100. api’s sidecar draws each request’s subset by weight, so the split comes out near half, not exactly half.',
        yaml: '    weight: 50\n  ...\n    weight: 50',
        act: [{ kind: 'weights', route: USERS, weights: [50, 50] }, PUSH, { kind: 'send', from: 'api', to: 'users', count: 100 }],
      },
      {
        text: 'Finish the rollout: 0/100 and Send 100. Nothing reaches v1 any more; its rx count stands still.',
        act: [{ kind: 'weights', route: USERS, weights: [0, 100] }, PUSH, { kind: 'send', from: 'api', to: 'users', count: 100 }],
      },
    ],
  },
  {
    id: 'failing-pod',
    title: 'A failing pod: retries, ejection, fail-fast, recovery',
    summary: 'Break users-v1 and watch api’s sidecar retry, eject it, fail fast, and let it back in.',
    files: [{ name: 'default.yaml', text: shop }],
    steps: [
      { text: 'Make users-v1 fail: set its health tag to “failing 503”.', act: [{ kind: 'fail', workload: 'users-v1', mode: '503' }] },
      {
        text: 'Send 10 from api to users. api’s sidecar retries each 503 after a back-off (the orange ring), into the same subset. After five 503s in a row outlier detection ejects users-v1: the grid says ejected, breaker open.',
        yaml: 'retries: { attempts: 3, retryOn: 5xx,connect-failure }\noutlierDetection: { consecutive5xxErrors: 5, baseEjectionTime: 30s }',
        act: [{ kind: 'send', from: 'api', to: 'users', count: 10, speed: 0.1 }],
      },
      {
        text: 'Send 10 again. Requests drawn for v1 now fail fast with 503 UH: the sidecar has no healthy endpoint and sends nothing (users-v1’s rx stands still). The ones drawn for v2 still succeed.',
        act: [{ kind: 'send', from: 'api', to: 'users', count: 10 }],
      },
      {
        text: 'Heal users-v1 and let 35 s pass: the 30 s ejection runs out and the pod comes back at the next interval check (half-open: its next run of failures would eject it for longer).',
        act: [{ kind: 'fail', workload: 'users-v1', mode: undefined }, { kind: 'advance', micros: 35_000_000 }],
      },
      { text: 'Send 10: users-v1 serves again.', act: [{ kind: 'send', from: 'api', to: 'users', count: 10 }] },
    ],
  },
  {
    id: 'retry-storm',
    title: 'A retry storm across three layers',
    summary: 'Three hops that each retry three times turn one request into 64 at the bottom.',
    files: [{ name: 'retry-storm.yaml', text: retryStorm }],
    steps: [
      { text: 'Make db fail with 503.', act: [{ kind: 'fail', workload: 'db', mode: '503' }] },
      {
        text: 'Send one request from web to api and watch the rx counts: api gets 4 attempts, users 16, db 64. Every layer retries what the layer below gave up on. `meshviz analyze` warns about it (MV0413).',
        yaml: 'retries: { attempts: 3, retryOn: 5xx }   # on api, on users and on db',
        act: [{ kind: 'send', from: 'web', to: 'api', count: 1, speed: 1 }],
      },
      {
        text: 'The fix: retry at one layer only. Do it takes the retries off users’ and db’s VirtualServices; send again and db gets 4 attempts, not 64.',
        yaml: 'retries: { attempts: 0 }   # on users and on db',
        act: [
          { kind: 'document', ref: { kind: 'VirtualService', name: 'users', namespace: 'default' }, text: noRetries('users') },
          { kind: 'document', ref: { kind: 'VirtualService', name: 'db', namespace: 'default' }, text: noRetries('db') },
          PUSH,
          { kind: 'send', from: 'web', to: 'api', count: 1, speed: 1 },
        ],
      },
    ],
  },
  {
    id: 'slow-pod',
    title: 'A slow pod: round robin vs least request',
    summary: 'One of three api pods answers 200 ms late; see how each balancer treats it.',
    files: [{ name: 'slow-pod.yaml', text: slowPod }],
    steps: [
      {
        text: 'Play the story: 100 requests a second from web to api for 10 s, balanced ROUND_ROBIN. api-slow answers 200 ms late, yet round robin gives it a third of the requests: watch its rx and the p99.',
        yaml: 'trafficPolicy:\n  loadBalancer: { simple: ROUND_ROBIN }',
        act: [{ kind: 'story' }],
      },
      {
        text: 'Switch the DestinationRule to LEAST_REQUEST (Do it edits it) and play the story again. Envoy picks the less busy of two random pods; api-slow’s requests pile up, so it gets far fewer and the p99 drops.',
        yaml: leastRequest,
        act: [{ kind: 'document', ref: { kind: 'DestinationRule', name: 'api', namespace: 'default' }, text: leastRequest }, { kind: 'story' }],
      },
    ],
  },
  {
    id: 'strict-mtls',
    title: 'STRICT mTLS breaks a caller without a sidecar, and the fix',
    summary: 'legacy talks plaintext; STRICT resets it at api’s sidecar until api is left PERMISSIVE.',
    files: [
      { name: 'default.yaml', text: shop },
      { name: 'legacy-client.yaml', text: legacy },
    ],
    steps: [
      { text: 'legacy has no sidecar, so it talks plaintext (a solid wire). Send from legacy to api: under PERMISSIVE it gets through.', act: [{ kind: 'send', from: 'legacy', to: 'api', count: 1 }] },
      {
        text: 'Turn on STRICT (Mutual TLS → STRICT) and send again: api’s sidecar resets the plaintext connection, and legacy gets no HTTP status at all. The red octagon marks where it stopped.',
        yaml: 'kind: PeerAuthentication\nmetadata: { name: default, namespace: istio-system }\nspec: { mtls: { mode: STRICT } }',
        act: [{ kind: 'mtls', mode: 'STRICT' }, PUSH, { kind: 'send', from: 'legacy', to: 'api', count: 1 }],
      },
      {
        text: 'The fix while legacy is being moved into the mesh: a PeerAuthentication for api alone that stays PERMISSIVE (Do it adds it). Send again: it gets through, and every other workload stays STRICT.',
        yaml: apiPermissive,
        act: [{ kind: 'add', file: { name: 'api-permissive.yaml', text: apiPermissive } }, PUSH, { kind: 'send', from: 'legacy', to: 'api', count: 1 }],
      },
    ],
  },
  {
    id: 'subset-before-rule',
    title: 'A VirtualService pushed before its DestinationRule',
    summary: 'Routing to a subset nobody has defined yet gives 503 NC until the DestinationRule arrives.',
    files: [{ name: 'subset-before-rule.yaml', text: subsetBeforeRule }],
    steps: [
      {
        text: 'Play the story. At 2 s the VirtualService sends half of the requests to subset v2; the DestinationRule that defines v2 is applied only at 4 s.',
        yaml: '- { at: 2s, apply: VirtualService users (v1 50, v2 50) }\n- { at: 4s, apply: DestinationRule users (subsets v1, v2) }',
        act: [{ kind: 'story' }],
      },
      {
        text: 'From 2.1 s to 4.1 s every request drawn for v2 fails with 503 NC (cluster not found): count them under Failed, and read one in the event log. The cure is order: apply the DestinationRule first, the VirtualService after.',
        act: [{ kind: 'advance', micros: 6_000_000 }],
      },
    ],
  },
  {
    id: 'istiod-outage',
    title: 'An istiod outage and certificate expiry',
    summary: 'Proxies keep serving without istiod, changes wait, and after 24 h certificates run out.',
    files: [{ name: 'istiod-outage.yaml', text: istiodOutage }],
    steps: [
      {
        text: 'Play the story: at 1 s istiod goes down, and at 2 s a VirtualService change is applied: it waits. Set mTLS to STRICT too: the YAML changes, the proxies do not.',
        act: [{ kind: 'story' }, { kind: 'advance', micros: 3_000_000 }, { kind: 'mtls', mode: 'STRICT' }],
      },
      { text: 'Send from web to api: it works, because the proxies keep the config they last had.', act: [{ kind: 'send', from: 'web', to: 'api', count: 1 }] },
      {
        text: 'Let 24 hours pass (Do it). The workload certificates expire without istiod to renew them. Send again: the mTLS handshake fails and web gets 503 UF.',
        act: [{ kind: 'advance', micros: 24 * 3_600_000_000 }, { kind: 'send', from: 'web', to: 'api', count: 1, speed: 0.1 }],
      },
      {
        text: 'At 30 h istiod is back: it pushes the changes that waited and issues new certificates. Send again: 200.',
        act: [{ kind: 'advance', micros: 6 * 3_600_000_000 }, PUSH, { kind: 'send', from: 'web', to: 'api', count: 1 }],
      },
    ],
  },
];
