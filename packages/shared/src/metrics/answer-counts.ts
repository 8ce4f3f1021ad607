/**
 * Answers counted per route, status and outcome in plain integers, with a latency histogram for each:
 * all the hot path does is find its entry (two lookups, no allocation) and add one. The registry
 * reads these counts when it is scraped (answer-metrics.ts).
 */

/** Latency buckets in seconds: the API's memory answers take tens of µs, a first lookup ~1 s. */
export const LATENCY_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export interface AnswerEntry {
  readonly route: string;
  readonly status: number;
  readonly outcome: string;
  count: number;
  sumSeconds: number;
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly buckets: number[];
}

export interface RouteAnswers {
  /** Counts one answer. `outcome` is a constant string (redirect, not_modified, an error code…). */
  record(status: number, outcome: string, seconds: number): void;
}

export interface AnswerCounts {
  /** The counter of one route, created once at start-up. */
  route(name: string): RouteAnswers;
  /** Every entry so far, for the registry. */
  entries(): readonly AnswerEntry[];
}

export function createAnswerCounts(): AnswerCounts {
  const all: AnswerEntry[] = [];
  return {
    route(route) {
      // Indexed by status, then keyed by outcome: a few entries per route in practice.
      const byStatus: (Map<string, AnswerEntry> | undefined)[] = [];
      return {
        record(status, outcome, seconds) {
          let outcomes = byStatus[status];
          if (outcomes === undefined) byStatus[status] = outcomes = new Map();
          let entry = outcomes.get(outcome);
          if (entry === undefined) {
            entry = { route, status, outcome, count: 0, sumSeconds: 0, buckets: LATENCY_BUCKETS.map(() => 0) };
            entry.buckets.push(0);
            outcomes.set(outcome, entry);
            all.push(entry);
          }
          entry.count++;
          entry.sumSeconds += seconds;
          let i = 0;
          while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
          (entry.buckets[i] as number)++;
        },
      };
    },
    entries: () => all,
  };
}
