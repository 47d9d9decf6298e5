/**
 * The minute cache (`bundles/reader/minute_cache.ts`) gives exactly what the database gives —
 * every range, inside the bars' span or reaching past it, any assets in any order (one it does
 * not hold among them), any fields, into reused arrays holding other values — on a calendar with
 * early closes and one with a lunch break; it is written by the first minute reader of a version
 * and opened by the next, not written when too large or switched off, and written again when
 * its file no longer matches its header. A minute backtest on it equals one on the database.
 */
import { existsSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test, vi } from "vitest";
import {
  BAR_FIELDS,
  BundleReader,
  ingest,
  load,
  MinuteCache,
  openMinuteBars,
  writeMinuteCache,
} from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { minuteFiles, tempRoot } from "./helpers.ts";
import { differences } from "../parity/compare.ts";

/** A csvdir minute bundle of 4 assets over `count` sessions of July 2024 (+ 2 around them). */
async function bundle(calendar: string, count: number) {
  const cal = get_calendar(calendar);
  const sessions = cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 30))
    .slice(0, count);
  const { dir } = minuteFiles(calendar, sessions, 4, count);
  const root = tempRoot();
  await ingest("csvdir", { root, environ: { CSVDIR: dir }, calendar });
  return { root, dir, sessions, cal };
}

/** Arrays from one big buffer of garbage, as a pool hands them out. */
function garbage(): (length: number) => Float64Array {
  return (length) => new Float64Array(length + 100).fill(-7).subarray(0, length);
}

async function same(
  r: BundleReader,
  c: MinuteCache,
  ...args: Parameters<BundleReader["loadMinuteRange"]>
) {
  const want = await r.loadMinuteRange(...args);
  const got = await c.loadMinuteRange(args[0], args[1], args[2], args[3], garbage());
  expect(Array.from(got.minutes)).toEqual(Array.from(want.minutes));
  expect(Array.from(got.sessionStarts)).toEqual(Array.from(want.sessionStarts));
  expect(Object.keys(got.fields).sort()).toEqual(Object.keys(want.fields).sort());
  for (const f of Object.keys(want.fields) as (keyof typeof want.fields)[]) {
    expect(Array.from(got.fields[f]!)).toEqual(Array.from(want.fields[f]!));
  }
}

