/** Tiny benchmark helpers: time a function, print one aligned figure per line. */
import { withProcessEnv } from "../runtime/process_env.ts";
import { V8_FLAGS_ARG } from "../runtime/v8_flags.ts";

/** Runs `fn` repeatedly for at least `minMs` and returns calls per second. */
export function rate(fn: (i: number) => unknown, minMs = 300): number {
  let n = 0, sink = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let k = 0; k < 10_000; k++) sink += Number(Boolean(fn(n++)));
    t = performance.now();
  }
  if (sink < 0) console.log(sink); // keep the work observable so it is not optimised away
  return n / ((t - t0) / 1000);
}

/** Wall milliseconds of one call. */
export function timeOnce(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Prints `label ........ value unit`. */
export function report(label: string, value: number, unit: string, target?: string): void {
  const v = value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(2);
  console.log(
    `${label.padEnd(52, ".")} ${v.padStart(14)} ${unit}${target ? `   (target ${target})` : ""}`,
  );
}

/**
 * The runtime flags `deno task harvester` runs with (deno.json; why each: `runtime/v8_flags.ts`).
 * Benchmarks that spawn a process use them, to measure what users run.
 */
export const RUNTIME_FLAGS = [V8_FLAGS_ARG];

/**
 * The environment of a process a benchmark starts: `extra`, with what `deno task harvester`
 * starts with (`runtime/process_env.ts`) added to this process's own.
 */
export function runtimeEnv(extra: Record<string, string> = {}): Record<string, string> {
  return withProcessEnv({ GLIBC_TUNABLES: Deno.env.get("GLIBC_TUNABLES"), ...extra });
}
