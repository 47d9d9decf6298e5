/** zipline's API rules, errors and data shapes, exercised through real backtests. */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm, type RunOptions } from "../../runtime/engine/run_algorithm.ts";
import type { Context } from "../../runtime/api/context.ts";
import type { BarData } from "../../runtime/api/bar_data.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { Series } from "../../runtime/frames/series.ts";
import { Frame } from "../../runtime/frames/frame.ts";
import { HistoryPanel } from "../../runtime/frames/history_panel.ts";
import {
  date_rules,
  EODCancel,
  LimitOrder,
  order,
  symbol,
  TradingControlViolation,
} from "../../runtime/api/mod.ts";
import { commission, slippage } from "../../runtime/api/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

const run = (strategy: Strategy, extra: Partial<RunOptions> = {}) =>
  run_algorithm({
    strategy,
    start: "2014-01-02",
    end: "2014-01-31",
    root,
    no_benchmark: true,
    ...extra,
  });

describe("ordering rules", () => {
  test("ordering in initialize raises OrderDuringInitialize", async () => {
    await expect(run({
      initialize: async (c) => {
        await c.order(await c.symbol("AAPL"), 10);
      },
    })).rejects.toThrow(/order\(\) can only be called from within handle_data/);
  });
  test("ordering in before_trading_start raises", async () => {
    await expect(run({
      initialize: () => {},
      before_trading_start: async (c) => {
        await c.order(await c.symbol("AAPL"), 10);
      },
    })).rejects.toThrow(/Cannot place orders inside before_trading_start/);
  });
  test("style together with limit_price is rejected", async () => {
    await expect(run({
      initialize: () => {},
      handle_data: async (c) => {
        await c.order(await c.symbol("AAPL"), 10, { style: new LimitOrder(500), limit_price: 500 });
      },
    })).rejects.toThrow(/Passing both limit_price and style is not supported/);
  });
  test("non-asset arguments are rejected", async () => {
    await expect(run({
      initialize: () => {},
      handle_data: async (c) => {
        await c.order("AAPL" as never, 10);
      },
    })).rejects.toThrow(/non-Asset argument/);
  });
  test("an order fills on the next bar, never on its own", async () => {
    const r = await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAPL");
        c.set_slippage(new slippage.NoSlippage());
        c.set_commission(new commission.NoCommission());
      },
      handle_data: async (c) => {
        if (!c.done) await c.order(c.a, 7);
        c.done = true;
      },
    });
    expect(r.transactions.length).toBe(1);
    expect(new Date(r.transactions[0].date).toISOString().slice(0, 10)).toBe("2014-01-03");
    expect(r.perf.capital_used[0]).toBe(0);
  });
  test("amounts are truncated unless within 1e-4 of an integer", async () => {
    const amounts: number[] = [];
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAPL");
      },
      handle_data: async (c) => {
        if (c.done) return;
        c.done = true;
        for (const n of [5.5, -5.5, 3.99995]) {
          const id = await c.order(c.a, n);
          amounts.push((await c.get_order(id!))!.amount);
        }
      },
    });
    expect(amounts).toEqual([5, -5, 4]);
  });
  test("limit prices are rounded to favour the order (zipline's asymmetric rounding)", async () => {
    let limit = 0;
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAPL");
      },
      handle_data: async (c) => {
        if (c.done) return;
        c.done = true;
        const id = await c.order(c.a, 10, { limit_price: 10.0194 });
        limit = (await c.get_order(id!))!.limit!;
      },
    });
    expect(limit).toBe(10.01); // a buy's limit rounds down below X.0195
  });
  test("trading controls: max order size fails, long-only logs", async () => {
    await expect(run({
      initialize: async (c) => {
        c.set_max_order_size({ max_shares: 5 });
      },
      handle_data: async (c) => {
        await c.order(await c.symbol("AAPL"), 10);
      },
    })).rejects.toThrow(TradingControlViolation);
    await expect(run({
      initialize: () => {},
      handle_data: (c) => c.set_long_only(),
    })).rejects.toThrow(/Trading controls may only be set during initialize/);
  });
  test("settings after initialize are refused", async () => {
    await expect(
      run({ initialize: () => {}, handle_data: (c) => c.set_slippage(new slippage.NoSlippage()) }),
    )
      .rejects.toThrow(/set_slippage\(\) can only be called during initialize/);
  });
});

