import type { LoadResult } from './load.ts';
import type { Scenario } from './scenarios.ts';

export interface ReportRow {
  readonly scenario: Pick<Scenario, 'name' | 'role' | 'within'>;
  readonly result: LoadResult;
  /** Peak resident memory of the API process during the run, in MB (blank for the baseline). */
  readonly apiRssMb: number | undefined;
  /** CPU the serving process spent per answer, in µs (user + system), when measured. */
  readonly cpuMicrosPerAnswer?: number | undefined;
  /** The hot path's rows: one result per round, rounds interleaved across every such row. */
  readonly rounds?: readonly LoadResult[] | undefined;
  /** The baseline run made just before each of `rounds`, one for one. */
  readonly pairedBaseline?: readonly LoadResult[] | undefined;
  /** The row of the baseline runs the other rows were paired with (its ratio is 1 by definition). */
  readonly baselineOfPairs?: boolean | undefined;
  /** The worst round's p99 (the row's p99 is the median round's). */
  readonly p99WorstMs?: number | undefined;
}

/**
 * How `row` compares with `to` in req/s, as the median over rounds of per-round ratios: against the
 * baseline, each round's run against the baseline run made just before it; between two paths, their
 * runs in the same round. Rows measured otherwise compare by their means.
 */
export function ratioOf(row: ReportRow, to: ReportRow): number {
  const perRound = roundRatios(row, to);
  if (!perRound) return row.result.requestsPerSecond / to.result.requestsPerSecond;
  const sorted = [...perRound].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The row's rounds and the baseline run made just before each, when it was measured that way. */
function pairsOf(row: ReportRow): { run: number; baseline: number }[] | undefined {
  const { rounds, pairedBaseline } = row;
  if (!rounds || !pairedBaseline || rounds.length !== pairedBaseline.length || rounds.length === 0) return undefined;
  return rounds.map((r, i) => ({
    run: r.requestsPerSecond,
    baseline: pairedBaseline[i]?.requestsPerSecond ?? Number.NaN,
  }));
}

/** Each round's req/s over the baseline run just before it. */
function toPairedBaseline(row: ReportRow): number[] | undefined {
  return pairsOf(row)?.map((p) => p.run / p.baseline);
}

function roundRatios(row: ReportRow, to: ReportRow): number[] | undefined {
  const mine = pairsOf(row);
  if (mine && to.baselineOfPairs) return mine.map((p) => p.run / p.baseline);
  // Two paths compare run against run in each round. Each ran right after a baseline run, so both
  // start alike; a baseline run starts right after one or another path's run (whose log and
  // usage writes may still be going on), so dividing by baseline runs would add that to the ratio.
  const theirs = pairsOf(to);
  if (!mine || !theirs || mine.length !== theirs.length) return undefined;
  return mine.map((p, i) => p.run / (theirs[i] as { run: number }).run);
}

export interface Targets {
  /** The API alone, cached 302, against the bare h3 server. */
  readonly minRatioToBaseline: number;
  /** 304, publishable key + Referer and fallback against the cached 302: within 10 % is 0.9. */
  readonly minRatioToCached302: number;
  /** The all-in-one start's cached 302 against the bare h3 server. */
  readonly minAllInOneRatioToBaseline: number;
  /** API_PROCESSES=2's cached 302 against one process's. */
  readonly minProcessesRatioToOne: number;
  readonly maxP99Ms: number;
  /** Per API process. */
  readonly maxApiRssMb: number;
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
/** Two decimals, rounded down: a ratio just under a target never prints as the target itself. */
const floor2 = (ratio: number) => (Math.floor(ratio * 100 + 1e-9) / 100).toFixed(2);

/** The table `pnpm bench` prints, and the targets checked against it. */
export function formatReport(rows: readonly ReportRow[], targets: Targets, setting: string): string {
  const baseline = rows.find((r) => r.scenario.role === 'baseline');
  const header = [
    'scenario',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p99 worst',
    '× baseline',
    'API RSS MB',
    'server CPU µs/answer',
    '× baseline by round',
    'answers',
  ];
  const body = rows.map((row) => [
    row.scenario.name,
    row.result.requestsPerSecond.toFixed(0),
    row.result.p50Ms.toFixed(1),
    row.result.p99Ms.toFixed(1),
    row.p99WorstMs === undefined ? '' : row.p99WorstMs.toFixed(1),
    // Only the hot-path rows compare with the baseline; other modules' rows measure other things.
    row.baselineOfPairs ? '1.00' : baseline && row.rounds !== undefined ? ratioOf(row, baseline).toFixed(2) : '',
    row.apiRssMb === undefined ? '' : row.apiRssMb.toFixed(0),
    row.cpuMicrosPerAnswer === undefined ? '' : row.cpuMicrosPerAnswer.toFixed(1),
    toPairedBaseline(row)
      ?.map((r) => r.toFixed(2))
      .join(' ') ?? '',
    Object.entries(row.result.statuses)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ') + (row.result.errors ? ` errors×${row.result.errors}` : ''),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const numeric = (i: number) => i > 0 && i < 9;
  const line = (cells: string[]) => `| ${cells.map((c, i) => pad(c, widths[i] ?? 0, numeric(i))).join(' | ')} |`;
  const out = [
    setting,
    '',
    line(header),
    `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`,
    ...body.map(line),
    '',
  ];
  out.push(...checkTargets(rows, targets, baseline).map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.text}`));
  // Not targets, a diagnosis: req/s also carries the load generator's cost of reading bodies.
  const cached = rows.find((r) => r.scenario.role === 'cached-302');
  const bodyBaseline = rows.find((r) => r.scenario.role === 'body-baseline');
  const fallback = rows.find((r) => r.scenario.role === 'near-cached-302' && r.scenario.name.includes('fallback'));
  if (bodyBaseline && fallback) {
    const ratio = ratioOf(fallback, bodyBaseline);
    out.push(`INFO  ${fallback.scenario.name} at ${ratio.toFixed(2)}× a bare h3 server sending the same SVG`);
  }
  const allInOne = rows.find((r) => r.scenario.role === 'all-in-one-302');
  if (allInOne?.apiRssMb !== undefined)
    out.push(
      `INFO  the all-in-one process (API, admin API and worker) peaked at ${allInOne.apiRssMb.toFixed(0)} MB RSS`,
    );
  for (const row of rows.filter((r) => r.scenario.role === 'near-cached-302')) {
    if (cached?.cpuMicrosPerAnswer === undefined || row.cpuMicrosPerAnswer === undefined) continue;
    const ratio = row.cpuMicrosPerAnswer / cached.cpuMicrosPerAnswer;
    out.push(
      `INFO  ${row.scenario.name}: the API spends ${row.cpuMicrosPerAnswer.toFixed(1)} µs of CPU per answer, ${ratio.toFixed(2)}× the cached 302's ${cached.cpuMicrosPerAnswer.toFixed(1)} µs`,
    );
  }
  return out.join('\n');
}

export function checkTargets(
  rows: readonly ReportRow[],
  targets: Targets,
  baseline: ReportRow | undefined,
): { ok: boolean; text: string }[] {
  const checks: { ok: boolean; text: string }[] = [];
  const cached = rows.find((r) => r.scenario.role === 'cached-302');
  for (const row of rows.filter(
    (r) => r.scenario.role === 'cached-302' || r.scenario.role === 'after-distinct-handles',
  )) {
    if (!baseline) break;
    const ratio = ratioOf(row, baseline);
    checks.push({
      ok: ratio >= targets.minRatioToBaseline,
      text: `${row.scenario.name} at ${floor2(ratio)}× the bare h3 baseline (target ≥ ${targets.minRatioToBaseline})`,
    });
  }
  // The latency target is the API alone's, at the bench's connections.
  for (const row of rows.filter((r) => r.scenario.role === 'cached-302' || r.scenario.role === 'near-cached-302')) {
    checks.push({
      ok: row.result.p99Ms <= targets.maxP99Ms,
      text: `${row.scenario.name}: p99 ${row.result.p99Ms.toFixed(1)} ms, the median round’s (target ≤ ${targets.maxP99Ms})`,
    });
  }
  for (const row of rows.filter((r) => r.scenario.role === 'near-cached-302')) {
    if (!cached) break;
    const ratio = ratioOf(row, cached);
    checks.push({
      ok: ratio >= targets.minRatioToCached302,
      text: `${row.scenario.name} at ${floor2(ratio)}× the cached 302 (target ≥ ${targets.minRatioToCached302})`,
    });
  }
  const allInOne = rows.find((r) => r.scenario.role === 'all-in-one-302');
  if (allInOne && baseline) {
    const ratio = ratioOf(allInOne, baseline);
    checks.push({
      ok: ratio >= targets.minAllInOneRatioToBaseline,
      text: `${allInOne.scenario.name} at ${floor2(ratio)}× the bare h3 baseline (target ≥ ${targets.minAllInOneRatioToBaseline})`,
    });
  }
  const processes = rows.find((r) => r.scenario.role === 'processes-302');
  if (processes && cached) {
    const ratio = ratioOf(processes, cached);
    checks.push({
      ok: ratio >= targets.minProcessesRatioToOne,
      text: `${processes.scenario.name} at ${floor2(ratio)}× one API process (target ≥ ${targets.minProcessesRatioToOne})`,
    });
  }
  for (const row of rows.filter((r) => r.scenario.within)) {
    const within = row.scenario.within as NonNullable<Scenario['within']>;
    const other = rows.find((r) => r.scenario.name === within.of);
    if (!other) continue;
    const ratio = ratioOf(row, other);
    checks.push({
      ok: ratio >= within.ratio,
      text: `${row.scenario.name} at ${floor2(ratio)}× ${within.of} (target ≥ ${within.ratio})`,
    });
  }
  // The all-in-one start is one process holding all three apps (the worker's image codec among them):
  // the per-API-process budget is not its.
  const rss = Math.max(0, ...rows.filter((r) => r.scenario.role !== 'all-in-one-302').map((r) => r.apiRssMb ?? 0));
  if (rss > 0)
    checks.push({
      ok: rss <= targets.maxApiRssMb,
      text: `API peak RSS ${rss.toFixed(0)} MB per process, under load and after the distinct handles (target ≤ ${targets.maxApiRssMb})`,
    });
  return checks;
}
