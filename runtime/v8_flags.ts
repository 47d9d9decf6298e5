/**
 * The V8 flags every Harvester process runs with: `deno task harvester`, the README's global
 * install, a strategy folder's tasks (`harvester init`), a sweep's cell processes and the
 * benchmarks' child processes — so what is measured is what users run.
 *
 * - `--initial-old-space-size=128`: the old generation's first collection waits until it holds
 *   128 MB. V8 starts with a much lower limit and collected a fresh process's old generation
 *   (incrementally, 30 ms in all) in the middle of every long backtest, while the run's own
 *   tables were still growing; the limit then follows V8's usual rules. A 100 × 2,520 user-written
 *   backtest with `-o perf.csv`, cold, medians of 6 interleaved runs: simulation 321 → 289 ms,
 *   writing 122 → 113 ms, and a lower peak RSS (292 → 271 MB).
 * - `--max-semi-space-size=8`: a young generation of at most 8 MB a half (V8 grows it to 32 MB
 *   by default; this list used to start it at 16). A backtest's short-lived objects die young
 *   whatever its size, so a larger one only touches more memory the process has not used
 *   before — a page fault per 4 KB, 1.5–2 µs each on the machines measured — and keeps less of
 *   it in the processor's caches. Against `--min-semi-space-size=16`, medians of interleaved
 *   runs: the cold user-written backtest's simulation 250 → 220 ms and peak RSS 238 → 192 MB;
 *   500 × 5,000 cross 487 → 467 ms (489 → 447 MB); a year of 10 minute assets 369 → 331 ms, of
 *   100 assets 1,837 → 1,413 ms; warm runs and live bar → order latency unchanged. A 2 MB cap
 *   was as fast for a backtest but doubled the live p99 (0.11 → 0.24 ms).
 *
 * @module
 */
export const V8_FLAGS: readonly string[] = [
  "--initial-old-space-size=128",
  "--max-semi-space-size=8",
];

/** The flags as one `deno run` argument. */
export const V8_FLAGS_ARG = `--v8-flags=${V8_FLAGS.join(",")}`;
