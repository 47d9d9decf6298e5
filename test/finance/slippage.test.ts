/**
 * Slippage models against hand-computed fills. Cases marked "zipline" repeat numbers from
 * zipline-reloaded's tests/finance/test_slippage.py.
 */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { InvalidInputError } from "../../runtime/errors.ts";
import type { BarField, MarketView } from "../../runtime/finance/market_view.ts";
import { Order } from "../../runtime/finance/order.ts";
import {
  defaultEquitySlippage,
  fill_price_worse_than_limit_price,
  FixedBasisPointsSlippage,
  FixedSlippage,
  NoSlippage,
  VolumeShareSlippage,
} from "../../runtime/finance/slippage.ts";

const DAY = Date.UTC(2024, 0, 2);
const asset = new Asset(1, "A", "A Inc", "TEST", DAY, DAY + 365 * 86_400_000, NaN);
const DT = Date.UTC(2024, 0, 2, 15, 31);

/** One bar of `asset`: close and volume (OHLC NaN and volume 0 mean no trade). */
function bar(close: number, volume: number, dt = DT): MarketView {
  return {
    current_dt: dt,
    current(_a: Asset, field: BarField): number {
      return field === "volume" ? volume : close;
    },
  };
}

const order = (amount: number, opts: { limit?: number; stop?: number } = {}) =>
  new Order({ dt: DT - 60_000, asset, amount, ...opts });

/** [price, amount] of each fill. */
const fills = (pairs: Array<[Order, { price: number; amount: number }]>) =>
  pairs.map(([, t]) => [t.price, t.amount]);

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-9);

describe("VolumeShareSlippage", () => {
  test("zipline: 5 of 100 shares at 3.0001875 when volume is 200", () => {
    const [[o, t]] = new VolumeShareSlippage().simulate(bar(3.0, 200), asset, [order(100)]);
    close(t.price, 3.0001875);
    expect(t.amount).toBe(5);
    expect(t.dt).toBe(DT);
    expect(t.order_id).toBe(o.id);
  });

  test("two orders share the bar's 2.5%; impact counts both; a third gets nothing", () => {
    const model = new VolumeShareSlippage();
    const a = order(20), b = order(20), c = order(-10);
    const out = model.simulate(bar(10, 1000), asset, [a, b, c]);
    // a: 20 shares, share 0.02 → 10 × (1 + 0.1 × 0.0004) = 10.0004
    // b: 25 − 20 = 5 shares, share 0.025 → 10 × (1 + 0.1 × 0.000625) = 10.000625
    expect(out.map(([o]) => o)).toEqual([a, b]);
    const [[p1, n1], [p2, n2]] = fills(out);
    close(p1, 10.0004);
    close(p2, 10.000625);
    expect([n1, n2]).toEqual([20, 5]);
    expect(model.volume_for_bar).toBe(25);
  });

  test("volume_for_bar starts again at 0 on the next bar", () => {
    const model = new VolumeShareSlippage();
    const a = order(40);
    const [[, t1]] = model.simulate(bar(10, 1000), asset, [a]);
    a.filled += t1.amount;
    const [[, t2]] = model.simulate(bar(10, 1000, DT + 60_000), asset, [a]);
    expect([t1.amount, t2.amount]).toEqual([25, 15]);
    // 15 / 1000 = 0.015 → 10 × (1 + 0.1 × 0.000225)
    close(t2.price, 10.000225);
  });

  test("sells fill below the close", () => {
    const model = new VolumeShareSlippage({ volume_limit: 0.1, price_impact: 0.2 });
    const [[, t]] = model.simulate(bar(50, 300), asset, [order(-100)]);
    // 30 shares, share 0.1 → 50 − 0.01 × 0.2 × 50 = 49.9
    expect(t.amount).toBe(-30);
    close(t.price, 49.9);
  });

  test("zipline: a stop buy at 3.6 triggers at 4.0 and fills 50 at 4.00025", () => {
    const o = order(100, { stop: 3.6 });
    const [[, t]] = new VolumeShareSlippage().simulate(bar(4.0, 2000), asset, [o]);
    expect(o.stop_reached).toBe(true);
    close(t.price, 4.00025);
    expect(t.amount).toBe(50);
  });

  test("zipline: a limit reached but with an impacted price past it does not fill", () => {
    const buy = order(100, { limit: 3.5 });
    const sell = order(-100, { limit: 3.5 });
    const model = new VolumeShareSlippage();
    expect(model.simulate(bar(3.5, 2000), asset, [buy])).toEqual([]);
    expect(buy.limit_reached).toBe(true);
    expect(model.simulate(bar(3.5, 2000), asset, [sell])).toEqual([]);
    // with a looser limit the same bar fills at 3.5 ± 0.00021875
    const [[, t]] = model.simulate(bar(3.5, 2000), asset, [order(100, { limit: 3.6 })]);
    close(t.price, 3.50021875);
    expect(t.amount).toBe(50);
  });

  test("fewer than one share left in the bar: nothing, and later orders are not looked at", () => {
    const later = order(10, { limit: 100 });
    expect(new VolumeShareSlippage().simulate(bar(10, 39), asset, [order(5), later])).toEqual([]);
    // 0.025 × 39 = 0.975 < 1: LiquidityExceeded before `later`'s triggers are checked
    expect(later.limit_reached).toBe(false);
  });

  test("rejects a volume_limit ≤ 0 and a negative price_impact", () => {
    expect(() => new VolumeShareSlippage({ volume_limit: -0.1 })).toThrow(InvalidInputError);
    expect(() => new VolumeShareSlippage({ volume_limit: 0 })).toThrow(/volume_limit/);
    expect(() => new VolumeShareSlippage({ price_impact: -1 })).toThrow(/price_impact/);
    expect(() => new VolumeShareSlippage({ price_impact: NaN })).toThrow(/NaN/);
  });
});

