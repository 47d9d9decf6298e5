/**
 * Execution styles and their rounding. The rounding tables (and the +1…+9 copies of each row)
 * are zipline-reloaded's tests/test_execution_styles.py.
 */
import { describe, expect, test } from "vitest";
import {
  asymmetric_round_price,
  BadOrderParameters,
  LimitOrder,
  MarketOrder,
  StopLimitOrder,
  StopOrder,
} from "../../runtime/finance/execution.ts";

const eps = 0.000001, small = 0.00000001;

/** [price, limit buy / stop sell, limit sell / stop buy] */
type Row = [number, number, number];

const withDeltas = (rows: Row[]): Row[] => [
  ...rows,
  ...rows.flatMap(([x, y, z]) =>
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((d): Row => [x + d, y + d, z + d])
  ),
];

const TABLES: Array<[tick: number, rows: Row[]]> = [
  [0.01, [
    [0.00, 0.00, 0.00],
    [0.0005, 0.00, 0.00],
    [1.0005, 1.00, 1.00],
    [1.0005 + eps, 1.00, 1.01],
    [1.0095 - eps, 1.0, 1.01],
    [1.0095, 1.01, 1.01],
    [0.01, 0.01, 0.01],
  ]],
  [0.0001, [
    [0.00, 0.00, 0.00],
    [0.0005, 0.0005, 0.0005],
    [0.00005, 0.00, 0.0001],
    [0.000005, 0.00, 0.00],
    [1.000005, 1.00, 1.00],
    [1.000005 + small, 1.00, 1.0001],
    [1.000095 - small, 1.0, 1.0001],
    [1.000095, 1.0001, 1.0001],
    [0.01, 0.01, 0.01],
  ]],
  [0.05, [
    [0.00, 0.00, 0.00],
    [0.0005, 0.00, 0.00],
    [1.0025, 1.00, 1.00],
    [1.0025 + eps, 1.00, 1.05],
    [1.0475 - eps, 1.0, 1.05],
    [1.0475, 1.05, 1.05],
    [0.05, 0.05, 0.05],
  ]],
];

const near = (got: number | null, want: number, what: string) => {
  expect(got, what).not.toBeNull();
  expect(Math.abs((got as number) - want), `${what}: ${got} vs ${want}`).toBeLessThan(1e-9);
};

describe("asymmetric_round_price", () => {
  test("the brief's cases at tick 0.01", () => {
    expect(asymmetric_round_price(0.0095, true, 0.01)).toBeCloseTo(0.01, 12);
    expect(asymmetric_round_price(0.0094, true, 0.01)).toBe(0);
    expect(asymmetric_round_price(1.0006, false, 0.01)).toBeCloseTo(1.01, 12);
    expect(asymmetric_round_price(0.0004, false, 0.01)).toBe(0);
  });

  for (const [tick, rows] of TABLES) {
    test(`zipline's table at tick ${tick} through all four styles' getters`, () => {
      const asset = { tick_size: tick };
      for (const [price, down, up] of withDeltas(rows)) {
        const lim = new LimitOrder(price, { asset });
        near(lim.get_limit_price(true), down, `limit buy ${price}`);
        near(lim.get_limit_price(false), up, `limit sell ${price}`);
        expect([lim.get_stop_price(true), lim.get_stop_price(false)]).toEqual([null, null]);

        const stop = new StopOrder(price, { asset });
        near(stop.get_stop_price(false), down, `stop sell ${price}`);
        near(stop.get_stop_price(true), up, `stop buy ${price}`);
        expect([stop.get_limit_price(true), stop.get_limit_price(false)]).toEqual([null, null]);

        const sl = new StopLimitOrder(price, price + 1, { asset });
        near(sl.get_limit_price(true), down, `stop-limit limit buy ${price}`);
        near(sl.get_limit_price(false), up, `stop-limit limit sell ${price}`);
        near(sl.get_stop_price(false), down + 1, `stop-limit stop sell ${price}`);
        near(sl.get_stop_price(true), up + 1, `stop-limit stop buy ${price}`);
      }
    });
  }

  test("without an asset the tick is 0.01", () => {
    near(new LimitOrder(1.0095).get_limit_price(true), 1.01, "limit buy");
    expect(new LimitOrder(1.0005 + eps).tick_size).toBe(0.01);
  });
});

describe("order styles", () => {
  test("MarketOrder has no prices", () => {
    const m = new MarketOrder();
    expect([m.get_limit_price(true), m.get_limit_price(false)]).toEqual([null, null]);
    expect([m.get_stop_price(true), m.get_stop_price(false)]).toEqual([null, null]);
  });

  test("invalid prices raise BadOrderParameters (zipline's list)", () => {
    const bad: unknown[] = [-1, -1.0, 0 - eps, NaN, Infinity, { not: "a price" }];
    for (const p of bad) {
      const price = p as number;
      expect(() => new LimitOrder(price), String(p)).toThrow(BadOrderParameters);
      expect(() => new StopOrder(price), String(p)).toThrow(BadOrderParameters);
      for (const [l, s] of [[price, 1], [1, price], [price, price]]) {
        expect(() => new StopLimitOrder(l, s), String(p)).toThrow(BadOrderParameters);
      }
    }
  });

  test("messages say which price was wrong", () => {
    expect(() => new LimitOrder(NaN)).toThrow(/limit price of NaN/);
    expect(() => new StopOrder(-2)).toThrow(/Can't place a stop order with a negative price/);
    const e = (() => {
      try {
        new StopLimitOrder(1, Infinity);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(BadOrderParameters);
    expect((e as BadOrderParameters).label).toBe("stop");
  });
});
