/**
 * The ledger (zipline's `finance/ledger.py`): cash, positions and the portfolio's value, updated
 * only by fills, commissions, splits, dividends and price syncs — the same events in every mode.
 * Portfolio figures are recomputed lazily, and returns compound at each recomputation exactly as
 * zipline's do, so perf rows match it to the last bits that matter.
 */
import type { Asset } from "../assets/asset.ts";
import type { TrackedOrder, Transaction } from "./order.ts";
import { Position } from "./position.ts";

/** Aggregates over the open positions. For equities exposure equals value. */
export interface PositionStats {
  long_value: number;
  short_value: number;
  long_exposure: number;
  short_exposure: number;
  longs_count: number;
  shorts_count: number;
  net_value: number;
  gross_value: number;
  net_exposure: number;
  gross_exposure: number;
}

/** A ledger as persisted by a live session. */
export interface LedgerSnapshot {
  cash: number;
  cash_flow: number;
  /** Absent in state files written before it was kept. */
  corporate_cash?: number;
  portfolio_value: number;
  pnl: number;
  returns: number;
  previous_total_returns: number;
  positions: {
    sid: number;
    amount: number;
    cost_basis: number;
    last_sale_price: number;
    last_sale_date: number | null;
  }[];
  unpaid: [number | null, number][];
}

/** A cash dividend earned on its ex-date, paid on its pay date (never when it has none). */
export interface DividendEvent {
  asset: Asset;
  amount: number;
  /** UTC-midnight ms; NaN when the dividend has no pay date. */
  pay_date: number;
}

export class Ledger {
  /** Open positions by sid, in the order they were opened. */
  readonly positions = new Map<number, Position>();
  /** Every asset a position was ever held in, by sid (names the sids of recorded rows). */
  readonly heldAssets = new Map<number, Asset>();
  /**
   * No position's asset auto-closes before this (UTC ms; a lower bound, raised by
   * `refreshEarliestAutoClose`): the session end skips its delisting pass until then.
   */
  earliestAutoClose = Infinity;
  cash: number;
  cash_flow = 0;
  /**
   * Cash from corporate actions (dividends paid, a split's fractional shares): what a broker's
   * cash differs from ours by when every trade agrees (reconciliation after a restart).
   */
  corporate_cash = 0;
  portfolio_value: number;
  pnl = 0;
  returns = 0;
  positions_value = 0;
  positions_exposure = 0;
  private dirty = true;
  private statsDirty = true;
  /** The dt positions were last priced at (NaN after anything that may change a price). */
  private pricedAt = NaN;
  private previousTotalReturns = 0;
  private readonly unpaid = new Map<number, number>();
  private readonly stats_: PositionStats = {
    long_value: 0,
    short_value: 0,
    long_exposure: 0,
    short_exposure: 0,
    longs_count: 0,
    shorts_count: 0,
    net_value: 0,
    gross_value: 0,
    net_exposure: 0,
    gross_exposure: 0,
  };
  /** Today's fills, in order. */
  readonly transactionsToday: Transaction[] = [];
  /**
   * Orders created or changed today, in the order of their last change: an order changed again
   * is moved to the end (its earlier slot becomes null). An array with slots, not a Map, because
   * this runs for every order event.
   */
  private readonly todaySlots: (TrackedOrder | null)[] = [];
  /** `ordersToday()` as last built, until an order changes (read twice at each session's end). */
  private todayList: TrackedOrder[] | null = null;
  private session = 0;
  private todayCount = 0;

  constructor(readonly starting_cash: number, readonly start_date: number) {
    this.cash = starting_cash;
    this.portfolio_value = starting_cash;
  }

  /** The day's return so far (zipline's `todays_returns`). */
  get todays_returns(): number {
    this.update();
    return (this.returns + 1) / (this.previousTotalReturns + 1) - 1;
  }

  start_of_session(): void {
    this.update();
    this.transactionsToday.length = 0;
    this.todaySlots.length = 0;
    this.todayList = null;
    this.todayCount = 0;
    this.session++;
    this.previousTotalReturns = this.returns;
  }

  private cashFlow(amount: number): void {
    this.dirty = true;
    this.cash_flow += amount;
    this.cash += amount;
  }

  private positionFor(asset: Asset): Position {
    let p = this.positions.get(asset.sid);
    if (!p) {
      p = new Position(asset);
      this.positions.set(asset.sid, p);
      this.noteHeld(asset);
    }
    return p;
  }

