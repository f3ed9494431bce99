import { readFileSync } from 'node:fs';

/** The default mesh, as shipped. */
export const DEFAULT_MESH = readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8');

/** The default mesh with its story's timeline replaced by `entries` (YAML list items, indented four spaces). */
export function withTimeline(entries: string[]): string {
  return DEFAULT_MESH.replace(/  timeline:\n[\s\S]*$/, `  timeline:\n${entries.join('\n')}\n`);
}

/** A story step that applies the users DestinationRule again at 1 s: the same subsets, and no outlier detection. */
export const REAPPLY_USERS_RULE = [
  '    - at: 1s',
  '      apply:',
  '        apiVersion: networking.istio.io/v1',
  '        kind: DestinationRule',
  '        metadata: { name: users }',
  '        spec:',
  '          host: users',
  '          subsets:',
  '            - { name: v1, labels: { version: v1 } }',
  '            - { name: v2, labels: { version: v2 } }',
];
