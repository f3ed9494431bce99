import { Fragment, useId } from 'react';
import { formatCount, formatTimeLeft, podSuffix } from '../format/formatNumbers.ts';
import { outlierRows } from '../stats/outlierRows.ts';
import type { OutlierRow } from '../stats/outlierRows.ts';
import { useLiveController } from './ControllerContext.ts';

/** Each backend endpoint as one caller's sidecar sees it (outlier detection is per client), and its connection pools. */
/**
 * The words the mesh texts use for a circuit breaker, for Envoy's per-caller
 * outlier state: an ejected endpoint is the breaker open; one that has come
 * back after an ejection is half-open, on probation (its next run of
 * failures ejects it for longer); one never ejected is closed.
 */
function breakerWord(r: OutlierRow): 'closed' | 'open' | 'half-open' {
  if (r.state === 'ejected') return 'open';
  if (r.accrual) return r.state === 'probation' ? 'half-open' : 'closed';
  return r.ejections > 0 ? 'half-open' : 'closed';
}

/** Linkerd's words for its failure accrual (§10.4): available, unavailable for a back-off, probation (one probe request). */
function StateCell({ r }: { r: OutlierRow }) {
  if (r.state === 'probation') return <span className="state probation">◐ probation · one probe</span>;
  if (r.state === 'ejected') return <span className="state ejected">⊘ {r.accrual ? 'unavailable' : 'ejected'} · {formatTimeLeft(r.left)}</span>;
  return <span className="state healthy">✓ {r.accrual ? 'available' : 'healthy'}</span>;
}

function groupNote(r: OutlierRow | undefined): string {
  if (!r) return '';
  if (r.accrual) return ' · failure accrual';
  if (r.ewmaCost !== undefined) return ' · failure accrual off';
  return r.detection ? '' : ' · outlier detection off';
}

export function OutlierGrid() {
  const c = useLiveController('grid');
  const id = useId();
  const { live, stats, driver } = c.scene;
  const { rows, pools } = outlierRows(live.clusters(c.caller), c.caller, stats.ejected, driver.now);
  const callers = live.scenario.pods.filter((p) => p.sidecar);
  const byDestination = new Map<string, OutlierRow[]>();
  for (const r of rows) byDestination.set(r.destination, [...(byDestination.get(r.destination) ?? []), r]);
  const workloadOf = (pod: string) => live.workloadOf(pod);
  const ewma = rows.some((r) => r.ewmaCost !== undefined);
  const accrual = rows.some((r) => r.accrual);
  const columns = ewma ? 5 : 4;
  const budgets = pools.some((p) => p.retryBudget !== undefined);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Endpoints as a caller sees them</h2>
      <div className="panel-body">
        <div className="caller-pick">
          <label htmlFor={`${id}-caller`}>Sidecar of</label>
          <select id={`${id}-caller`} data-testid="grid-caller" value={c.caller} onChange={(e) => c.setCaller(e.target.value)}>
            {callers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.workload} {podSuffix(p.name, p.workload)}
              </option>
            ))}
          </select>
        </div>
        {rows.length === 0 ? (
          <p className="hint">This sidecar has not sent anything yet. Send a request from {workloadOf(c.caller)} to fill this in.</p>
        ) : (
          <table className="grid" data-testid="outlier-grid" aria-label={`Endpoints as the sidecar of ${workloadOf(c.caller)} sees them`}>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">State</th>
                <th scope="col" className="num" title={accrual ? 'back-offs in a row since the endpoint was last available (1 s, 2 s, 4 s … 60 s)' : 'times this sidecar has ejected the endpoint'}>
                  {accrual ? 'Back-offs' : 'Ejections'}
                </th>
                <th scope="col" className="num" title={accrual ? 'failures in a row counted toward making it unavailable' : 'consecutive 5xx answers counted toward the next ejection'}>
                  {accrual ? 'Fail run' : '5xx run'}
                </th>
                {ewma ? (
                  <th scope="col" className="num" title="the Peak-EWMA balancer's cost: round-trip estimate × (requests in flight + 1); of two endpoints drawn, the cheaper one gets the request">
                    EWMA cost
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {[...byDestination].map(([destination, group]) => (
                <Fragment key={destination}>
                  <tr className="group-row">
                    <th scope="rowgroup" colSpan={columns}>
                      {destination}
                      {groupNote(group[0])}
                    </th>
                  </tr>
                  {group.map((r) => (
                    <tr key={`${r.cluster}|${r.endpoint}`} data-testid="outlier-row" data-endpoint={r.endpoint} data-state={r.state}>
                      <td className="mono" title={r.endpoint}>
                        {workloadOf(r.endpoint)} {podSuffix(r.endpoint, workloadOf(r.endpoint))}
                      </td>
                      <td data-testid="breaker" data-breaker={breakerWord(r)}>
                        <StateCell r={r} />
                        {r.detection || r.accrual ? <span className="breaker"> · breaker {breakerWord(r)}</span> : null}
                      </td>
                      <td className="num">{formatCount(r.ejections)}</td>
                      <td className="num">{r.detection || r.accrual ? formatCount(r.consecutive5xx) : '—'}</td>
                      {ewma ? <td className="num" data-testid="ewma-cost">{r.ewmaCost === undefined ? '—' : `${r.ewmaCost.toFixed(1)} ms`}</td> : null}
                    </tr>
                  ))}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        {pools.length ? (
          <>
            <h3 className="subhead" id={`${id}-pools`}>
              Connection pools (circuit breakers)
            </h3>
            <table className="grid" data-testid="pool-grid" aria-labelledby={`${id}-pools`}>
              <thead>
                <tr>
                  <th scope="col">Destination</th>
                  <th scope="col" className="num" title="requests refused because a circuit-breaker limit was full (flag UO)">
                    Overflows
                  </th>
                  <th scope="col" className="num">
                    Conns
                  </th>
                  <th scope="col" className="num">
                    Active
                  </th>
                  <th scope="col" className="num">
                    Pending
                  </th>
                  {budgets ? (
                    <th scope="col" className="num" title="a Linkerd ServiceProfile retry budget: the retries it grants now (20 % of recent requests plus 10 a second, over 10 s)">
                      Retry budget
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {pools.map((p) => (
                  <tr key={p.cluster} data-testid="pool-row" data-cluster={p.cluster}>
                    <td>{p.destination}</td>
                    <td className="num">{formatCount(p.overflows)}</td>
                    <td className="num">{formatCount(p.connections)}</td>
                    <td className="num">{formatCount(p.active)}</td>
                    <td className="num">{formatCount(p.pending)}</td>
                    {budgets ? <td className="num" data-testid="retry-budget">{p.retryBudget === undefined ? '—' : formatCount(p.retryBudget)}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </div>
    </section>
  );
}