describe("minute cache", () => {
  for (const [calendar, count] of [["XNYS", 8], ["XHKG", 5]] as const) {
    test(`${calendar}: every range, asset set and field set reads as from the database`, async () => {
      const { root, sessions, cal } = await bundle(calendar, count);
      const r = await load("csvdir", { root });
      try {
        expect(await writeMinuteCache(r, r.version.path)).toBe(true);
        const c = MinuteCache.open(r)!;
        expect(c).not.toBeNull();
        const all = [0, 1, 2, 3];
        for (let i = 0; i < sessions.length; i++) await same(r, c, all, sessions[i], sessions[i]);
        await same(r, c, all, sessions[0], sessions[count - 1]);
        await same(r, c, [3, 0, 999, 2], sessions[1], sessions[count - 2], ["volume", "close"]);
        // Reaching past the bars on both sides: the sessions the cache does not hold stay empty.
        const before = cal.sessions_in_range(Date.UTC(2024, 5, 20), sessions[0]);
        const after = cal.sessions_in_range(sessions[count - 1], Date.UTC(2024, 8, 10));
        await same(r, c, [1, 2], before[0], after[after.length - 1]);
        await same(r, c, [0], before[0], before[before.length - 2]);
        c.close();
        // After close, a read still answers (by the file's path).
        await same(r, c, [2], sessions[2], sessions[3], ["high"]);
      } finally {
        r.close();
      }
    });
  }

  test("a field is read, and takes an array, only when first read", async () => {
    const { root, sessions } = await bundle("XNYS", 3);
    const r = await load("csvdir", { root });
    try {
      await writeMinuteCache(r, r.version.path);
      const c = MinuteCache.open(r)!;
      const taken: number[] = [];
      const bars = await c.loadMinuteRange([0, 1], sessions[0], sessions[2], BAR_FIELDS, (n) => {
        taken.push(n);
        return new Float64Array(n);
      });
      expect(taken).toEqual([]);
      const want = await r.loadMinuteRange([0, 1], sessions[0], sessions[2]);
      expect(Array.from(bars.fields.close!)).toEqual(Array.from(want.fields.close!));
      expect(bars.fields.close).toBe(bars.fields.close); // once, then the same array
      expect(taken.length).toBe(1);
      expect(Array.from(bars.fields.volume!)).toEqual(Array.from(want.fields.volume!));
      expect(taken.length).toBe(2);
      c.close();
    } finally {
      r.close();
    }
  });

  test("the first reader writes it, the next opens it; too large or switched off: the database", async () => {
    const { root } = await bundle("XNYS", 3);
    const r = await load("csvdir", { root });
    const bin = join(r.version.path, "minute_cache.bin");
    try {
      const off = await openMinuteBars(r, { HARVESTER_MINUTE_CACHE: "off" });
      expect(off).not.toBeInstanceOf(MinuteCache);
      const small = await openMinuteBars(r, {}, 100);
      expect(small).not.toBeInstanceOf(MinuteCache);
      expect(existsSync(bin)).toBe(false);
      const first = await openMinuteBars(r, {});
      expect(first).toBeInstanceOf(MinuteCache);
      expect(existsSync(bin)).toBe(true);
      // The span a minute backtest checks its dates against, as the database counts it.
      expect(first.span).toEqual(off.span);
      expect(first.span.count).toBeGreaterThan(1000);
      expect(first.span.first).toBe("2024-07-01");
      first.close();
      expect(await openMinuteBars(r, {})).toBeInstanceOf(MinuteCache);
      // A file cut short no longer matches its header: not opened, written again by the reader.
      truncateSync(bin, 1000);
      expect(MinuteCache.open(r)).toBeNull();
      const again = await openMinuteBars(r, {});
      expect(again).toBeInstanceOf(MinuteCache);
      const bars = await again.loadMinuteRange(
        [0, 1],
        r.metadata.first_session,
        r.metadata.last_session,
      );
      const want = await r.loadMinuteRange(
        [0, 1],
        r.metadata.first_session,
        r.metadata.last_session,
      );
      for (const f of BAR_FIELDS) {
        expect(Array.from(bars.fields[f]!)).toEqual(Array.from(want.fields[f]!));
      }
      again.close();
    } finally {
      r.close();
    }
  });

  test("a minute backtest on the caches equals one on the database, and opens none", async () => {
    const { root } = await bundle("XNYS", 8);
    const strategy = {
      initialize(context: Record<string, unknown>) {
        context.n = 0;
      },
      async handle_data(
        context: Record<string, unknown>,
        data: import("../../runtime/api/bar_data.ts").BarData,
      ) {
        const { symbol, order_target_percent } = await import("../../runtime/entry/api.ts");
        const n = (context.n as number)++;
        if (n < 30 || n % 7 !== 0) return;
        for (const s of ["S0", "S1", "S2"]) {
          const a = await symbol(s);
          const w = await data.history(a, "price", 30, "1m");
          const up = w.values[29] > w.values[0];
          if (await data.can_trade(a)) await order_target_percent(a, up ? 0.3 : 0);
        }
      },
    };
    const run = (environ: Record<string, string>) =>
      run_algorithm({
        strategy,
        bundle: "csvdir",
        root,
        environ,
        start: "2024-07-02",
        end: "2024-07-10",
        data_frequency: "minute",
        capital_base: 100_000,
        no_benchmark: true,
      });
    const db = await run({ HARVESTER_MINUTE_CACHE: "off" });
    const cached = await run({});
    const r = await load("csvdir", { root });
    expect(MinuteCache.open(r)).not.toBeNull();
    r.close();
    expect(cached.transactions.length).toBeGreaterThan(10);
    // Every perf column, position, order and transaction (the parity suite's comparison).
    expect(differences(cached, db)).toEqual([]);
    // With both caches written, a minute backtest opens no database.
    const opened = vi.spyOn(BundleReader, "open");
    try {
      const again = await run({});
      expect(opened).not.toHaveBeenCalled();
      expect(differences(again, db)).toEqual([]);
    } finally {
      opened.mockRestore();
    }
  });
});