  process_transaction(txn: Transaction): void {
    this.cashFlow(-(txn.price * txn.amount));
    this.statsDirty = true;
    this.pricedAt = NaN;
    const p = this.positionFor(txn.asset);
    p.update(txn);
    if (p.amount === 0) this.positions.delete(txn.asset.sid);
    this.transactionsToday.push(txn);
  }

  process_commission(asset: Asset, cost: number): void {
    const p = this.positions.get(asset.sid);
    if (p) {
      this.statsDirty = true;
      p.adjust_commission_cost_basis(cost);
    }
    this.cashFlow(-cost);
  }

  /** Splits effective today: `[asset, ratio]`. Fractional shares come back as cash. */
  process_splits(splits: ReadonlyArray<readonly [Asset, number]>): void {
    let leftover = 0;
    for (const [asset, ratio] of splits) {
      const p = this.positions.get(asset.sid);
      if (!p) continue;
      this.statsDirty = true;
      this.dirty = true;
      this.pricedAt = NaN;
      leftover += p.handle_split(ratio);
    }
    if (leftover > 0) {
      this.corporate_cash += leftover;
      this.cashFlow(leftover);
    }
  }

  /** Records an order as changed now (placed, filled, cancelled). */
  process_order(order: TrackedOrder): void {
    const slots = this.todaySlots;
    const at = order.ledgerSlot;
    this.todayList = null;
    if (order.ledgerSession === this.session && slots[at] === order) slots[at] = null;
    else this.todayCount++;
    order.ledgerSession = this.session;
    order.ledgerSlot = slots.length;
    slots.push(order);
  }

  /** Orders created or changed today, ordered by their last change (built once per change). */
  ordersToday(): readonly TrackedOrder[] {
    if (this.todayList) return this.todayList;
    const out: TrackedOrder[] = [];
    for (const o of this.todaySlots) if (o !== null) out.push(o);
    return this.todayList = out;
  }

  /** How many distinct orders changed today. */
  get ordersTodayCount(): number {
    return this.todayCount;
  }

  /** Dividends whose ex-date is today, on positions held now. */
  earn_dividends(dividends: readonly DividendEvent[]): void {
    for (const d of dividends) {
      const p = this.positions.get(d.asset.sid);
      if (!p) continue;
      const owed = p.amount * d.amount;
      // NaN pay dates are kept under NaN and never paid, as zipline does with NaT.
      const key = Number.isNaN(d.pay_date) ? NaN : d.pay_date;
      this.unpaid.set(key, (this.unpaid.get(key) ?? 0) + owed);
    }
  }

  /** Pays dividends whose pay date is `session`. */
  pay_dividends(session: number): void {
    const due = this.unpaid.get(session);
    if (due === undefined) return;
    this.unpaid.delete(session);
    this.corporate_cash += due;
    this.cashFlow(due);
  }

  /** A position opened in `asset`: remembered by sid, its auto-close date taken into account. */
  private noteHeld(asset: Asset): void {
    this.heldAssets.set(asset.sid, asset);
    if (asset.auto_close_date < this.earliestAutoClose) {
      this.earliestAutoClose = asset.auto_close_date;
    }
  }

  /** Recomputes `earliestAutoClose` from the positions held now. */
  refreshEarliestAutoClose(): void {
    let t = Infinity;
    for (const p of this.positions.values()) {
      if (p.asset.auto_close_date < t) t = p.asset.auto_close_date;
    }
    this.earliestAutoClose = t;
  }

  /** Sets every position's last sale price from `priceOf` (NaN prices leave it unchanged). */
  sync_last_sale_prices(dt: number, priceOf: (asset: Asset) => number): void {
    // Read on the bar (portfolio_value) and again at the session's close, which in daily mode is
    // the same bar: nothing to redo unless a fill or split touched a position in between.
    if (dt === this.pricedAt) return;
    this.pricedAt = dt;
    this.dirty = true;
    // The position stats come out of the same pass (one walk over the positions, not two).
    const acc = new StatsAccumulator();
    for (const p of this.positions.values()) {
      const price = priceOf(p.asset);
      if (!Number.isNaN(price)) {
        p.last_sale_price = price;
        p.last_sale_date = dt;
      }
      acc.add(p);
    }
    acc.into(this.stats_);
    this.statsDirty = false;
  }

