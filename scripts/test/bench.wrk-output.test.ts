import { expect, test } from 'vitest';
import { parseWrkOutput } from '../bench/load.ts';

// The bench reads wrk's own report: throughput, the latency percentiles in wrk's units, the answers
// outside 2xx/3xx and socket errors.
const report = (latency: string, extra = '') => `Running 4s test @ http://127.0.0.1:3000/v1/avatar
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  310.00us  12.00ms   91.00%
    Req/Sec    48.80k     2.10k   52.00k    80.00%
  Latency Distribution
${latency}
  195310 requests in 4.00s, 80.12MB read
${extra}Requests/sec:  48827.50
Transfer/sec:     20.03MB
`;

test('throughput and percentiles in µs, ms and s', () => {
  const ms = parseWrkOutput(report('     50%  812.00us\n     75%    1.01ms\n     90%    1.30ms\n     99%    2.47ms'));
  expect(ms).toEqual({
    requestsPerSecond: 48827.5,
    p50Ms: 0.812,
    p99Ms: 2.47,
    errors: 0,
    statuses: { '2xx/3xx': 195310 },
  });
  expect(parseWrkOutput(report('     50%    1.50s\n     99%    2.00s')).p99Ms).toBe(2000);
});

test('answers outside 2xx/3xx and socket errors are counted, not hidden', () => {
  const result = parseWrkOutput(
    report(
      '     50%  812.00us\n     99%    2.47ms',
      '  Socket errors: connect 0, read 3, write 1, timeout 2\n  Non-2xx or 3xx responses: 10\n',
    ),
  );
  expect(result.statuses).toEqual({ '2xx/3xx': 195300, other: 10 });
  expect(result.errors).toBe(6);
});

test('output that is not a wrk report is an error naming it', () => {
  expect(() => parseWrkOutput('wrk: command failed')).toThrow(/unreadable wrk output/);
});
