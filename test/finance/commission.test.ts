/**
 * Commission models. The three-fill cases (230, 170, 100 shares at 100, 101, 102) and their
 * totals are zipline-reloaded's tests/finance/test_commissions.py.
 */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { InvalidInputError } from "../../runtime/errors.ts";
import {
  defaultEquityCommission,
  NoCommission,
  PerDollar,
  PerShare,
  PerTrade,
} from "../../runtime/finance/commission.ts";
import type { CommissionModel } from "../../runtime/finance/commission.ts";
import { Order, type Transaction } from "../../runtime/finance/order.ts";

const DT = Date.UTC(2024, 0, 2, 21);
const asset = new Asset(1, "A", "A Inc", "TEST", NaN, NaN, NaN);

function orderAndFills(fills: number[]): [Order, Transaction[]] {
  const order = new Order({ dt: DT, asset, amount: fills.reduce((a, b) => a + b, 0) });
  const txns = fills.map((amount, i) => ({
    asset,
    amount,
    dt: DT,
    price: 100 + i,
    order_id: order.id,
  }));
  return [order, txns];
}

/** Runs the fills as the blotter does; returns the order's commission after each. */
function totals(model: CommissionModel, fills = [230, 170, 100]): number[] {
  const [order, txns] = orderAndFills(fills);
  return txns.map((txn) => {
    order.commission += model.calculate(order, txn);
    order.filled += txn.amount;
    return order.commission;
  });
}

const closeAll = (got: number[], want: number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]), `#${i}: ${g} vs ${want[i]}`).toBeLessThan(1e-9)
  );
};

describe("PerShare", () => {
  test("no minimum: each fill pays its shares (1.725, 1.275, 0.75)", () => {
    closeAll(totals(new PerShare({ cost: 0.0075, min_trade_cost: null })), [1.725, 3, 3.75]);
  });

  test("sells pay positive commission", () => {
    closeAll(totals(new PerShare({ cost: 0.0075 }), [-230, -170, -100]), [1.725, 3, 3.75]);
  });

  test("the minimum across partial fills of one order", () => {
    const cases: Array<[number, number[]]> = [
      [1, [1.725, 3, 3.75]], // met by the first fill
      [2.5, [2.5, 3, 3.75]], // the first fill pays 2.5; per-share total passes it on the second
      [3.5, [3.5, 3.5, 3.75]], // the second fill pays nothing; the third pays 0.25
      [5.5, [5.5, 5.5, 5.5]], // never met
    ];
    for (const [min, want] of cases) {
      closeAll(totals(new PerShare({ cost: 0.0075, min_trade_cost: min })), want);
    }
  });

  test("the first-fill rule keys on order.commission === 0, not on order.filled", () => {
    // A fill already booked with zero commission still counts as "no commission paid yet":
    const [order, [t1, t2]] = orderAndFills([230, 170, 100]);
    order.filled = 230;
    expect(new PerShare({ cost: 0.0075, min_trade_cost: 2 }).calculate(order, t2)).toBe(2);
    order.commission = 2;
    // once something was paid, the next fill pays the per-share total less what was paid
    expect(new PerShare({ cost: 0.0075, min_trade_cost: 2 }).calculate(order, t1)).toBeCloseTo(
      1.725 + 1.725 - 2,
      12,
    );
  });

  test("defaults: 0.1¢ a share, no minimum; zipline's default equity model", () => {
    const m = defaultEquityCommission() as PerShare;
    expect(m).toBeInstanceOf(PerShare);
    expect([m.cost_per_share, m.min_trade_cost]).toEqual([0.001, 0]);
    closeAll(totals(m, [100]), [0.1]);
  });

  test("rejects negative or non-finite costs", () => {
    expect(() => new PerShare({ cost: -0.01 })).toThrow(InvalidInputError);
    expect(() => new PerShare({ min_trade_cost: -1 })).toThrow(/min_trade_cost/);
    expect(() => new PerShare({ cost: NaN })).toThrow(/NaN/);
  });
});

describe("PerTrade, PerDollar, NoCommission", () => {
  test("PerTrade charges its cost on the first fill only", () => {
    const m = new PerTrade({ cost: 10 });
    const [order, [t1, t2, t3]] = orderAndFills([230, 170, 100]);
    expect(m.calculate(order, t1)).toBe(10);
    order.commission = 10;
    expect([m.calculate(order, t2), m.calculate(order, t3)]).toEqual([0, 0]);
    expect(new PerTrade().cost).toBe(0);
  });

  test("PerDollar: |amount| × price × cost (34.5, 25.755, 15.3)", () => {
    const m = new PerDollar({ cost: 0.0015 });
    const [order, txns] = orderAndFills([230, 170, 100]);
    closeAll(txns.map((t) => m.calculate(order, t)), [34.5, 25.755, 15.3]);
    expect(new PerDollar().cost_per_dollar).toBe(0.0015);
    expect(() => new PerDollar({ cost: -1 })).toThrow(/PerDollar.cost/);
  });

  test("NoCommission is free", () => {
    closeAll(totals(new NoCommission()), [0, 0, 0]);
  });
});
