import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from '../stats/ChartSeries.ts';
import { useLiveController } from './ControllerContext.ts';

/** A status code's colour and line (a dash for 5xx, dots for no answer: never colour alone). */
function codeStyle(code: number): { stroke: string; dash?: number[] } {
  if (code === 0) return { stroke: '#cc79a7', dash: [2, 3] };
  if (code < 300) return { stroke: '#009e73' };
  if (code < 400) return { stroke: '#56b4e9' };
  if (code < 500) return { stroke: '#e69f00', dash: [8, 3] };
  return { stroke: code === 503 ? '#d55e00' : '#8c3b00', dash: code === 503 ? [6, 3] : [2, 2, 6, 2] };
}

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: (d: ChartData) => Array<{ label: string; values: Array<number | null>; stroke: string; dash?: number[] }>;
}

const CHARTS: ChartSpec[] = [
  {
    id: 'codes',
    title: 'Calls per second, by the answer each caller got',
    unit: 'calls/s',
    series: (d) => d.byCode.map((s) => ({ label: s.code === 0 ? 'no answer' : String(s.code), values: s.perSecond, ...codeStyle(s.code) })),
  },
  {
    id: 'latency',
    title: 'Latency the senders saw, each second',
    unit: 'ms',
    series: (d) => [
      { label: 'p50', values: d.p50, stroke: '#0072b2' },
      { label: 'p99', values: d.p99, stroke: '#d55e00', dash: [6, 3] },
    ],
  },
  {
    id: 'retries',
    title: 'Retries and ejections per second',
    unit: 'per s',
    series: (d) => [
      { label: 'retries', values: d.retries, stroke: '#a86f00' },
      { label: 'ejections', values: d.ejections, stroke: '#d55e00', dash: [2, 3] },
    ],
  },
];

/** The live charts under the stat row (uPlot, loaded with this view): what the picture has shown, per second of simulated time. */
export default function LiveCharts() {
  const c = useLiveController('stats');
  const data = c.scene.charts.data(c.scene.driver.now);
  return (
    <div className="charts" data-testid="charts">
      {CHARTS.map((spec) => (
        <Chart key={spec.id} spec={spec} data={data} />
      ))}
    </div>
  );
}

function Chart({ spec, data }: { spec: ChartSpec; data: ChartData }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ plot: uPlot; labels: string } | undefined>(undefined);
  const series = spec.series(data);
  const labels = series.map((s) => s.label).join(',');
  const aligned: uPlot.AlignedData = [data.t, ...series.map((s) => s.values)];
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    if (plot.current?.labels === labels) {
      plot.current.plot.setData(aligned);
      return;
    }
    plot.current?.plot.destroy();
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 150,
      scales: { x: { time: false } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{ label: 'simulated s' }, ...series.map((s) => ({ label: s.label, stroke: s.stroke, dash: s.dash, width: 1.75, spanGaps: false }))],
      axes: [
        { label: 'simulated time (s)', labelSize: 14, size: 30, font: '11px system-ui, sans-serif', labelFont: '11px system-ui, sans-serif' },
        { label: spec.unit, labelSize: 14, size: 44, font: '11px system-ui, sans-serif', labelFont: '11px system-ui, sans-serif' },
      ],
    };
    plot.current = { plot: new uPlot(opts, aligned, el), labels };
  });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => plot.current?.plot.setSize({ width: Math.max(200, el.clientWidth), height: 150 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.plot.destroy();
      plot.current = undefined;
    };
  }, []);
  const last = (values: Array<number | null>) => [...values].reverse().find((v) => v !== null) ?? null;
  return (
    <figure className="chart" data-testid={`chart-${spec.id}`}>
      <figcaption>{spec.title}</figcaption>
      <div ref={box} className="chart-plot" aria-hidden="true" />
      <p className="visually-hidden">{series.map((s) => `${s.label}: ${last(s.values) ?? 'none'} ${spec.unit} in the last second`).join('; ')}</p>
    </figure>
  );
}