describe("the shared bar loop", () => {
  test("no volume: no fills and no trigger checks", () => {
    const o = order(10, { limit: 20 });
    expect(new NoSlippage().simulate(bar(NaN, 0), asset, [o])).toEqual([]);
    expect(o.limit_reached).toBe(false);
  });

  test("volume without a close: no fills", () => {
    expect(new NoSlippage().simulate(bar(NaN, 100), asset, [order(10)])).toEqual([]);
  });

  test("untriggered and fully filled orders are skipped; the rest fill", () => {
    const limitBelow = order(10, { limit: 9 });
    const done = order(10);
    done.filled = 10;
    const market = order(-7);
    const out = new NoSlippage().simulate(bar(10, 5), asset, [limitBelow, done, market]);
    expect(out.map(([o]) => o)).toEqual([market]);
    expect(fills(out)).toEqual([[10, -7]]);
  });

  test("fill_price_worse_than_limit_price (zipline's table)", () => {
    const none = order(1), buy = order(1, { limit: 1.5 }), sell = order(-1, { limit: 1.5 });
    for (const p of [1, 1.5, 2]) expect(fill_price_worse_than_limit_price(p, none)).toBe(false);
    expect([1, 1.5, 2].map((p) => fill_price_worse_than_limit_price(p, buy))).toEqual([
      false,
      false,
      true,
    ]);
    expect([1, 1.5, 2].map((p) => fill_price_worse_than_limit_price(p, sell))).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe("FixedBasisPointsSlippage", () => {
  test("defaults: 5 bp, at most 10% of the bar's volume across the asset's orders", () => {
    const model = new FixedBasisPointsSlippage();
    const a = order(60), b = order(60), c = order(-10);
    const out = model.simulate(bar(10, 1000), asset, [a, b, c]);
    // 10 + 10 × 0.0005 = 10.005; b gets the remaining 40; c hits LiquidityExceeded
    expect(out.map(([o]) => o)).toEqual([a, b]);
    expect(fills(out).map(([, n]) => n)).toEqual([60, 40]);
    for (const [p] of fills(out)) close(p, 10.005);
  });

  test("sells fill below; the share cap truncates (0.1 × 15 → 1)", () => {
    const [[, t]] = new FixedBasisPointsSlippage({ basis_points: 10 }).simulate(
      bar(20, 15),
      asset,
      [order(-5)],
    );
    expect(t.amount).toBe(-1);
    close(t.price, 19.98);
  });

  test("a bar too thin for one share fills nothing", () => {
    expect(new FixedBasisPointsSlippage().simulate(bar(20, 9), asset, [order(5)])).toEqual([]);
  });

  test("as in zipline, a limit order may fill past its limit", () => {
    const [[, t]] = new FixedBasisPointsSlippage().simulate(bar(10, 1000), asset, [
      order(10, { limit: 10 }),
    ]);
    close(t.price, 10.005);
  });

  test("is zipline's default equity model", () => {
    const m = defaultEquitySlippage();
    expect(m).toBeInstanceOf(FixedBasisPointsSlippage);
    const f = m as FixedBasisPointsSlippage;
    expect([f.basis_points, f.volume_limit, f.percentage]).toEqual([5, 0.1, 0.0005]);
  });

  test("rejects basis_points < 0 and volume_limit ≤ 0", () => {
    expect(() => new FixedBasisPointsSlippage({ basis_points: -1 })).toThrow(/basis_points/);
    expect(() => new FixedBasisPointsSlippage({ volume_limit: 0 })).toThrow(/volume_limit/);
    expect(() => new FixedBasisPointsSlippage({ basis_points: 0 })).not.toThrow();
  });
});

describe("FixedSlippage and NoSlippage", () => {
  test("FixedSlippage fills whole orders at close ± spread / 2, whatever the volume", () => {
    const model = new FixedSlippage({ spread: 0.02 });
    const out = model.simulate(bar(10, 1), asset, [order(500), order(-300)]);
    const [[p1, n1], [p2, n2]] = fills(out);
    close(p1, 10.01);
    close(p2, 9.99);
    expect([n1, n2]).toEqual([500, -300]);
    expect(new FixedSlippage().spread).toBe(0);
    expect(() => new FixedSlippage({ spread: -0.01 })).toThrow(InvalidInputError);
  });

  test("NoSlippage fills at the close", () => {
    expect(fills(new NoSlippage().simulate(bar(12.5, 3), asset, [order(1000)]))).toEqual([
      [12.5, 1000],
    ]);
  });
});
