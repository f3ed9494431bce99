import { presentedCertificates, sendOne } from '../api/index.ts';
import type { FailureMode } from '../model/index.ts';
import { CliError } from './CliError.ts';
import { FAILURE_MODES, isFailureMode } from '../model/index.ts';
import { formatCertificates, formatSend } from './formatSend.ts';
import { openScenario } from './openScenario.ts';
import { print } from './print.ts';

export interface SendFlags {
  from: string;
  to: string;
  method: string;
  header: string[];
  seed?: number;
  fail: string[];
  repeat?: number;
  scenario?: string;
  certs?: boolean;
  json?: boolean;
}

/** `meshviz send`: one request (or --repeat of them) through the mesh, printed hop by hop. */
export async function runSend(files: string[], o: SendFlags): Promise<void> {
  const session = openScenario(files, o.scenario);
  const result = sendOne(session, {
    from: o.from,
    to: o.to,
    method: String(o.method).toUpperCase(),
    headers: Object.fromEntries(o.header.map(parseHeader)),
    seed: o.seed,
    failures: o.fail.map(parseFailure),
    repeat: o.repeat,
  });
  const certs = o.certs ? await presentedCertificates(session, result, { crypto: globalThis.crypto, startedAt: new Date() }) : undefined;
  if (o.json) print(JSON.stringify(certs ? { ...result, certificates: certs.certificates, rootCertificate: certs.rootPem } : result, null, 2));
  else print(formatSend(result, process.stdout.isTTY === true) + (certs ? `\n\n${formatCertificates(certs.certificates)}` : ''));
}

function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0) throw new CliError(`--header must look like key:value, got "${text}"`);
  return [text.slice(0, i).trim().toLowerCase(), text.slice(i + 1).trim()];
}

function parseFailure(text: string): { target: string; mode: FailureMode } {
  const [target, mode = '503'] = text.split('=');
  if (!target || !isFailureMode(mode)) throw new CliError(`--fail must look like WORKLOAD=MODE with MODE one of ${FAILURE_MODES.join(', ')}, got "${text}"`);
  return { target, mode };
}
