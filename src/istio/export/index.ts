export { exportScenario } from './exportScenario.ts';
export type { ExportOptions } from './exportScenario.ts';
export { exportedApiVersion } from './istioDocuments.ts';
export { durationText } from './durationText.ts';
export { simulationDocument } from './simulationDocument.ts';
