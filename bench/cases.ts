import { bookinfoHour, bookinfoHourInProcess } from './cases/bookinfoHour.ts';
import type { BenchCase } from './cases/Figures.ts';
import { inFlight } from './cases/inFlight.ts';
import { telemetryInstructions, throughputInstructions } from './cases/instructions.ts';
import { telemetryOverhead } from './cases/telemetryOverhead.ts';
import { telemetryOverheadCli, telemetryOverheadHour } from './cases/telemetryOverheadCli.ts';
import { throughput } from './cases/throughput.ts';

/** The bench cases by name, in the order `npm run bench` runs them. */
export const CASES: Record<string, BenchCase> = {
  throughput,
  memoryLight: inFlight(60),
  memoryHeavy: inFlight(5000),
  bookinfoHour,
  telemetryOverhead,
  telemetryOverheadCli,
  telemetryOverheadHour,
};

/** Cases run only when named (`npm run bench -- bookinfoHourInProcess`); the instruction counts need valgrind. */
export const EXTRA_CASES: Record<string, BenchCase> = {
  bookinfoHourInProcess,
  throughputInstructions,
  telemetryInstructions,
};
