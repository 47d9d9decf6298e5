/** Trading and account controls: limits, failing, logging, and their constructor checks. */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { InvalidInputError } from "../../runtime/errors.ts";
import {
  AccountControlViolation,
  type ControlViolationLog,
  LongOnly,
  MaxLeverage,
  MaxOrderCount,
  MaxOrderSize,
  MaxPositionSize,
  MinLeverage,
  type OrderCheck,
  RestrictedListOrder,
  TradingControlViolation,
} from "../../runtime/finance/controls.ts";
import {
  HistoricalRestrictions,
  Restriction,
  RESTRICTION_STATES,
  StaticRestrictions,
} from "../../runtime/finance/restrictions.ts";

const DAY = 86_400_000;
const DT = Date.UTC(2024, 0, 2, 15, 31);
const A = new Asset(1, "AAA", "A Inc", "TEST", NaN, NaN, NaN);
const B = new Asset(2, "BBB", "B Inc", "TEST", NaN, NaN, NaN);

const check = (o: Partial<OrderCheck> = {}): OrderCheck => ({
  asset: A,
  amount: 100,
  dt: DT,
  position_amount: 0,
  price: 10,
  ...o,
});

function collect(): [ControlViolationLog[], (e: ControlViolationLog) => void] {
  const logs: ControlViolationLog[] = [];
  return [logs, (e) => logs.push(e)];
}

describe("MaxOrderSize", () => {
  test("fails on shares, then on notional (|amount × price|)", () => {
    const byShares = new MaxOrderSize({ max_shares: 100 });
    byShares.validate(check({ amount: -100 }));
    expect(() => byShares.validate(check({ amount: -101 }))).toThrow(TradingControlViolation);
    const byValue = new MaxOrderSize({ max_notional: 1000 });
    byValue.validate(check({ amount: 100, price: 10 }));
    expect(() => byValue.validate(check({ amount: 100, price: 10.01 }))).toThrow(
      TradingControlViolation,
    );
    // no price yet: no notional check, as NaN compares false in zipline
    byValue.validate(check({ amount: 1e6, price: NaN }));
  });

  test("the message names the control, its limits, the asset, the amount and the time", () => {
    const c = new MaxOrderSize({ asset: A, max_shares: 10 });
    expect(() => c.validate(check({ amount: 11 }))).toThrow(
      "Order for 11 shares of Equity(1 [AAA]) at 2024-01-02 15:31:00+00:00 violates trading " +
        "constraint MaxOrderSize({'asset': Equity(1 [AAA]), 'max_shares': 10, " +
        "'max_notional': None}).",
    );
    let v: unknown;
    try {
      c.validate(check({ amount: 11 }));
    } catch (e) {
      v = e;
    }
    expect(v).toBeInstanceOf(TradingControlViolation);
    const { asset, amount, dt } = v as TradingControlViolation;
    expect([asset, amount, dt]).toEqual([A, 11, DT]);
  });

  test("an asset-specific limit ignores other assets", () => {
    new MaxOrderSize({ asset: A, max_shares: 1 }).validate(check({ asset: B, amount: 1000 }));
  });

  test("log mode logs each breach (shares and notional) and lets the order through", () => {
    const [logs, logger] = collect();
    const c = new MaxOrderSize({ max_shares: 10, max_notional: 50, on_error: "log", logger });
    c.validate(check({ amount: 20, price: 5 }));
    expect(logs.length).toBe(2);
    expect(logs[0]).toMatchObject({
      level: "error",
      event: "trading_control_violation",
      asset: "Equity(1 [AAA])",
      amount: 20,
      dt: DT,
    });
    expect(logs[0].message).toContain("violates trading constraint MaxOrderSize(");
  });

  test("constructor checks", () => {
    expect(() => new MaxOrderSize({})).toThrow(/at least one of max_shares and max_notional/);
    expect(() => new MaxOrderSize({ max_shares: -1 })).toThrow(InvalidInputError);
    expect(() => new MaxPositionSize({ max_notional: -5 })).toThrow(/max_notional/);
    // deno-lint-ignore no-explicit-any
    expect(() => new LongOnly({ on_error: "warn" as any })).toThrow(/"fail" or "log"/);
  });
});

