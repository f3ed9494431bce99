/** Whether every `key: value` of the selector is among the labels (an empty selector matches everything). */
export function matchesLabels(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector)) {
    if (labels[key] !== value) return false;
  }
  return true;
}

/** Whether a Service selects a pod (or a workload's pod template): same namespace, a selector, and every `key: value` of it among the labels. */
export function serviceSelects(service: { namespace: string; selector: Record<string, string> }, pod: { namespace: string; labels: Record<string, string> }): boolean {
  return service.namespace === pod.namespace && Object.keys(service.selector).length > 0 && matchesLabels(service.selector, pod.labels);
}
