import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, QueryState } from '../../components/query-state.tsx';
import { formatCountOf } from '../../format.ts';
import { useWorkspaceId } from '../../navigation/workspace-route.ts';
import { useTRPC } from '../../trpc.ts';
import { keyLabel } from '../keys/key-view.ts';
import { MonthTotals } from './month-totals.tsx';
import { type ChartLine, UsageChart } from './usage-chart.tsx';
import { type RangeId, rangeChoices, usageRange } from './usage-range.ts';
import { seriesPerKey } from './usage-series.ts';
import { UsageTable } from './usage-table.tsx';

export function UsagePage() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const [rangeId, setRangeId] = useState<RangeId>('24h');
  const [asTable, setAsTable] = useState(false);
  // The range moves on every minute (a new query key, so new counts); in between it stays put.
  const minute = useMinute();
  const range = useMemo(() => usageRange(rangeId, new Date(minute)), [rangeId, minute]);
  const series = useQuery({
    ...trpc.usage.series.queryOptions({
      workspaceId,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      granularity: range.granularity,
    }),
    // Counts arrive every second or so: opening the page shows the latest; the last answer stays on
    // screen while the next minute's loads.
    staleTime: 0,
    placeholderData: (previous, previousQuery) =>
      sameGranularity(previousQuery?.queryKey, range.granularity) ? keepPreviousData(previous) : undefined,
  });
  // Revoked keys too: a rotation's old key is revoked by the time one looks.
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ workspaceId, includeRevoked: true }));

  const lines: ChartLine[] = useMemo(() => {
    const byId = new Map((keys.data ?? []).map((k) => [k.id, k]));
    return seriesPerKey(series.data ?? [], range.buckets).map((s) => {
      const key = byId.get(s.keyId);
      return { label: key ? keyLabel(key) : `Key ${s.keyId.slice(0, 8)}`, values: s.values };
    });
  }, [series.data, keys.data, range.buckets]);

  return (
    <>
      <PageHeader title="Usage" />
      <MonthTotals />
      <div className="toolbar">
        <h2>Requests per key</h2>
        <div className="row">
          <div className="segmented" role="group" aria-label="Period">
            {rangeChoices.map((choice) => (
              <button
                key={choice.id}
                type="button"
                aria-pressed={rangeId === choice.id}
                onClick={() => setRangeId(choice.id)}
              >
                {choice.label}
              </button>
            ))}
          </div>
          <button type="button" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
            {asTable ? 'Show chart' : 'Show as table'}
          </button>
        </div>
      </div>
      <p className="hint">
        <code>avatar_requests</code> per {range.granularity === 'hour' ? 'hour' : 'day'} (UTC). After a key is rolled,
        the old key&apos;s line falls while the new one&apos;s rises.
      </p>
      <QueryState query={keys} label="keys">
        {() => (
          <QueryState query={series} label="usage">
            {() =>
              lines.length === 0 ? (
                <EmptyState title={`No requests in the last ${range.label}`}>
                  <p>Put a key in an &lt;img&gt; tag (see the Quickstart) and requests show up here within a minute.</p>
                </EmptyState>
              ) : asTable ? (
                <UsageTable buckets={range.buckets} lines={lines} granularity={range.granularity} />
              ) : (
                <figure
                  className="chart"
                  aria-label={`Requests per key, last ${range.label}: ${lines
                    .map(
                      (l) =>
                        `${l.label}: ${formatCountOf(
                          l.values.reduce((a, b) => a + b, 0),
                          'request',
                          'requests',
                        )}`,
                    )
                    .join(', ')}`}
                >
                  <UsageChart buckets={range.buckets} lines={lines} granularity={range.granularity} />
                </figure>
              )
            }
          </QueryState>
        )}
      </QueryState>
    </>
  );
}

/** The current time, rounded down to the minute, updated every minute. */
function useMinute(): number {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  useEffect(() => {
    const timer = setInterval(() => setMinute(Math.floor(Date.now() / 60_000) * 60_000), 10_000);
    return () => clearInterval(timer);
  }, []);
  return minute;
}

/** Hourly points drawn on daily buckets would be wrong for a moment: only like replaces like. */
function sameGranularity(queryKey: readonly unknown[] | undefined, granularity: 'hour' | 'day'): boolean {
  const options = queryKey?.[1] as { input?: { granularity?: string } } | undefined;
  return options?.input?.granularity === granularity;
}
