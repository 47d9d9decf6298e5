/**
 * Helpers the live tests share: a daily paper replay of the example bundle, comparing perf tables,
 * keeping warnings, reading a perf log.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../../runtime/log.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { type LiveOptions, runLive } from "../../runtime/live/session.ts";
import { PERF_COLUMNS } from "../../runtime/metrics/perf.ts";

/** Every perf column that differs. */
export function samePerf(a: Results, b: Results): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`rows ${a.length} vs ${b.length}`);
  for (const c of PERF_COLUMNS) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const x = a.perf[c][i], y = b.perf[c][i];
      if (!(x === y || (Number.isNaN(x) && Number.isNaN(y)))) out.push(`${c}[${i}]: ${x} vs ${y}`);
    }
  }
  return out;
}

/** A logger keeping the warnings' events and messages. */
export function warningsLog() {
  const events: string[] = [], messages: string[] = [];
  const log: Logger = {
    info() {},
    warn: (e, f) => {
      events.push(e);
      messages.push(String(f?.message));
    },
  };
  return { log, events, messages };
}

/** The rows of the perf log beside the state file `<dir>/s.json`. */
export const perfLogRows = (dir: string) =>
  readFileSync(join(dir, "s.json.perf.jsonl"), "utf8").split("\n").filter(Boolean)
    .map((l) => JSON.parse(l) as { benchmark: number });

/**
 * A replayed daily paper session of zipline-examples from 2014-01-02, state and journal in `dir`
 * (a second call there resumes it).
 */
export function replaySession(
  root: string,
  dir: string,
  strategy: Strategy,
  end: string,
  extra: Partial<LiveOptions> = {},
): Promise<Results> {
  return runLive({
    strategy,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: "2014-01-02",
    end,
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    capital_base: 1_000_000,
    root,
    ...extra,
  });
}
