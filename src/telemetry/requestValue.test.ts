import { describe, expect, it } from 'vitest';
import { authorityOf } from './requestValue.ts';

describe('authorityOf', () => {
  it("is what the caller dialled: a Service's short name, an outside host whole, the port unless it is the scheme's default", () => {
    expect(authorityOf({ host: 'reviews.default.svc.cluster.local', port: 9080 })).toBe('reviews:9080');
    expect(authorityOf({ host: 'web.shop.svc.cluster.local', port: 80 })).toBe('web');
    expect(authorityOf({ host: 'payments.example.com', port: 443 })).toBe('payments.example.com');
    expect(authorityOf({ host: 'shop.example.com', port: 8443 })).toBe('shop.example.com:8443');
    expect(authorityOf({ host: 'api.internal', port: 80 })).toBe('api.internal');
  });
});
