/**
 * A live session's perf rows go to `<state>.perf.jsonl` as sessions complete; the state file keeps
 * only their count. The state stays the same size however long the session runs, a restart
 * continues the same table, a crash between the append and the state save loses nothing and
 * duplicates nothing, and state files that still carry the rows themselves keep working.
 */
import { appendFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { PerfLog } from "../../runtime/live/perf_log.ts";
import { readState, writeState } from "../../runtime/live/persistence.ts";
import type { SessionState } from "../../runtime/live/session_state.ts";
import { type PerfCounters, PerfTracker } from "../../runtime/metrics/perf.ts";
import { replaySession, samePerf } from "./perf_helpers.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
let strategy: Strategy;
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
  strategy = await import(
    fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url))
  ) as Strategy;
});

const session = (dir: string, end: string) => replaySession(root, dir, strategy, end);

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean).length;

describe("the perf log", () => {
  test("one line per completed session; the state file keeps only the count", async () => {
    const short = tempRoot("hv-perflog-");
    const a = await session(short, "2014-01-31");
    const long = tempRoot("hv-perflog-");
    const b = await session(long, "2014-06-30");
    expect(a.length).toBe(21);
    expect(lines(join(short, "s.json.perf.jsonl"))).toBe(a.length);
    expect(lines(join(long, "s.json.perf.jsonl"))).toBe(b.length);
    const st = readState<SessionState>(join(long, "s.json"), "x")!;
    expect(st.perf).toEqual({
      rows: b.length,
      previous_cash_flow: expect.any(Number),
      max_leverage: expect.any(Number),
    });
  });

  test("a restart continues the table: the same rows as one uninterrupted run", async () => {
    const once = await session(tempRoot("hv-perflog-"), "2014-03-31");
    const dir = tempRoot("hv-perflog-");
    await session(dir, "2014-01-31");
    const resumed = await session(dir, "2014-03-31");
    expect(samePerf(resumed, once)).toEqual([]);
    expect(lines(join(dir, "s.json.perf.jsonl"))).toBe(once.length);
  });

  test("a crash after the append but before the state save: the extra row is dropped, not doubled", async () => {
    const once = await session(tempRoot("hv-perflog-"), "2014-03-31");
    const dir = tempRoot("hv-perflog-");
    await session(dir, "2014-01-31");
    const log = join(dir, "s.json.perf.jsonl");
    const last = readFileSync(log, "utf8").trim().split("\n").at(-1)!;
    appendFileSync(log, last.replace('"period_label":"2014-01"', '"period_label":"bogus"') + "\n");
    const resumed = await session(dir, "2014-03-31");
    expect(samePerf(resumed, once)).toEqual([]);
    expect(readFileSync(log, "utf8")).not.toContain("bogus");
    expect(lines(log)).toBe(once.length);
  });

  test("a state file that still carries its perf rows (before the log) is restored", async () => {
    const once = await session(tempRoot("hv-perflog-"), "2014-03-31");
    const dir = tempRoot("hv-perflog-");
    await session(dir, "2014-01-31");
    const path = join(dir, "s.json");
    const st = readState<SessionState>(path, "x")!;
    const counters = st.perf as PerfCounters;
    const rows = PerfLog.read(`${path}.perf.jsonl`, counters.rows);
    writeState(path, { ...st, perf: PerfTracker.snapshotOf(rows, counters) }, "x");
    rmSync(`${path}.perf.jsonl`);
    const resumed = await session(dir, "2014-03-31");
    expect(samePerf(resumed, once)).toEqual([]);
  });

  test("a state counting rows its perf log lacks is refused, naming --fresh", async () => {
    const dir = tempRoot("hv-perflog-");
    await session(dir, "2014-01-31");
    rmSync(join(dir, "s.json.perf.jsonl"));
    await expect(session(dir, "2014-02-28")).rejects.toThrow(
      /perf\.jsonl is missing.*21 perf rows/,
    );
  });
});
