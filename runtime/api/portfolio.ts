/**
 * `context.portfolio`, `context.account` and positions as strategies see them: live read-only
 * views over the ledger, zipline's field names, computed on access (no copy per bar).
 */
import type { Asset } from "../assets/asset.ts";
import type { Ledger } from "../finance/ledger.ts";
import { Position } from "../finance/position.ts";

/** zipline's `Positions`: a missing asset reads as an empty position. */
export class Positions {
  constructor(private readonly ledger: Ledger) {}

  /** The position in `asset`, or an empty one (amount 0). */
  get(asset: Asset): Position {
    return this.ledger.position(asset) ?? new Position(asset);
  }

  has(asset: Asset): boolean {
    return this.ledger.position(asset) !== undefined;
  }

  get size(): number {
    return this.ledger.positions.size;
  }

  keys(): Asset[] {
    return [...this.ledger.positions.values()].map((p) => p.asset);
  }

  values(): Position[] {
    return [...this.ledger.positions.values()];
  }

  entries(): [Asset, Position][] {
    return [...this.ledger.positions.values()].map((p) => [p.asset, p]);
  }

  [Symbol.iterator](): IterableIterator<[Asset, Position]> {
    return this.entries()[Symbol.iterator]();
  }
}

/** zipline's `Portfolio`. */
export class Portfolio {
  readonly positions: Positions;
  /**
   * `beforeRead` brings positions' prices to the current bar first — zipline syncs last sale
   * prices whenever the portfolio is read, so `order_target_percent` sizes with today's prices.
   */
  constructor(private readonly ledger: Ledger, private readonly beforeRead: () => void = () => {}) {
    this.positions = new Positions(ledger);
  }
  get cash(): number {
    return this.ledger.cash;
  }
  get starting_cash(): number {
    return this.ledger.starting_cash;
  }
  get portfolio_value(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.portfolio_value;
  }
  get pnl(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.pnl;
  }
  get returns(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.returns;
  }
  get positions_value(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.positions_value;
  }
  get positions_exposure(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.positions_exposure;
  }
  get cash_flow(): number {
    return this.ledger.cash_flow;
  }
  get start_date(): number {
    return this.ledger.start_date;
  }
  /** Cash spent on (or received from) trading so far. */
  get capital_used(): number {
    return this.ledger.cash_flow;
  }
  /** Each position's value as a fraction of the portfolio value. */
  get current_portfolio_weights(): Map<Asset, number> {
    const pv = this.portfolio_value;
    const out = new Map<Asset, number>();
    for (const p of this.ledger.positions.values()) {
      out.set(p.asset, (p.amount * p.last_sale_price * p.asset.price_multiplier) / pv);
    }
    return out;
  }
}

/** zipline's `Account`, with the fields a simulation can know (IB-shaped names). */
export class Account {
  constructor(
    private readonly ledger: Ledger,
    private readonly beforeRead: () => void = () => {},
  ) {}
  get settled_cash(): number {
    return this.ledger.cash;
  }
  readonly accrued_interest = 0;
  readonly buying_power = Infinity;
  get equity_with_loan(): number {
    return this.net_liquidation;
  }
  get total_positions_value(): number {
    this.ledger.update();
    return this.ledger.positions_value;
  }
  get total_positions_exposure(): number {
    this.ledger.update();
    return this.ledger.positions_exposure;
  }
  get regt_equity(): number {
    return this.ledger.cash;
  }
  readonly regt_margin = Infinity;
  readonly initial_margin_requirement = 0;
  readonly maintenance_margin_requirement = 0;
  get available_funds(): number {
    return this.ledger.cash;
  }
  get excess_liquidity(): number {
    return this.ledger.cash;
  }
  get cushion(): number {
    const nl = this.net_liquidation;
    return nl ? this.ledger.cash / nl : NaN;
  }
  readonly day_trades_remaining = Infinity;
  get leverage(): number {
    this.beforeRead();
    return this.ledger.leverage().gross;
  }
  get net_leverage(): number {
    return this.ledger.leverage().net;
  }
  get net_liquidation(): number {
    this.beforeRead();
    this.ledger.update();
    return this.ledger.portfolio_value;
  }
}
