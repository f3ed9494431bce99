/**
 * The app and version a workload is shown under, by the labels Istio reads
 * for its canonical service and revision, first found wins (Kiali reads them
 * in the same order: kiali/kiali config/config.go, `appLabelNames` and
 * `versionLabelNames`). A workload without any is its own app, at revision
 * `latest`, as Istio labels its telemetry.
 */
const APP_LABELS = ['service.istio.io/canonical-name', 'app.kubernetes.io/name', 'app'] as const;
const VERSION_LABELS = ['service.istio.io/canonical-revision', 'app.kubernetes.io/version', 'version'] as const;

export interface CanonicalNames {
  app: string;
  version: string;
}

export function canonicalNames(workload: string, labels: Readonly<Record<string, string>>): CanonicalNames {
  return { app: firstLabel(labels, APP_LABELS) ?? workload, version: firstLabel(labels, VERSION_LABELS) ?? 'latest' };
}

function firstLabel(labels: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) if (Object.hasOwn(labels, name) && labels[name] !== '') return labels[name];
  return undefined;
}
