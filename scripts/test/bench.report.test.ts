import { expect, test } from 'vitest';
import type { LoadResult } from '../bench/load.ts';
import { checkTargets, ratioOf, type ReportRow } from '../bench/report.ts';

// The benchmark's verdicts are computed, so they are tested like any other code: a ratio compares each
// run with the baseline run made just before it, and a value just under a target fails and says so.
const result = (requestsPerSecond: number, p99Ms = 1): LoadResult => ({
  requestsPerSecond,
  p50Ms: 0,
  p99Ms,
  errors: 0,
  statuses: { 302: requestsPerSecond },
});
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
/** A path's row: its rounds, each after a baseline run (100 req/s unless given). */
const row = (
  name: string,
  role: ReportRow['scenario']['role'],
  perRound: number[],
  apiRssMb?: number,
  baselineRuns: number[] = perRound.map(() => 100),
): ReportRow => ({
  scenario: { name, role },
  result: result(mean(perRound)),
  rounds: perRound.map((r) => result(r)),
  pairedBaseline: baselineRuns.map((r) => result(r)),
  apiRssMb,
});
const baselineRow = (perRound: number[]): ReportRow => ({
  scenario: { name: 'baseline', role: 'baseline' },
  result: result(mean(perRound)),
  apiRssMb: undefined,
  baselineOfPairs: true,
});

test('a ratio is the median of each run against the baseline run just before it', () => {
  const baseline = baselineRow([100, 50, 100]);
  // The machine was slow during round 2: the means would say 0.70, the paired runs say 0.8.
  const cached = row('cached', 'cached-302', [80, 40, 80], 120, [100, 50, 100]);
  expect(ratioOf(cached, baseline)).toBeCloseTo(0.8);
  // A burst in one round does not decide it: ratios 0.6, 1.0, 0.9.
  const skewed = row('cached', 'cached-302', [60, 50, 90], 120, [100, 50, 100]);
  expect(ratioOf(skewed, baseline)).toBeCloseTo(0.9);
  // Two paths compare run against run within each round: 72/80, 36/40 and 72/80 are 0.9 each.
  const other = row('304', 'near-cached-302', [72, 36, 72], 120, [100, 25, 125]);
  expect(ratioOf(other, cached)).toBeCloseTo(0.9);
  // Rows without rounds (other modules' scenarios) fall back to the ratio of the means.
  expect(ratioOf({ ...cached, rounds: undefined }, { ...baseline, baselineOfPairs: undefined })).toBeCloseTo(200 / 250);
});

const targets = {
  minRatioToBaseline: 0.8,
  minRatioToCached302: 0.9,
  minAllInOneRatioToBaseline: 0.7,
  minProcessesRatioToOne: 1.3,
  maxP99Ms: 5,
  maxApiRssMb: 150,
};

test('the targets pass and fail at their thresholds, and a ratio just under one never prints as it', () => {
  const baseline = baselineRow([100, 100, 100]);
  const verdicts = (rows: ReportRow[]) =>
    checkTargets(rows, targets, baseline).map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.text}`);

  expect(
    verdicts([
      baseline,
      row('cached', 'cached-302', [80, 80, 80], 150),
      row('after the distinct handles', 'after-distinct-handles', [80, 80, 80], 150),
      row('304', 'near-cached-302', [72, 72.5, 72], 150),
      // One process with all three apps: not held to the per-API-process memory budget.
      row('all-in-one', 'all-in-one-302', [70, 70, 70], 215),
      row('two processes', 'processes-302', [104, 104, 104], 140),
    ]),
  ).toEqual([
    'PASS cached at 0.80× the bare h3 baseline (target ≥ 0.8)',
    'PASS after the distinct handles at 0.80× the bare h3 baseline (target ≥ 0.8)',
    'PASS cached: p99 1.0 ms, the median round’s (target ≤ 5)',
    'PASS 304: p99 1.0 ms, the median round’s (target ≤ 5)',
    'PASS 304 at 0.90× the cached 302 (target ≥ 0.9)',
    'PASS all-in-one at 0.70× the bare h3 baseline (target ≥ 0.7)',
    'PASS two processes at 1.30× one API process (target ≥ 1.3)',
    'PASS API peak RSS 150 MB per process, under load and after the distinct handles (target ≤ 150)',
  ]);
  expect(
    verdicts([
      baseline,
      row('cached', 'cached-302', [79.9, 79.9, 79.9], 151),
      row('304', 'near-cached-302', [71.8, 71.8, 71.8], 140),
      row('all-in-one', 'all-in-one-302', [69.9, 69.9, 69.9], 140),
      row('two processes', 'processes-302', [103.8, 103.8, 103.8], 140),
      { ...row('distinct', 'distinct-handles', [10], 160), result: result(10, 900) },
    ]),
  ).toEqual([
    'FAIL cached at 0.79× the bare h3 baseline (target ≥ 0.8)',
    'PASS cached: p99 1.0 ms, the median round’s (target ≤ 5)',
    'PASS 304: p99 1.0 ms, the median round’s (target ≤ 5)',
    'FAIL 304 at 0.89× the cached 302 (target ≥ 0.9)',
    'FAIL all-in-one at 0.69× the bare h3 baseline (target ≥ 0.7)',
    'FAIL two processes at 1.29× one API process (target ≥ 1.3)',
    // The distinct handles' latency is a database lookup each, not the hot path: only its memory counts.
    'FAIL API peak RSS 160 MB per process, under load and after the distinct handles (target ≤ 150)',
  ]);
});

test('a slow p99 of the hot path fails even when the ratios pass', () => {
  const baseline = baselineRow([100]);
  const slow = { ...row('cached', 'cached-302', [90], 100), result: result(90, 5.1) };
  expect(checkTargets([baseline, slow], targets, baseline).filter((c) => !c.ok)).toEqual([
    { ok: false, text: 'cached: p99 5.1 ms, the median round’s (target ≤ 5)' },
  ]);
});

test('a scenario held within a ratio of another passes at the ratio and fails just under it', () => {
  const baseline = baselineRow([100, 100, 100]);
  const unsigned = row('unsigned', undefined, [80, 80, 80]);
  const signed = (perRound: number[]): ReportRow => ({
    ...row('signed', undefined, perRound),
    scenario: { name: 'signed', within: { of: 'unsigned', ratio: 0.9 } },
  });
  const verdicts = (rows: ReportRow[]) =>
    checkTargets(rows, targets, baseline).map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.text}`);
  expect(verdicts([baseline, unsigned, signed([72, 72, 72])])).toEqual([
    'PASS signed at 0.90× unsigned (target ≥ 0.9)',
  ]);
  expect(verdicts([baseline, unsigned, signed([71.9, 80, 71.9])])).toEqual([
    'FAIL signed at 0.89× unsigned (target ≥ 0.9)',
  ]);
});
