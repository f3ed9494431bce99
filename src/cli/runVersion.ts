import { MODELLED_BEHAVIOUR } from '../engine/index.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { packageVersion } from './version.ts';

/** `meshviz version`: meshviz's version, the Istio/Envoy behaviour it models, and the Node running it. */
export async function runVersion(output: Output): Promise<void> {
  const data = { meshviz: packageVersion(), models: MODELLED_BEHAVIOUR, node: process.version };
  await printOutput(output, data, () => [`meshviz ${data.meshviz}`, `models  ${data.models}`, `node    ${data.node}`].join('\n'));
}
