import { linkerdAccessLogFormat } from '../../../model/index.ts';
import { fieldPath } from '../fieldPath.ts';
import type { Reporter } from '../Reporter.ts';
import { LINKERD_ACCESS_LOG } from '../readWorkload.ts';

/**
 * A `config.linkerd.io/access-log` value linkerd-proxy would refuse (it
 * reads `apache` or `json`, in any case) is reported where it is written:
 * `annotations` is the path of the annotations that hold it.
 */
export function checkAccessLogAnnotation(value: string | undefined, reporter: Reporter, annotations: string): void {
  if (value === undefined || linkerdAccessLogFormat(value) !== undefined) return;
  reporter.report('LinkerdAccessLogInvalid', fieldPath(annotations, LINKERD_ACCESS_LOG), { value });
}
