import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/**
 * `scenarios/bookinfo.yaml` with its readers running for `duration` and
 * details-v1 answering 503 from `failAt` to `recoverAt`; details' DestinationRule
 * ejects after 3 consecutive 5xx (1 s interval, 30 s base ejection), so
 * productpage's calls to details fail fast with UH while it is out.
 * Edited through the yaml Document API, every other byte kept.
 */
export function bookinfoWithFailure(duration: string, failAt: string, recoverAt: string): string {
  const docs = parseAllDocuments(readFileSync(new URL('../../scenarios/bookinfo.yaml', import.meta.url), 'utf8'));
  if (!Array.isArray(docs)) throw new Error('bookinfo.yaml has no documents');
  const simulation = docs.find((d) => d.get('kind') === 'Simulation');
  const details = docs.find((d) => d.get('kind') === 'DestinationRule' && d.getIn(['metadata', 'name']) === 'details');
  if (!simulation || !details) throw new Error('bookinfo.yaml has no Simulation or no details DestinationRule');
  simulation.setIn(['spec', 'traffic', 0, 'duration'], duration);
  simulation.setIn(['spec', 'timeline'], [
    { at: failAt, fail: { workload: 'details-v1', mode: '503' } },
    { at: recoverAt, recover: { workload: 'details-v1' } },
  ]);
  details.setIn(['spec', 'trafficPolicy'], { outlierDetection: { consecutive5xxErrors: 3, interval: '1s', baseEjectionTime: '30s', maxEjectionPercent: 100 } });
  return docs.map((d) => d.toString()).join('');
}
