import { lazy, Suspense, useCallback } from 'react';
import { Brand } from './Brand.tsx';
import { CanaryControls } from './CanaryControls.tsx';
import { useController } from './ControllerContext.ts';
import { Diagnostics } from './Diagnostics.tsx';
import { EventLog } from './EventLog.tsx';
import { Explainers } from './Explainers.tsx';
import { LessonPicker, LessonsPanel } from './LessonsPanel.tsx';
import { Legend } from './Legend.tsx';
import { MeshView } from './MeshView.tsx';
import { MtlsControl } from './MtlsControl.tsx';
import { OutlierGrid } from './OutlierGrid.tsx';
import { PlaybackBar } from './PlaybackBar.tsx';
import { CUSTOM, ScenarioPicker } from './ScenarioPicker.tsx';
import { SendPanel } from './SendPanel.tsx';
import { StatRow } from './StatRow.tsx';
import { StoryPanel } from './StoryPanel.tsx';
import { TraceWaterfall } from './TraceWaterfall.tsx';
import { useKeyboard } from './useKeyboard.ts';
import { ViewTabs } from './ViewTabs.tsx';
import { YamlPane } from './YamlPane.tsx';

/** The Graph view and its layout engine load when the view is first opened. */
const GraphView = lazy(() => import('./GraphView.tsx'));
/** The live charts and uPlot load after the first paint. */
const LiveCharts = lazy(() => import('./LiveCharts.tsx'));

interface Props {
  /** Keeps a user's files so a reload finds them again. */
  saveCustom: (files: Array<{ name: string; text: string }>) => void;
}

export function App({ saveCustom }: Props) {
  const c = useController();
  useKeyboard(c);
  const onFiles = useCallback(
    (files: Array<{ name: string; text: string }>) => {
      const ok = c.load(CUSTOM, files, files.map((f) => f.name).join(', '));
      if (ok) saveCustom(files);
      return ok;
    },
    [c, saveCustom],
  );
  const onAdd = useCallback(
    (files: Array<{ name: string; text: string }>) => {
      const all = c.add(CUSTOM, files);
      if (all) saveCustom(all);
    },
    [c, saveCustom],
  );
  return (
    <div className="app">
      <header className="topbar">
        <Brand />
        <ScenarioPicker onFiles={onFiles} onAdd={onAdd} />
      </header>
      <Diagnostics />
      <main className="workspace">
        <div className="main-col">
          <section className="panel stage" aria-label="The mesh">
            <ViewTabs />
            <PlaybackBar />
            <div id="view-pods" role="tabpanel" aria-labelledby="tab-pods" hidden={c.view !== 'pods'}>
              <MeshView />
              <Legend />
            </div>
            <div id="view-graph" role="tabpanel" aria-labelledby="tab-graph" hidden={c.view !== 'graph'}>
              {c.view === 'graph' ? (
                <Suspense fallback={<p className="graph-wait">Loading the graph…</p>}>
                  <GraphView />
                </Suspense>
              ) : null}
            </div>
          </section>
          <section className="numbers" aria-label="What happened">
            <StatRow />
            <Suspense fallback={<div className="charts charts-loading" />}>
              <LiveCharts />
            </Suspense>
            <div className="split">
              <OutlierGrid />
              <EventLog />
            </div>
            <TraceWaterfall />
          </section>
        </div>
        <aside className="sidebar" aria-label="Controls">
          <LessonPicker />
          <LessonsPanel />
          <SendPanel />
          <StoryPanel />
          <CanaryControls />
          <MtlsControl />
          <YamlPane />
        </aside>
      </main>
      <Explainers />
    </div>
  );
}
