import { formatAxisTime, formatCount } from '../../format.ts';
import type { ChartLine } from './usage-chart.tsx';

/** The chart's numbers as a table: for screen readers, for copying, for reading exact values. */
export function UsageTable({
  buckets,
  lines,
  granularity,
}: {
  readonly buckets: readonly number[];
  readonly lines: readonly ChartLine[];
  readonly granularity: 'hour' | 'day';
}) {
  return (
    <div className="table-wrap">
      <table aria-label="Requests per key">
        <thead>
          <tr>
            <th scope="col">{granularity === 'hour' ? 'Hour (UTC)' : 'Day (UTC)'}</th>
            {lines.map((line) => (
              <th key={line.label} scope="col" className="num">
                {line.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buckets.map((start, i) => (
            <tr key={start}>
              <th scope="row">{formatAxisTime(start, granularity)}</th>
              {lines.map((line) => (
                <td key={line.label} className="num">
                  {formatCount(line.values[i] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
