/** Dividends paid on their pay date, splits on positions, auto-close, same-bar fills, benchmarks. */
import { beforeAll, describe, expect, test } from "vitest";
import { ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { commission, slippage } from "../../runtime/api/mod.ts";
import type { Context } from "../../runtime/api/context.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
const S = Array.from(cal.sessions_in_range(Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 31)));
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

beforeAll(async () => {
  root = tempRoot();
  // DIV: 100.00 flat; a 1.00 dividend ex 2024-01-10, paid 2024-01-17.
  // SPL: 50 until a 2-for-1 split effective 2024-01-12, then 25. DLS: delisted after 2024-01-19.
  register("actions-test", async ({ writer }) => {
    const days = Int32Array.from(S, (s) => s / 86_400_000);
    const n = days.length;
    const flat = (v: number) => new Float64Array(n).fill(v);
    const splitPx = Float64Array.from(S, (s) => (s >= Date.UTC(2024, 0, 12) ? 25 : 50));
    const dlsDays = days.filter((d) => d <= Date.UTC(2024, 0, 19) / 86_400_000);
    await writer.writeAssets([
      {
        sid: 0,
        symbol: "DIV",
        start_date: day(S[0]),
        end_date: day(S[n - 1]),
        auto_close_date: "2024-02-15",
      },
      {
        sid: 1,
        symbol: "SPL",
        start_date: day(S[0]),
        end_date: day(S[n - 1]),
        auto_close_date: "2024-02-15",
      },
      {
        sid: 2,
        symbol: "DLS",
        start_date: day(S[0]),
        end_date: "2024-01-19",
        auto_close_date: "2024-01-22",
      },
    ]);
    await writer.writeDailyBars(0, days, {
      open: flat(100),
      high: flat(100),
      low: flat(100),
      close: flat(100),
      volume: flat(1e6),
    });
    await writer.writeDailyBars(1, days, {
      open: splitPx,
      high: splitPx,
      low: splitPx,
      close: splitPx,
      volume: flat(1e6),
    });
    const m = dlsDays.length, f = (v: number) => new Float64Array(m).fill(v);
    await writer.writeDailyBars(2, dlsDays, {
      open: f(10),
      high: f(10),
      low: f(10),
      close: f(10),
      volume: f(1e6),
    });
    await writer.writeDividends([{
      sid: 0,
      ex_date: "2024-01-10",
      amount: 1,
      pay_date: "2024-01-17",
    }]);
    await writer.writeSplits([{ sid: 1, effective_date: "2024-01-12", ratio: 0.5 }]);
  }, { calendar_name: "XNYS" });
  await ingest("actions-test", { root });
});

function zeroCost(c: Context): void {
  c.set_slippage(new slippage.NoSlippage());
  c.set_commission(new commission.NoCommission());
}

const run = (strategy: Parameters<typeof run_algorithm>[0]["strategy"], extra = {}) =>
  run_algorithm({
    strategy,
    start: "2024-01-02",
    end: "2024-01-31",
    bundle: "actions-test",
    root,
    no_benchmark: true,
    ...extra,
  });

describe("corporate actions in the simulation", () => {
  test("a dividend is earned on its ex-date and paid as cash on its pay date", async () => {
    const r = await run({
      initialize: async (c) => {
        zeroCost(c);
        c.a = await c.symbol("DIV");
      },
      handle_data: async (c) => {
        if (!c.done) await c.order(c.a, 10);
        c.done = true;
      },
    });
    const cash = (d: string) => r.perf.ending_cash[S.indexOf(Date.parse(`${d}T00:00:00Z`))];
    expect(cash("2024-01-16")).toBe(cash("2024-01-03"));
    expect(cash("2024-01-17")).toBe(cash("2024-01-03") + 10);
  });
  test("a split multiplies the position, divides its cost basis, and rescales open orders", async () => {
    let openAfter = 0;
    const r = await run({
      initialize: async (c) => {
        zeroCost(c);
        c.a = await c.symbol("SPL");
        c.n = 0;
      },
      handle_data: async (c) => {
        c.n++;
        if (c.n === 1) await c.order(c.a, 11);
        if (day(c.get_datetime().getTime()) === "2024-01-11") {
          await c.order(c.a, 3, { limit_price: 10 }); // stays open
        }
        if (day(c.get_datetime().getTime()) === "2024-01-12") {
          openAfter = (await c.get_open_orders(c.a))[0].amount;
        }
      },
    });
    const pos = r.positions.filter((p) => day(p.date) === "2024-01-12")[0];
    expect(pos.amount).toBe(22);
    expect(pos.cost_basis).toBe(25);
    expect(openAfter).toBe(6);
  });
  test("a delisted position is closed on its auto-close date at its last price", async () => {
    const r = await run({
      initialize: async (c) => {
        zeroCost(c);
        c.a = await c.symbol("DLS");
      },
      handle_data: async (c) => {
        if (!c.done) await c.order(c.a, 100);
        c.done = true;
      },
    });
    const close = r.transactions.find((t) => t.order_id === null)!;
    expect(day(close.date)).toBe("2024-01-22");
    expect([close.amount, close.price]).toEqual([-100, 10]);
    expect(r.positions.filter((p) => p.sid === 2).map((p) => day(p.date)).at(-1)).toBe(
      "2024-01-19",
    );
  });
  test("same-bar fills only when asked for", async () => {
    const strategy = {
      initialize: async (c: Context) => {
        zeroCost(c);
        c.a = await c.symbol("DIV");
      },
      handle_data: async (c: Context) => {
        if (!c.done) await c.order(c.a, 1);
        c.done = true;
      },
    };
    expect(day((await run(strategy)).transactions[0].date)).toBe("2024-01-03");
    expect(day((await run(strategy, { same_bar_fills: true })).transactions[0].date)).toBe(
      "2024-01-02",
    );
  });
  test("a benchmark from an asset gives its daily returns, dividends reinvested", async () => {
    const r = await run({ initialize: () => {} }, { no_benchmark: false, benchmark_symbol: "SPL" });
    const i = S.indexOf(Date.UTC(2024, 0, 12));
    expect(r.benchmark_returns[i]).toBeCloseTo(0, 12); // the split is not a loss
    const d = await run({ initialize: () => {} }, { no_benchmark: false, benchmark_symbol: "DIV" });
    expect(d.benchmark_returns[S.indexOf(Date.UTC(2024, 0, 10))]).toBeCloseTo(100 / 99 - 1, 12);
  });
  test("without a benchmark: zeros, and alpha/beta empty", async () => {
    const r = await run({ initialize: () => {} });
    expect(Array.from(r.perf.benchmark_period_return).every((x) => x === 0)).toBe(true);
    expect(Array.from(r.perf.beta).every((x) => Number.isNaN(x))).toBe(true);
  });
});
