/**
 * Trading and account controls (zipline's `finance/controls.py`): guards a strategy registers in
 * `initialize`. Trading controls check each order before it is placed, in registration order;
 * account controls check the account once per session, at the session's end. With
 * `on_error: "fail"` a violation throws, with `"log"` it is logged and the order goes ahead.
 */
import type { Asset } from "../assets/asset.ts";
import { HarvesterError, InvalidInputError } from "../errors.ts";
import type { Restrictions } from "./restrictions.ts";

/** What a control does on a violation. */
export type OnError = "fail" | "log";

/** What a trading control sees of an order about to be placed. */
export interface OrderCheck {
  readonly asset: Asset;
  /** Signed shares, after the engine's rounding of the requested amount. */
  readonly amount: number;
  /** The strategy's current time (UTC ms). */
  readonly dt: number;
  /** Shares of `asset` held before the order (0 when none). */
  readonly position_amount: number;
  /** `data.current(asset, "price")`: the last close, forward-filled; NaN when there is none. */
  readonly price: number;
}

/** What an account control sees of the account. */
export interface AccountCheck {
  /** The strategy's current time (UTC ms). */
  readonly dt: number;
  /** Gross leverage: gross exposure ÷ net liquidation value (zipline's `account.leverage`). */
  readonly leverage: number;
}

/** A violation as logged with `on_error: "log"`. */
export interface ControlViolationLog {
  readonly level: "error";
  readonly event: "trading_control_violation" | "account_control_violation";
  /** The control and its limits, e.g. `MaxOrderSize({'asset': None, 'max_shares': 10, ...})`. */
  readonly constraint: string;
  readonly asset?: string;
  readonly amount?: number;
  readonly dt: number;
  readonly message: string;
}

/** Receives logged violations. The default writes one JSON line to stderr. */
export type ControlLogger = (entry: ControlViolationLog) => void;

const stderrLogger: ControlLogger = (entry) => console.error(JSON.stringify(entry));