describe("MaxPositionSize and LongOnly", () => {
  test("MaxPositionSize checks the position after the order, long or short", () => {
    const c = new MaxPositionSize({ max_shares: 100, max_notional: 1100 });
    c.validate(check({ position_amount: 60, amount: 40, price: 11 })); // 100 sh, $1,100
    expect(() => c.validate(check({ position_amount: 60, amount: 41, price: 1 }))).toThrow(
      /MaxPositionSize/,
    );
    expect(() => c.validate(check({ position_amount: -60, amount: -45, price: 1 }))).toThrow();
    expect(() => c.validate(check({ position_amount: 60, amount: 40, price: 11.5 }))).toThrow();
    c.validate(check({ position_amount: 300, amount: -250, price: 10 })); // reducing to 50
  });

  test("LongOnly fails when the order would leave a short position", () => {
    const c = new LongOnly();
    c.validate(check({ position_amount: 10, amount: -10 }));
    expect(() => c.validate(check({ position_amount: 10, amount: -11 }))).toThrow(
      /violates trading constraint LongOnly\(\{\}\)/,
    );
  });
});

describe("MaxOrderCount", () => {
  test("counts per UTC day; a failed order is not counted, a logged one is", () => {
    const c = new MaxOrderCount({ max_count: 2 });
    c.validate(check());
    c.validate(check({ dt: DT + 60_000 }));
    expect(() => c.validate(check({ dt: DT + 120_000 }))).toThrow(/MaxOrderCount/);
    expect(c.orders_placed).toBe(2);
    c.validate(check({ dt: DT + DAY })); // a new day
    expect(c.orders_placed).toBe(1);

    const [logs, logger] = collect();
    const l = new MaxOrderCount({ max_count: 1, on_error: "log", logger });
    for (let i = 0; i < 3; i++) l.validate(check({ dt: DT + i }));
    expect([logs.length, l.orders_placed]).toEqual([2, 3]);
  });
});

describe("RestrictedListOrder", () => {
  test("static and historical restrictions", () => {
    expect(() =>
      new RestrictedListOrder({ restrictions: new StaticRestrictions([A]) }).validate(check())
    ).toThrow(/RestrictedListOrder/);
    const r = new HistoricalRestrictions([
      new Restriction(A, DT, RESTRICTION_STATES.FROZEN),
      new Restriction(A, DT + DAY, RESTRICTION_STATES.ALLOWED),
    ]);
    const c = new RestrictedListOrder({ restrictions: r });
    c.validate(check({ dt: DT - 1 }));
    expect(() => c.validate(check({ dt: DT }))).toThrow(TradingControlViolation);
    c.validate(check({ dt: DT + DAY }));
    c.validate(check({ asset: B, dt: DT }));
  });
});

describe("account controls", () => {
  test("MaxLeverage fails above the limit", () => {
    const c = new MaxLeverage({ max_leverage: 1.5 });
    c.validate({ dt: DT, leverage: 1.5 });
    expect(() => c.validate({ dt: DT, leverage: 1.51 })).toThrow(AccountControlViolation);
    expect(() => c.validate({ dt: DT, leverage: 2 })).toThrow(
      "Account violates account constraint MaxLeverage({'max_leverage': 1.5})",
    );
    expect(() => new MaxLeverage({ max_leverage: -1 })).toThrow(/max_leverage/);
  });

  test("MinLeverage applies only strictly after start + grace period", () => {
    const start = Date.UTC(2024, 0, 2);
    const c = new MinLeverage({ min_leverage: 0.5, grace_period_days: 10, start_session: start });
    expect(c.deadline).toBe(Date.UTC(2024, 0, 12));
    c.validate({ dt: c.deadline, leverage: 0 });
    c.validate({ dt: c.deadline + 1, leverage: 0.5 });
    expect(() => c.validate({ dt: c.deadline + 1, leverage: 0.49 })).toThrow(
      "MinLeverage({'min_leverage': 0.5, 'deadline': Timestamp('2024-01-12 00:00:00+00:00')})",
    );
    const [logs, logger] = collect();
    new MinLeverage({
      min_leverage: 1,
      grace_period_days: 0,
      start_session: start,
      on_error: "log",
      logger,
    }).validate({ dt: start + DAY, leverage: 0.2 });
    expect(logs.map((l) => l.event)).toEqual(["account_control_violation"]);
    expect(
      () => new MinLeverage({ min_leverage: -1, grace_period_days: 1, start_session: start }),
    ).toThrow(/min_leverage/);
  });
});
