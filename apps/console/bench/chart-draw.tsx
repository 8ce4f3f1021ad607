// The usage page's chart with 30 days × 20 keys of hourly points; the time to its first drawing is
// left in window.chartDrawMs for scripts/console-figures.ts to read.
import { createRoot } from 'react-dom/client';
import { UsageChart } from '../src/routes/usage/usage-chart.tsx';

const KEYS = 20;
const HOURS = 30 * 24;
const current = Math.floor(Date.now() / 3_600_000) * 3600;
const buckets = Array.from({ length: HOURS }, (_, i) => current - (HOURS - 1 - i) * 3600);
const lines = Array.from({ length: KEYS }, (_, k) => ({
  label: `Key ${k + 1}`,
  values: buckets.map((_, i) => Math.round(400 + 300 * Math.sin((i / 24) * 2 * Math.PI + k) + 40 * k)),
}));

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <UsageChart
    buckets={buckets}
    lines={lines}
    granularity="hour"
    onDrawn={(ms) => Object.assign(window, { chartDrawMs: ms })}
  />,
);
