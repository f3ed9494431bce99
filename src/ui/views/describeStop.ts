/** A step of the featured request in words: `users-v1's envoy sidecar`, `the wire api → users-v1`. */
export function describeStop(key: string, pods: Readonly<Record<string, { pod: { workload: string } }>>): string {
  const [kind, rest = ''] = splitOnce(key, ':');
  const name = (pod: string) => pods[pod]?.pod.workload ?? pod;
  switch (kind) {
    case 'app':
      return `${name(rest)} app (${rest})`;
    case 'sidecar':
      return `${name(rest)}'s envoy sidecar`;
    case 'client':
      return 'the client outside the mesh';
    case 'backoff':
      return `${name(rest)}'s envoy sidecar, waiting out a retry back-off`;
    case 'wire': {
      const [a = '', b = ''] = splitOnce(rest, '>');
      return `the wire ${name(a)} → ${name(b)}`;
    }
    default:
      return key;
  }
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + sep.length)];
}
