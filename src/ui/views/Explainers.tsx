import { FLAG_MEANING } from '../../api/index.ts';
import type { ResponseFlag } from '../../model/index.ts';

const FLAGS = Object.entries(FLAG_MEANING) as Array<[ResponseFlag, string]>;

/** Short explanations for people new to service meshes. */
export function Explainers() {
  return (
    <section className="learn" aria-label="Explanations">
      <details className="panel" open>
        <summary>What you are looking at</summary>
        <p>
          Each card is a <strong>pod</strong>: one running copy of an app. Cards are grouped by the Kubernetes <strong>Service</strong> that selects them; a Service is the name other apps
          dial. The strip at the bottom of a card is the pod’s <strong>sidecar</strong>, the proxy the mesh runs next to the app: <strong>envoy</strong> under Istio, <strong>linkerd-proxy</strong> under
          Linkerd.
        </p>
        <p>
          A dot is a request. Blue circles go out, green circles are good answers coming back, vermillion squares are failures, and an orange ring is a sidecar waiting before it retries.
          The request you sent last is drawn larger and the place it is at is outlined. A red octagon with a bar on a sidecar, with words beside it, marks a request that sidecar
          stopped: plaintext refused under STRICT mTLS, or a call an AuthorizationPolicy denies.
        </p>
        <p>Everything here is simulated in your browser from the YAML on the right: change it and the mesh behaves differently.</p>
      </details>
      <details className="panel" open>
        <summary>What a sidecar does</summary>
        <ul>
          <li>The app thinks it talks straight to a Service. Its sidecar catches the call and decides: which route rule matches, which version gets it (canary weights), which pod (load balancing).</li>
          <li>It encrypts the hop with <strong>mutual TLS</strong> when the other side has a sidecar too (dashed wire), or sends plaintext (solid wire).</li>
          <li>When an attempt fails it may <strong>retry</strong>, after a random back-off, and it counts failures per pod: too many in a row and it <strong>ejects</strong> that pod for a while.</li>
          <li>If every pod of a destination is ejected it answers 503 at once without sending anything: that is <strong>fail-fast</strong>, and the app sees the error sooner.</li>
          <li>
            linkerd-proxy does the same its own way: of two pods drawn at random it takes the one answering faster lately (<strong>Peak-EWMA</strong>), and after failures in a row it
            makes a pod <strong>unavailable</strong> for 1 s, 2 s, 4 s … then lets one probe request through (<strong>failure accrual</strong>). Its failures read FAIL_FAST or
            LOAD_SHED, not Envoy’s flags.
          </li>
          <li>
            Texts say the <strong>circuit breaker</strong> “flips to open”. Envoy has no single breaker: every caller’s sidecar keeps its own count for every endpoint, so one caller may have
            ejected a pod (<em>open</em>: no requests for the ejection time) while another still sends to it. When the time is up the pod comes back at the next interval check (<em>half-open</em>:
            it takes traffic again, and a new run of failures ejects it for longer); a pod never ejected is <em>closed</em>. The grid shows both words. Envoy’s “circuit breakers” proper are the
            connection-pool limits: overflow gives 503 UO.
          </li>
          <li>
            On the receiving side it enforces <strong>security</strong>: under STRICT mTLS it resets a plaintext connection (a caller without a sidecar gets no HTTP answer at all), and an{' '}
            <strong>AuthorizationPolicy</strong> that does not allow the caller gets a 403 “RBAC: access denied” from the sidecar; the app never sees the request.
          </li>
        </ul>
      </details>
      <details className="panel">
        <summary>What the response flags mean</summary>
        <p>Envoy writes a short flag next to the status of every request it could not pass on normally:</p>
        <table className="flags">
          <tbody>
            {FLAGS.map(([flag, meaning]) => (
              <tr key={flag}>
                <td>{flag}</td>
                <td>{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
