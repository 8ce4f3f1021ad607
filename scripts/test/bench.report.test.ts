import { expect, test } from 'vitest';
import type { LoadResult } from '../bench/load.ts';
import { checkTargets, ratioOf, type ReportRow } from '../bench/report.ts';

// The benchmark's verdicts are computed, so they are tested like any other code: a ratio compares runs
// of the same round, and a value just under a target fails and says so.
const result = (requestsPerSecond: number, p99Ms = 1): LoadResult => ({
  requestsPerSecond,
  p50Ms: 0,
  p99Ms,
  errors: 0,
  statuses: { 302: requestsPerSecond },
});
const row = (name: string, role: ReportRow['scenario']['role'], perRound: number[], apiRssMb?: number): ReportRow => ({
  scenario: { name, role },
  result: result(perRound.reduce((a, b) => a + b, 0) / perRound.length),
  rounds: perRound.map((r) => result(r)),
  apiRssMb,
});

test('a ratio is the median of the ratios within each round, so a burst in one round does not decide it', () => {
  const baseline = row('baseline', 'baseline', [100, 50, 100]);
  // Round 2 was slow for everything: the mean ratio would say 0.70, the per-round ratios say 0.8.
  const cached = row('cached', 'cached-302', [80, 40, 80], 120);
  expect(ratioOf(cached, baseline)).toBeCloseTo(0.8);
  const skewed = row('cached', 'cached-302', [60, 50, 90], 120);
  expect(ratioOf(skewed, baseline)).toBeCloseTo(0.9); // ratios 0.6, 1.0, 0.9
  // Rows without rounds (other modules' scenarios) fall back to the ratio of the means.
  expect(ratioOf({ ...cached, rounds: undefined }, { ...baseline, rounds: undefined })).toBeCloseTo(200 / 250);
});

test('the targets pass and fail at their thresholds, and a ratio just under one never prints as it', () => {
  const baseline = row('baseline', 'baseline', [100, 100, 100]);
  const targets = { minRatioToBaseline: 0.7, maxP99Ms: 5, maxApiRssMb: 150 };
  const verdicts = (rows: ReportRow[]) =>
    checkTargets(rows, targets, baseline).map((c) => `${c.ok ? 'PASS' : 'FAIL'} ${c.text}`);

  expect(
    verdicts([
      baseline,
      row('cached', 'cached-302', [70, 70, 70], 150),
      row('304', 'no-slower-than-302', [67, 66, 67], 150),
    ]),
  ).toEqual([
    'PASS cached 302 at 0.70× the bare h3 baseline (target ≥ 0.7)',
    'PASS cached: p99 1.0 ms (target ≤ 5)',
    'PASS 304: p99 1.0 ms (target ≤ 5)',
    'PASS 304 at 0.95× the cached 302 (target: no slower)',
    'PASS API peak RSS 150 MB under load (target ≤ 150)',
  ]);
  expect(
    verdicts([
      baseline,
      row('cached', 'cached-302', [69.9, 69.9, 69.9], 151),
      row('304', 'no-slower-than-302', [66.3, 66.3, 66.3], 140),
    ]),
  ).toEqual([
    'FAIL cached 302 at 0.69× the bare h3 baseline (target ≥ 0.7)',
    'PASS cached: p99 1.0 ms (target ≤ 5)',
    'PASS 304: p99 1.0 ms (target ≤ 5)',
    'FAIL 304 at 0.94× the cached 302 (target: no slower)',
    'FAIL API peak RSS 151 MB under load (target ≤ 150)',
  ]);
});

test('a scenario held within a ratio of another passes at the ratio and fails just under it', () => {
  const baseline = row('baseline', 'baseline', [100, 100, 100]);
  const targets = { minRatioToBaseline: 0.7, maxP99Ms: 5, maxApiRssMb: 150 };
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
