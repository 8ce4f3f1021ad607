import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatAxisTime, formatCount } from '../../format.ts';

const palette = [
  '#4338ca',
  '#e8590c',
  '#0ca678',
  '#d6336c',
  '#1c7ed6',
  '#f59f00',
  '#7048e8',
  '#2b8a3e',
  '#c2255c',
  '#495057',
];

export interface ChartLine {
  readonly label: string;
  readonly values: readonly number[];
}

interface UsageChartProps {
  readonly buckets: readonly number[];
  readonly lines: readonly ChartLine[];
  readonly granularity: 'hour' | 'day';
  /** Told how long the first drawing took, in milliseconds (for the benchmark). */
  readonly onDrawn?: (ms: number) => void;
  readonly height?: number;
}

/** avatar_requests per key on a canvas (uPlot): thousands of points stay fast. */
export function UsageChart({ buckets, lines, granularity, onDrawn, height = 320 }: UsageChartProps) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const started = performance.now();
    let reported = false;
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 280),
      height,
      series: [
        { label: 'Time', value: (_u, v) => (v == null ? '' : formatAxisTime(v, granularity)) },
        ...lines.map((line, i) => ({
          label: line.label,
          stroke: palette[i % palette.length],
          width: 2,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '' : formatCount(v)),
        })),
      ],
      axes: [
        { space: 70, values: (_u, ticks) => ticks.map((t) => formatAxisTime(t, granularity)) },
        { values: (_u, ticks) => ticks.map((t) => formatCount(t)), size: 60 },
      ],
      scales: { y: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      hooks: {
        draw: [
          () => {
            if (reported) return;
            reported = true;
            onDrawn?.(performance.now() - started);
          },
        ],
      },
    };
    const data: uPlot.AlignedData = [
      Float64Array.from(buckets),
      ...lines.map((line) => Float64Array.from(line.values)),
    ];
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [buckets, lines, granularity, height, onDrawn]);

  return <div ref={container} />;
}