describe("data", () => {
  test("history shapes, views, and no look-ahead", async () => {
    const seen: Record<string, unknown> = {};
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAPL");
        c.m = await c.symbol("MSFT");
      },
      handle_data: async (c, data: BarData) => {
        if (c.done) return;
        c.done = true;
        const s = await data.history(c.a, "price", 5, "1d");
        seen.series = s instanceof Series && s.length === 5;
        seen.lastIsToday = s.last() === await data.current(c.a, "close");
        seen.lastIndex = new Date(s.index[4] as number).toISOString().slice(0, 10);
        // The view's whole buffer holds nothing after today: trying to read ahead finds NaN.
        const buf = new Float64Array(s.values.buffer);
        const after = s.values.byteOffset / 8 + s.values.length;
        seen.ahead = buf[after];
        seen.frame = (await data.history([c.a, c.m], "close", 3, "1d")) instanceof Frame;
        seen.frame2 = (await data.history(c.a, ["open", "close"], 3, "1d")) instanceof Frame;
        seen.panel = (await data.history([c.a, c.m], ["open", "close"], 3, "1d")) instanceof
          HistoryPanel;
        seen.current = typeof await data.current(c.a, "price") === "number";
        seen.currentMany = (await data.current([c.a, c.m], "price")) instanceof Series;
        seen.canTrade = await data.can_trade(c.a);
      },
    });
    expect(seen).toEqual({
      series: true,
      lastIsToday: true,
      lastIndex: "2014-01-02",
      ahead: NaN,
      frame: true,
      frame2: true,
      panel: true,
      current: true,
      currentMany: true,
      canTrade: true,
    });
  });
  test("a multi-asset history frame answers each asset's own window, repeats and order aside", async () => {
    const seen: Record<string, unknown> = {};
    await run({
      initialize: async (c) => {
        c.a = await c.symbol("AAPL");
        c.m = await c.symbol("MSFT");
        c.bars = 0;
      },
      handle_data: async (c, data: BarData) => {
        if (++c.bars !== 3) return;
        const own = async (x: unknown) =>
          Array.from((await data.history(x as never, "close", 3, "1d")).values);
        const a = await own(c.a), m = await own(c.m);
        // Read in column order (the cursor), out of order, and with a repeated asset.
        const f = await data.history([c.a, c.m], "close", 3, "1d");
        seen.inOrder = [f.get(c.a), f.get(c.m)].map((s) => Array.from(s.values));
        const g = await data.history([c.a, c.m], "close", 3, "1d");
        seen.outOfOrder = [g.get(c.m), g.get(c.a), g.get(c.m)].map((s) => Array.from(s.values));
        const r = await data.history([c.m, c.a, c.m], "close", 3, "1d");
        seen.repeated = [r.get(c.m), r.get(c.a), r.get(c.m)].map((s) => Array.from(s.values));
        seen.repeatedColumn = r.columnPosition(c.m);
        seen.expected = { a, m };
      },
    });
    const { a, m } = seen.expected as { a: number[]; m: number[] };
    expect(a).not.toEqual(m);
    expect(seen.inOrder).toEqual([a, m]);
    expect(seen.outOfOrder).toEqual([m, a, m]);
    expect(seen.repeated).toEqual([m, a, m]);
    expect(seen.repeatedColumn).toBe(0); // the first of a repeated column, as before
  });

  test("history is split-adjusted as of the current day", async () => {
    const windows: number[][] = [];
    await run_algorithm({
      root,
      no_benchmark: true,
      start: "2014-06-05",
      end: "2014-06-10",
      strategy: {
        initialize: async (c) => {
          c.a = await c.symbol("AAPL");
        },
        handle_data: async (c, data) => {
          windows.push(Array.from((await data.history(c.a, "close", 3, "1d")).values));
        },
      },
    });
    // AAPL split 7:1 effective 2014-06-09: before it, raw prices; from it on, earlier bars ÷ 7.
    expect(windows[1][2]).toBeCloseTo(645.57, 6); // 2014-06-06 raw
    // the same bar adjusted, then rounded to 3 decimals as zipline rounds history windows
    expect(windows[2][1]).toBe(92.224); // 645.57 / 7 = 92.22428…
  });
});

describe("scheduling, records, params, environment", () => {
  test("scheduled functions run on their days after handle_data; records persist", async () => {
    const calls: string[] = [];
    const r = await run({
      initialize: (c) => {
        c.schedule_function((_c: Context) => {
          calls.push(`week ${(_c.get_datetime() as Date).toISOString().slice(0, 10)}`);
          _c.record({ weekly: 1 });
        }, date_rules.week_start());
      },
      handle_data: () => {
        calls.push("hd");
      },
    });
    expect(calls.slice(0, 3)).toEqual(["hd", "hd", "hd"]); // Thu 2, Fri 3, then Mon 6 …
    expect(calls[3]).toBe("week 2014-01-06");
    const weekly = r.recorded.get("weekly")!;
    expect(weekly[1]).toBeUndefined();
    expect(weekly[2]).toBe(1); // Monday 2014-01-06
    expect(weekly[3]).toBe(1); // zipline keeps a recorded value until it is recorded again
  });
  test("-D params and get_environment", async () => {
    let seen: unknown[] = [];
    await run({
      initialize: (c) => {
        seen = [c.params.window, c.get_environment(), c.get_environment("data_frequency")];
        expect(() => c.get_environment("nope")).toThrow(/unknown field/);
      },
    }, { params: { window: "20" } });
    expect(seen).toEqual(["20", "harvester", "daily"]);
  });
  test("free functions from harvester/api act on the running algorithm", async () => {
    const r = await run({
      initialize: async (c) => {
        c.a = await symbol("AAPL");
        c.set_cancel_policy(new EODCancel());
      },
      handle_data: async (c) => {
        if (!c.done) await order(c.a, 1);
        c.done = true;
      },
    });
    expect(r.transactions.length).toBe(1);
  });
});
