import { resourceRef } from '../locate.ts';
import { policyAnnotationsOn } from '../compile/linkerd/linkerdAnnotations.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * Linkerd's trap (§10.1, §10.4): once a ServiceProfile exists for a Service,
 * the proxies use it and ignore the Service's retry, timeout and failure
 * accrual annotations and the HTTPRoutes whose parent it is — silently. One
 * finding per ServiceProfile that shadows something, naming what.
 */
export const serviceProfileDisablesAnnotations: Analyzer = {
  name: 'serviceProfileDisablesAnnotations',
  flavors: ['linkerd'],
  run(ctx) {
    return ctx.scenario.linkerd.serviceProfiles.flatMap((profile) => {
      const entry = ctx.services.get(profile.metadata.name);
      if (!entry) return [];
      const service = entry.service;
      const annotations = policyAnnotationsOn({ name: service.name, namespace: service.namespace, labels: {}, annotations: service.annotations ?? {} });
      const routes = ctx.scenario.linkerd.httpRoutes.filter((r) =>
        (r.spec.parentRefs ?? []).some((p) => p.kind === 'Service' && p.name === service.name && (p.namespace ?? r.metadata.namespace) === service.namespace),
      );
      const ignored = [
        ...(annotations.length > 0 ? [`${annotations.join(', ')} on Service/${service.namespace}/${service.name}`] : []),
        ...routes.map((r) => resourceRef(r)),
      ];
      return ignored.length > 0 ? [finding('ServiceProfileDisablesAnnotations', profile, 'metadata.name', { profile: resourceRef(profile), ignored })] : [];
    });
  },
};