/** pandas' rendering of a UTC Timestamp: `2024-01-02 15:31:00+00:00`. */
function formatDt(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const iso = new Date(ms).toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${millis === "000" ? "" : `.${millis}000`}+00:00`;
}

/** A control's arguments as Python prints a dict, e.g. `{'max_shares': 10, 'asset': None}`. */
function pyDict(args: Record<string, unknown>): string {
  const repr = (v: unknown): string => {
    if (v === null || v === undefined) return "None";
    if (typeof v === "string") return `'${v}'`;
    if (typeof v === "boolean") return v ? "True" : "False";
    if (typeof v === "number") {
      return Number.isNaN(v) ? "nan" : String(v).replace("Infinity", "inf");
    }
    return String(v);
  };
  return `{${Object.entries(args).map(([k, v]) => `'${k}': ${repr(v)}`).join(", ")}}`;
}

/** An order would break a trading control registered with `on_error: "fail"`. */
export class TradingControlViolation extends HarvesterError {
  override name = "TradingControlViolation";
  constructor(
    readonly asset: Asset,
    readonly amount: number,
    readonly dt: number,
    readonly constraint: string,
  ) {
    super(
      `Order for ${amount} shares of ${asset} at ${formatDt(dt)} violates trading constraint ` +
        `${constraint}. Change the order, or register the control with on_error: "log".`,
    );
  }
}

/** The account breaks an account control registered with `on_error: "fail"`. */
export class AccountControlViolation extends HarvesterError {
  override name = "AccountControlViolation";
  constructor(readonly dt: number, readonly constraint: string) {
    // zipline's account controls always fail (set_max_leverage takes no on_error): the way out
    // is the positions or the limit.
    const setter = constraint.startsWith("MinLeverage") ? "set_min_leverage" : "set_max_leverage";
    super(
      `Account violates account constraint ${constraint} at ${formatDt(dt)}. Adjust positions ` +
        `before the session ends, or change the limit given to ${setter}().`,
    );
  }
}

/** Options every control takes. */
export interface ControlOptions {
  /** @default "fail" */
  on_error?: OnError;
  /** Where `"log"` violations go. @default one JSON line on stderr */
  logger?: ControlLogger;
}

/** Throws unless `v` is a number ≥ 0 (or null/undefined when not `required`). */
function checkLimit(control: string, field: string, v: unknown, required = false): void {
  if ((v === null || v === undefined) && !required) return;
  if (typeof v !== "number" || !(v >= 0)) {
    throw new InvalidInputError(`${control}.${field}`, String(v), "must be a number ≥ 0");
  }
}

/** What both kinds of control share: `on_error`, the logger, and zipline's repr. */
abstract class Control {
  readonly on_error: OnError;
  protected readonly logger: ControlLogger;

  constructor(opts: ControlOptions) {
    const on_error = opts.on_error ?? "fail";
    if (on_error !== "fail" && on_error !== "log") {
      const field = `${this.constructor.name}.on_error`;
      throw new InvalidInputError(field, on_error, 'must be "fail" or "log"');
    }
    this.on_error = on_error;
    this.logger = opts.logger ?? stderrLogger;
  }

  /** The control's limits, as shown in violations. */
  protected abstract args(): Record<string, unknown>;

  /** `Name({...})`, as zipline's repr of a control. */
  toString(): string {
    return `${this.constructor.name}(${pyDict(this.args())})`;
  }
}

/** Checks each order before it is placed; throws `TradingControlViolation` or logs. */
export abstract class TradingControl extends Control {
  /** Checks one order. Call it exactly once per order, for every registered control. */
  abstract validate(check: OrderCheck): void;

  protected violation(check: OrderCheck): void {
    const constraint = this.toString();
    const { asset, amount, dt } = check;
    if (this.on_error === "fail") throw new TradingControlViolation(asset, amount, dt, constraint);
    const message = `Order for ${amount} shares of ${asset} at ${formatDt(dt)} violates ` +
      `trading constraint ${constraint}`;
    const event = "trading_control_violation";
    this.logger({ level: "error", event, constraint, asset: String(asset), amount, dt, message });
  }
}

/** Checks the account once per session, at its end; throws `AccountControlViolation` or logs. */
export abstract class AccountControl extends Control {
  /** Checks the account. Call it exactly once per check, for every registered control. */
  abstract validate(check: AccountCheck): void;

  protected violation(check: AccountCheck): void {
    const constraint = this.toString();
    if (this.on_error === "fail") throw new AccountControlViolation(check.dt, constraint);
    const message = `Account violates account constraint ${constraint}`;
    const event = "account_control_violation";
    this.logger({ level: "error", event, constraint, dt: check.dt, message });
  }
}

/** Options of the size controls; at least one of `max_shares` and `max_notional`. */
export interface SizeLimitOptions extends ControlOptions {
  /** Only orders for this asset are checked; every asset when absent. */
  asset?: Asset | null;
  max_shares?: number | null;
  max_notional?: number | null;
}

abstract class SizeLimit extends TradingControl {
  readonly asset: Asset | null;
  readonly max_shares: number | null;
  readonly max_notional: number | null;

  constructor(opts: SizeLimitOptions) {
    super(opts);
    this.asset = opts.asset ?? null;
    this.max_shares = opts.max_shares ?? null;
    this.max_notional = opts.max_notional ?? null;
    const name = this.constructor.name;
    if (this.max_shares === null && this.max_notional === null) {
      throw new InvalidInputError(name, {}, "supply at least one of max_shares and max_notional");
    }
    checkLimit(name, "max_shares", this.max_shares);
    checkLimit(name, "max_notional", this.max_notional);
  }

  protected args(): Record<string, unknown> {
    return { asset: this.asset, max_shares: this.max_shares, max_notional: this.max_notional };
  }

  /** Checks `shares` and `shares × price` against the limits (each breach is one violation). */
  protected checkSize(check: OrderCheck, shares: number): void {
    if (this.asset !== null && this.asset.sid !== check.asset.sid) return;
    if (this.max_shares !== null && Math.abs(shares) > this.max_shares) this.violation(check);
    const value = shares * check.price;
    if (this.max_notional !== null && Math.abs(value) > this.max_notional) this.violation(check);
  }
}

/**
 * Limits the size of any one order, in shares and/or dollars (`|amount × price|`).
 *
 * @example
 * ```ts
 * const c = new MaxOrderSize({ max_shares: 100 });
 * c.validate({ asset, amount: 150, dt, position_amount: 0, price: 10 }); // throws
 * ```
 */
export class MaxOrderSize extends SizeLimit {
  validate(check: OrderCheck): void {
    this.checkSize(check, check.amount);
  }
}

/**
 * Limits the position an order would leave, in shares and/or dollars, long or short.
 *
 * @example
 * ```ts
 * const c = new MaxPositionSize({ max_notional: 10_000 });
 * c.validate({ asset, amount: 50, dt, position_amount: 60, price: 100 }); // throws: 11,000
 * ```
 */
export class MaxPositionSize extends SizeLimit {
  validate(check: OrderCheck): void {
    this.checkSize(check, check.position_amount + check.amount);
  }
}

/**
 * Limits the orders placed per UTC day. It counts its own `validate` calls (including orders
 * that another control then rejects, and logged violations), resetting on a new UTC date.
 *
 * @example
 * ```ts
 * const c = new MaxOrderCount({ max_count: 2 });
 * ```
 */
export class MaxOrderCount extends TradingControl {
  readonly max_count: number;
  #orders_placed = 0;
  #current_day: number | null = null;

  constructor(opts: ControlOptions & { max_count: number }) {
    super(opts);
    checkLimit("MaxOrderCount", "max_count", opts.max_count, true);
    this.max_count = opts.max_count;
  }

  /** Orders validated so far on the current UTC day. */
  get orders_placed(): number {
    return this.#orders_placed;
  }

  protected args(): Record<string, unknown> {
    return { max_count: this.max_count };
  }

  validate(check: OrderCheck): void {
    const day = Math.floor(check.dt / 86_400_000);
    if (this.#current_day !== null && this.#current_day !== day) this.#orders_placed = 0;
    this.#current_day = day;
    if (this.#orders_placed >= this.max_count) this.violation(check);
    this.#orders_placed += 1;
  }
}

/**
 * Forbids orders that would leave a short position.
 *
 * @example
 * ```ts
 * new LongOnly().validate({ asset, amount: -10, dt, position_amount: 5, price: 1 }); // throws
 * ```
 */
export class LongOnly extends TradingControl {
  constructor(opts: ControlOptions = {}) {
    super(opts);
  }

  protected args(): Record<string, unknown> {
    return {};
  }

  validate(check: OrderCheck): void {
    if (check.position_amount + check.amount < 0) this.violation(check);
  }
}

/**
 * Forbids orders for assets restricted at the order's time.
 *
 * @example
 * ```ts
 * const c = new RestrictedListOrder({ restrictions: new StaticRestrictions([aapl]) });
 * ```
 */
export class RestrictedListOrder extends TradingControl {
  readonly restrictions: Restrictions;

  constructor(opts: ControlOptions & { restrictions: Restrictions }) {
    super(opts);
    this.restrictions = opts.restrictions;
  }

  protected args(): Record<string, unknown> {
    return {};
  }

  validate(check: OrderCheck): void {
    if (this.restrictions.is_restricted(check.asset, check.dt)) this.violation(check);
  }
}

/**
 * Fails when gross leverage exceeds `max_leverage`.
 *
 * @example
 * ```ts
 * new MaxLeverage({ max_leverage: 1.5 }).validate({ dt, leverage: 1.6 }); // throws
 * ```
 */
export class MaxLeverage extends AccountControl {
  readonly max_leverage: number;

  constructor(opts: ControlOptions & { max_leverage: number }) {
    super(opts);
    checkLimit("MaxLeverage", "max_leverage", opts.max_leverage, true);
    this.max_leverage = opts.max_leverage;
  }

  protected args(): Record<string, unknown> {
    return { max_leverage: this.max_leverage };
  }

  validate(check: AccountCheck): void {
    if (check.leverage > this.max_leverage) this.violation(check);
  }
}

/**
 * Fails when gross leverage is below `min_leverage` after a grace period: from strictly after
 * `start_session + grace_period_days` (the simulation's first session, UTC-midnight ms).
 *
 * @example
 * ```ts
 * const c = new MinLeverage({ min_leverage: 0.5, grace_period_days: 10, start_session });
 * ```
 */
export class MinLeverage extends AccountControl {
  readonly min_leverage: number;
  /** `start_session + grace_period_days` days (UTC ms). */
  readonly deadline: number;

  constructor(
    opts: ControlOptions & {
      min_leverage: number;
      grace_period_days: number;
      start_session: number;
    },
  ) {
    super(opts);
    checkLimit("MinLeverage", "min_leverage", opts.min_leverage, true);
    for (const f of ["grace_period_days", "start_session"] as const) {
      if (typeof opts[f] !== "number" || !Number.isFinite(opts[f])) {
        throw new InvalidInputError(`MinLeverage.${f}`, String(opts[f]), "must be a finite number");
      }
    }
    this.min_leverage = opts.min_leverage;
    this.deadline = opts.start_session + opts.grace_period_days * 86_400_000;
  }

  protected args(): Record<string, unknown> {
    const deadline = { toString: () => `Timestamp('${formatDt(this.deadline)}')` };
    return { min_leverage: this.min_leverage, deadline };
  }

  validate(check: AccountCheck): void {
    if (check.dt > this.deadline && check.leverage < this.min_leverage) this.violation(check);
  }
}