  get stats(): PositionStats {
    if (this.statsDirty) {
      const acc = new StatsAccumulator();
      for (const p of this.positions.values()) acc.add(p);
      acc.into(this.stats_);
      this.statsDirty = false;
    }
    return this.stats_;
  }

  /** Recomputes the portfolio if anything changed; returns compound at each recomputation. */
  update(): void {
    if (!this.dirty) return;
    const s = this.stats;
    this.positions_value = s.net_value;
    this.positions_exposure = s.net_exposure;
    const start = this.portfolio_value;
    const end = this.cash + s.net_value;
    this.portfolio_value = end;
    const pnl = end - start;
    const r = start !== 0 ? pnl / start : 0;
    this.pnl += pnl;
    this.returns = (1 + this.returns) * (1 + r) - 1;
    this.dirty = false;
  }

  /**
   * The profit and loss so far, priced as of the last sync, without recomputing the portfolio:
   * `update` compounds returns at each recomputation, so an extra one (a live session's loss
   * check) would change the perf rows' last bits.
   */
  currentPnl(): number {
    if (!this.dirty) return this.pnl;
    return this.pnl + this.cash + this.stats.net_value - this.portfolio_value;
  }

  /** Gross and net leverage: exposure over portfolio value (∞ at zero value). */
  leverage(): { gross: number; net: number } {
    this.update();
    const pv = this.portfolio_value;
    if (pv === 0) return { gross: Infinity, net: Infinity };
    const s = this.stats;
    return { gross: s.gross_exposure / pv, net: s.net_exposure / pv };
  }

  /** Everything needed to continue after a restart (positions by sid). */
  snapshot(): LedgerSnapshot {
    this.update();
    return {
      cash: this.cash,
      cash_flow: this.cash_flow,
      corporate_cash: this.corporate_cash,
      portfolio_value: this.portfolio_value,
      pnl: this.pnl,
      returns: this.returns,
      previous_total_returns: this.previousTotalReturns,
      positions: [...this.positions.values()].map((p) => ({
        sid: p.asset.sid,
        amount: p.amount,
        cost_basis: p.cost_basis,
        last_sale_price: p.last_sale_price,
        last_sale_date: Number.isNaN(p.last_sale_date) ? null : p.last_sale_date,
      })),
      unpaid: [...this.unpaid].map(([k, v]) => [Number.isNaN(k) ? null : k, v]),
    };
  }

  restore(s: LedgerSnapshot, assetOf: (sid: number) => Asset | undefined): void {
    this.cash = s.cash;
    this.cash_flow = s.cash_flow;
    this.corporate_cash = s.corporate_cash ?? 0;
    this.portfolio_value = s.portfolio_value;
    this.pnl = s.pnl;
    this.returns = s.returns;
    this.previousTotalReturns = s.previous_total_returns;
    this.positions.clear();
    this.pricedAt = NaN;
    for (const r of s.positions) {
      const asset = assetOf(r.sid);
      if (!asset) {
        throw new RangeError(`restored position in sid ${r.sid}, which the bundle does not have`);
      }
      const p = new Position(asset);
      p.amount = r.amount;
      p.cost_basis = r.cost_basis;
      p.last_sale_price = r.last_sale_price;
      p.last_sale_date = r.last_sale_date ?? NaN;
      this.positions.set(r.sid, p);
      this.noteHeld(asset);
    }
    this.unpaid.clear();
    for (const [k, v] of s.unpaid) this.unpaid.set(k ?? NaN, v);
    this.dirty = true;
    this.statsDirty = true;
    this.update();
  }

  /** The position in an asset, if any. */
  position(asset: Asset): Position | undefined {
    return this.positions.get(asset.sid);
  }
}

/** Long and short values and counts of positions, summed one position at a time. */
class StatsAccumulator {
  lv = 0;
  sv = 0;
  lc = 0;
  sc = 0;

  add(p: Position): void {
    const v = p.amount * p.last_sale_price * p.asset.price_multiplier;
    if (p.amount > 0) {
      this.lc++;
      this.lv += v;
    } else if (p.amount < 0) {
      this.sc++;
      this.sv += v;
    }
  }

  into(s: PositionStats): void {
    s.long_value = s.long_exposure = this.lv;
    s.short_value = s.short_exposure = this.sv;
    s.longs_count = this.lc;
    s.shorts_count = this.sc;
    s.net_value = s.net_exposure = this.lv + this.sv;
    s.gross_value = s.gross_exposure = this.lv - this.sv;
  }
}
