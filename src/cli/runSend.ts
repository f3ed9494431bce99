import { explainSend, presentedCertificates, sendOne } from '../api/index.ts';
import type { PresentedCertificate, SendResult } from '../api/index.ts';
import { CliError, errorLine } from './CliError.ts';
import { eventJson } from './eventsJson.ts';
import { formatExplain } from './formatExplain.ts';
import { formatCertificates, formatSend } from './formatSend.ts';
import { openScenario } from './openScenario.ts';
import { headerRecord } from './options.ts';
import type { FailFlag } from './options.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface SendFlags {
  from: string;
  to: string;
  method: string;
  header: Array<[string, string]>;
  seed?: number;
  fail: FailFlag[];
  repeat?: number;
  scenario?: string;
  certs?: boolean;
  clientCert?: boolean;
  explain?: boolean;
}

/**
 * `meshviz send`: one request (or --repeat of them) through the mesh, printed
 * hop by hop. Returns 1 when `--fail` alone asked for curl -f's status and an
 * answer was not 2xx.
 */
export async function runSend(files: string[], o: SendFlags, output: Output): Promise<number> {
  if (o.explain && o.certs) throw new CliError('--explain prints the stages, not the hops the certificates were presented on', 'drop --certs, or send again without --explain');
  if (o.clientCert && o.from !== 'external') throw new CliError('--client-cert is what an outside client presents to a gateway (--from external): from a workload it would change nothing', 'send --from external, or leave --client-cert out');
  const session = openScenario(files, o.scenario);
  const result = sendOne(session, {
    from: o.from,
    to: o.to,
    method: o.method,
    headers: headerRecord(o.header),
    seed: o.seed,
    failures: o.fail.flatMap((f) => (f.kind === 'target' ? [{ target: f.target, mode: f.mode }] : [])),
    repeat: o.repeat,
    ...(o.clientCert ? { clientCertificate: true } : {}),
  });
  if (o.explain) {
    const explanation = explainSend(session, result);
    // With --repeat, the stages are those of the last request (the one reported in full): said first.
    const which = (o.repeat ?? 1) > 1 ? `request #${o.repeat} of ${o.repeat}, the last one sent:\n` : '';
    await printOutput(output, explanation, (wide) => `${which}${formatExplain(explanation, stdoutLayout(wide))}`);
    return verdict(o, result);
  }
  const certs = o.certs ? await presentedCertificates(session, result, { crypto: globalThis.crypto, startedAt: new Date() }) : undefined;
  await printOutput(output, sendJson(result, certs), (wide) => formatSend(result, stdoutLayout(wide)) + (certs ? `\n\n${formatCertificates(certs.certificates)}` : ''));
  return verdict(o, result);
}

/** With `--fail` alone (curl -f): 1 when an answer was not 2xx, said on stderr. */
function verdict(o: SendFlags, result: SendResult): number {
  if (!o.fail.some((f) => f.kind === 'status')) return 0;
  const answers = result.earlier.length > 0 ? result.earlier : [result];
  const failed = answers.filter((r) => r.status < 200 || r.status > 299);
  const [first] = failed;
  if (!first) return 0;
  const answer = `${first.status === 0 ? '000' : first.status}${first.flags.length ? ` ${first.flags.join(',')}` : ''}${first.error ? ` ${first.error}` : ''}`;
  const what = failed.length === 1 ? `request #${first.requestId} was answered ${answer}` : `${failed.length} of ${answers.length} answers were not 2xx, the first ${answer}`;
  process.stderr.write(errorLine(`${what} (--fail exits 1 on a non-2xx answer)`));
  return 1;
}

/** `send -o json`: the result with every time in ms (`durationMs`, events' `tMs`…), and the certificates with `--certs`. */
function sendJson(result: SendResult, certs?: { certificates: PresentedCertificate[]; rootPem: string }): object {
  const json = { ...result, events: result.events.map(eventJson) };
  return certs ? { ...json, certificates: certs.certificates, rootCertificate: certs.rootPem } : json;
}
