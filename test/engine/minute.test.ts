/** Minute backtests: one bar per trading minute, next-minute fills, minute and daily history. */
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm, type RunOptions } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { date_rules, time_rules } from "../../runtime/api/mod.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 9)));

/** Price of `sym` at minute `k` of session `s`: a deterministic ramp, different per symbol. */
const px = (sym: number, s: number, k: number) => 100 * (sym + 1) + s + k / 1000;

beforeAll(async () => {
  root = tempRoot();
  const files: Record<string, string> = {};
  ["AAA", "BBB"].forEach((sym, j) => {
    const lines = ["date,open,high,low,close,volume"];
    SESSIONS.forEach((s, si) => {
      cal.session_minutes(s).forEach((m, k) => {
        const p = px(j, si, k);
        lines.push(
          `${new Date(m).toISOString().slice(0, 19).replace("T", " ")},${p},${p + 0.01},${
            p - 0.01
          },${p},1000`,
        );
      });
    });
    files[`${sym}.csv`] = lines.join("\n") + "\n";
  });
  register("minute-test", csvdir_equities({ csvdir: csvFolder(files, "minute") }), {
    calendar_name: "XNYS",
  });
  await ingest("minute-test", { root });
});

const run = (strategy: Strategy, more: Partial<RunOptions> = {}) =>
  run_algorithm({
    strategy,
    start: "2024-07-01",
    end: "2024-07-09",
    bundle: "minute-test",
    data_frequency: "minute",
    root,
    no_benchmark: true,
    ...more,
  });

describe("minute backtests", () => {
  test("handle_data runs every trading minute; orders fill on the next minute", async () => {
    let calls = 0;
    const r = await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAA");
        c.set_slippage(new (await import("../../runtime/api/mod.ts")).slippage.NoSlippage());
      },
      handle_data: async (c, data) => {
        calls++;
        if (calls === 10) {
          c.placed = data.current_dt.getTime();
          await c.order(c.a, 5);
        }
      },
    });
    // Jul 1, 2, 5, 8, 9: 390 minutes; Jul 3: 210 (early close); Jul 4: closed.
    expect(calls).toBe(5 * 390 + 210);
    expect(r.length).toBe(6);
    expect(r.transactions.length).toBe(1);
    const fill = r.transactions[0];
    expect(fill.dt - r.orders[0].created).toBe(60_000);
    expect(fill.price).toBe(px(0, 0, 10)); // the close of the minute after the order (minute index 10)
  });
  test("minute history includes the current minute; daily history ends with today so far", async () => {
    const seen: Record<string, number[]> = {};
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("BBB");
        c.n = 0;
      },
      handle_data: async (c, data) => {
        c.n++;
        if (c.n !== 390 + 5) return; // the 5th minute of the second session
        seen.m = Array.from((await data.history(c.a, "close", 3, "1m")).values);
        seen.d = Array.from((await data.history(c.a, "close", 2, "1d")).values);
        seen.v = Array.from((await data.history(c.a, "volume", 2, "1d")).values);
        seen.p = [await data.current(c.a, "price")];
      },
    });
    expect(seen.m).toEqual([px(1, 1, 2), px(1, 1, 3), px(1, 1, 4)]);
    expect(seen.d).toEqual([px(1, 0, 389), px(1, 1, 4)]); // yesterday's close, today's last close
    expect(seen.v).toEqual([390 * 1000, 5 * 1000]);
    expect(seen.p).toEqual([px(1, 1, 4)]);
  });
  test("one asset's minute window (a view of the buffer) equals the general path's, every minute", async () => {
    let checked = 0;
    const bad: string[] = [];
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAA");
        c.n = 0;
      },
      handle_data: async (c, data) => {
        if (++c.n < 8) return; // windows of 8 minutes: from the 8th minute of the data
        for (const f of ["open", "high", "low", "close", "volume"] as const) {
          const one = await data.history(c.a, f, 8, "1m");
          const frame = await data.history([c.a], f, 8, "1m"); // the multi-asset path
          const col = frame.get(c.a)!;
          if (
            one.values.join() !== col.values.join() ||
            Array.from(one.index).join() !== Array.from(frame.index).join()
          ) bad.push(`${data.current_dt.toISOString()} ${f}`);
          checked++;
        }
      },
    });
    expect(bad).toEqual([]);
    expect(checked).toBe(5 * (5 * 390 + 210 - 7));
  });
  test("windows of different lengths at one minute each get their own index", async () => {
    // 1 and 4,097 minutes at the same minute: the shared index was once cached under a key that
    // kept only the count's low 12 bits, and the long window was handed the short one's index.
    const seen: number[][] = [];
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAA");
        c.n = 0;
      },
      handle_data: async (c, data) => {
        if (++c.n !== 500) return;
        for (const count of [1, 4097, 1, 4096 + 8]) {
          const w = await data.history(c.a, "close", count, "1m");
          seen.push([count, w.values.length, w.index.length, Number(w.index[count - 1])]);
        }
      },
    }, { history_before_data: "nan" });
    const now = cal.session_minutes(SESSIONS[1])[109]; // the 500th minute: 110th of the 2nd day
    expect(seen).toEqual([[1, 1, 1, now], [4097, 4097, 4097, now], [1, 1, 1, now], [
      4104,
      4104,
      4104,
      now,
    ]]);
  });
  test("a minute window spanning sessions, and before_trading_start on yesterday's data", async () => {
    const seen: Record<string, unknown> = {};
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAA");
        c.n = 0;
      },
      before_trading_start: async (c, data) => {
        if (c.n === 390) {
          seen.bts = [await data.current(c.a, "price"), data.current_dt.toISOString()];
        }
      },
      handle_data: async (c, data) => {
        c.n++;
        if (c.n === 391) seen.span = Array.from((await data.history(c.a, "price", 2, "1m")).values);
      },
    });
    expect(seen.bts).toEqual([px(0, 0, 389), "2024-07-02T12:45:00.000Z"]);
    expect(seen.span).toEqual([px(0, 0, 389), px(0, 1, 0)]);
  });
  test("scheduled functions fire at their minute", async () => {
    const fired: string[] = [];
    await run({
      initialize: (c) => {
        c.schedule_function(
          (ctx: { get_datetime(): Date }) => {
            fired.push(ctx.get_datetime().toISOString());
          },
          date_rules.every_day(),
          time_rules.market_open({ minutes: 30 }),
        );
        c.schedule_function(
          (ctx: { get_datetime(): Date }) => {
            fired.push(`close ${ctx.get_datetime().toISOString()}`);
          },
          date_rules.every_day(),
          time_rules.market_close(),
          { half_days: false },
        );
      },
    });
    expect(fired.slice(0, 3)).toEqual([
      "2024-07-01T14:00:00.000Z",
      "close 2024-07-01T19:59:00.000Z",
      "2024-07-02T14:00:00.000Z",
    ]);
    expect(fired.filter((f) => f.startsWith("close 2024-07-03"))).toEqual([]); // half day skipped
    expect(fired).toContain("2024-07-03T14:00:00.000Z");
  });
});
