import { Brand } from './Brand.tsx';

/** What the page shows while the simulator (engine, control plane, YAML schemas) is fetched. */
export function Loading() {
  return (
    <div className="app">
      <header className="topbar">
        <Brand />
      </header>
      <main className="loading" data-testid="loading" aria-busy="true">
        <p>Loading the mesh simulator…</p>
      </main>
    </div>
  );
}
