import { describe, expect, it } from 'vitest';
import { fieldPath, indexPath, parentPath } from './fieldPath.ts';

describe('fieldPath', () => {
  it('joins plain keys with dots and quotes the others', () => {
    const route = fieldPath(indexPath(fieldPath(indexPath(fieldPath('spec', 'http'), 0), 'route'), 1), 'destination');
    expect(route).toBe('spec.http[0].route[1].destination');
    expect(fieldPath('metadata.labels', 'app.kubernetes.io/name')).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(fieldPath('', 'spec')).toBe('spec');
  });

  it('walks back up, through quoted keys too', () => {
    const parents: string[] = [];
    for (let p: string | undefined = 'spec.x["a.b[\\"c"][2].users-v1'; p !== undefined; p = parentPath(p)) parents.push(p);
    expect(parents).toEqual(['spec.x["a.b[\\"c"][2].users-v1', 'spec.x["a.b[\\"c"][2]', 'spec.x["a.b[\\"c"]', 'spec.x', 'spec', '']);
  });
});
