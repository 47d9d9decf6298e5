/**
 * zipline's model API: `set_slippage` / `set_commission` in their three forms (one model, the
 * keyword arguments as `{ us_equities, us_futures }`, the positional pair), zipline's base
 * classes subclassed as zipline's docs show (`process_order(data, order)`,
 * `calculate(order, transaction)`), and wrong objects refused at the call.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import {
  commission,
  type Order,
  order,
  record,
  set_commission,
  set_slippage,
  slippage,
  symbol,
} from "../../runtime/api/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

const run = (strategy: Strategy, end = "2014-01-31") =>
  run_algorithm({ strategy, start: "2014-01-02", end, root, no_benchmark: true });

/** Buys 3,000,000 AAPL on the first bar (more than a bar's volume share) and holds. */
function buyer(settings: () => void): Strategy {
  let done = false;
  return {
    initialize: async (c) => {
      c.asset = await symbol("AAPL");
      settings();
    },
    handle_data: async (c) => {
      if (!done) await order(c.asset, 3_000_000);
      done = true;
    },
  };
}

describe("set_slippage and set_commission forms", () => {
  test("one model, { us_equities }, and the positional pair give the same results", async () => {
    const vss = () => new slippage.VolumeShareSlippage({ volume_limit: 0.01, price_impact: 0.2 });
    const per = () => new commission.PerShare({ cost: 0.01, min_trade_cost: 2 });
    const one = await run(buyer(() => {
      set_slippage(vss());
      set_commission(per());
    }));
    const keywords = await run(buyer(() => {
      set_slippage({ us_equities: vss() });
      set_commission({ us_equities: per() });
    }));
    const pair = await run(buyer(() => {
      set_slippage(vss(), null);
      set_commission(per(), null);
    }));
    const defaults = await run(buyer(() => {}));
    expect(one.transactions.length).toBeGreaterThan(1); // volume-limited: several fills
    expect(keywords.toCSV()).toBe(one.toCSV());
    expect(pair.toCSV()).toBe(one.toCSV());
    const fills = (r: typeof one) => r.transactions.map(({ order_id: _, ...t }) => t);
    expect(fills(keywords)).toEqual(fills(one));
    expect(defaults.toCSV()).not.toBe(one.toCSV()); // the models were really applied
  });

  test("a model object without the method is refused at the call, naming what to pass", async () => {
    const refused = (settings: () => void) => run(buyer(settings));
    await expect(refused(() => set_slippage({ us_equities: { spread: 1 } } as never))).rejects
      .toThrow(
        /set_slippage: us_equities must be a model — slippage\.FixedBasisPointsSlippage.*or a class extending slippage\.SlippageModel that implements process_order\(…\) — but got an object with spread/,
      );
    await expect(refused(() => set_commission({ cost: 1 } as never))).rejects.toThrow(
      /set_commission: unknown option "cost"; pass a model, or \{ us_equities: model, us_futures: model \}/,
    );
    await expect(refused(() => set_slippage(slippage.FixedSlippage as never))).rejects.toThrow(
      /set_slippage: us_equities is the class FixedSlippage, not a model; pass an instance: new FixedSlippage\(…\)/,
    );
    await expect(refused(() => set_commission(42 as never))).rejects.toThrow(
      /set_commission: us_equities must be a model .* but got 42/,
    );
  });

  test("an equities-only model is refused for futures, with zipline's message", async () => {
    class Equities extends slippage.EquitySlippageModel {
      process_order(data: slippage.BarView, o: Order): slippage.Fill {
        return [data.current(o.asset, "close"), o.amount];
      }
    }
    await expect(run(buyer(() => set_slippage({ us_futures: new Equities() })))).rejects.toThrow(
      "You attempted to set an incompatible slippage model for futures. The slippage model 'Equities' only supports Equity.",
    );
  });
});

describe("zipline's subclass-and-override pattern", () => {
  test("a SlippageModel subclass fills as its process_order says", async () => {
    // Half of what is open each bar, a quarter dollar worse than the close.
    class HalfAtQuarter extends slippage.SlippageModel {
      process_order(data: slippage.BarView, o: Order): slippage.Fill | null {
        const n = Math.trunc(Math.abs(o.open_amount) / 2) || Math.abs(o.open_amount);
        return [data.current(o.asset, "close") + 0.25 * o.direction, n * o.direction];
      }
    }
    let placed = false;
    const results = await run({
      initialize: async (c) => {
        c.asset = await symbol("AAPL");
        set_slippage(new HalfAtQuarter());
        set_commission(new commission.NoCommission());
      },
      handle_data: async (c, data) => {
        record({ close: await data.current(c.asset, "close") });
        if (!placed) await order(c.asset, 100);
        placed = true;
      },
    });
    const closes = new Map(
      results.rows().map((r) => [r.date as string, r.close as number]),
    );
    const txns = results.transactions;
    expect(txns.map((t) => t.amount)).toEqual([50, 25, 12, 6, 3, 2, 1, 1]);
    for (const t of txns) {
      const day = new Date(t.date).toISOString().slice(0, 10);
      expect(t.price).toBeCloseTo(closes.get(day)! + 0.25, 9);
    }
  });

  test("a CommissionModel subclass charges what calculate returns", async () => {
    class PerFill extends commission.CommissionModel {
      calculate(_o: Order, txn: commission.Transaction): number {
        return 1 + 0.005 * Math.abs(txn.amount);
      }
    }
    const results = await run(buyer(() => {
      set_slippage(new slippage.VolumeShareSlippage({ volume_limit: 0.01 }));
      set_commission(new PerFill());
    }));
    const fills = results.transactions;
    expect(fills.length).toBeGreaterThan(1);
    const expected = fills.reduce((s, t) => s + 1 + 0.005 * Math.abs(t.amount), 0);
    const last = results.orders.filter((o) => o.order_id === fills[0].order_id).at(-1)!;
    expect(last.commission).toBeCloseTo(expected, 6);
  });

  test("a plain object with process_order runs in zipline's bar loop", async () => {
    const results = await run(
      buyer(() => {
        set_slippage({
          us_equities: {
            process_order: (data: slippage.BarView, o: Order) => [
              data.current(o.asset, "close"),
              o.amount,
            ],
          } as unknown as slippage.SlippageModel,
        });
      }),
      "2014-01-10",
    );
    expect(results.transactions.map((t) => t.amount)).toEqual([3_000_000]);
  });

  test("a bad process_order result fails at the fill, naming the model", async () => {
    class Broken extends slippage.SlippageModel {
      process_order(_d: slippage.BarView, o: Order): slippage.Fill {
        return [NaN, o.amount];
      }
    }
    await expect(run(buyer(() => set_slippage(new Broken())))).rejects.toThrow(
      /Broken\.process_order returned price \[null,3000000\]; a fill's price must be a finite number/,
    );
    class Sign extends slippage.SlippageModel {
      process_order(d: slippage.BarView, o: Order): slippage.Fill {
        return [d.current(o.asset, "close"), -o.amount];
      }
    }
    await expect(run(buyer(() => set_slippage(new Sign())))).rejects.toThrow(
      /Sign\.process_order returned amount -3000000 for an order with 3000000 shares open in AAPL/,
    );
    class Cost extends commission.CommissionModel {
      calculate(): number {
        return NaN;
      }
    }
    await expect(run(buyer(() => set_commission(new Cost())))).rejects.toThrow(
      /Cost\.calculate returned NaN for a fill of \d+ AAPL; return the commission in dollars/,
    );
  });
});
