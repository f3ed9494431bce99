import { MODELLED_BEHAVIOUR } from '../engine/index.ts';
import { print } from './print.ts';
import { packageVersion } from './version.ts';

/** `meshviz version`: meshviz's version, the Istio/Envoy behaviour it models, and the Node running it. */
export function runVersion(): void {
  print([`meshviz ${packageVersion()}`, `models  ${MODELLED_BEHAVIOUR}`, `node    ${process.version}`].join('\n'));
}
