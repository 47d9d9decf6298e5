/**
 * The fake TWS's account state: the contract database, the order book, executions, positions and
 * cash. Pure bookkeeping; the server (`../fake_tws.ts`) decides what to send when it changes.
 */
import { intlOffset } from "../../../calendars/timezone.ts";
import type { TwsExecution, TwsOrder, TwsStock } from "./messages.ts";

/**
 * Statuses after which an order can no longer change. Not Inactive: the TWS API documents it as an
 * order "accepted by the system … but currently inactive due to system, exchange or other issues"
 * (a short sale waiting for a locate, an order outside its exchange's hours), which can become
 * Submitted again and fill; ib_insync's `OrderStatus.DoneStates` leaves it out for that reason.
 */
export const DONE_STATUSES: ReadonlySet<string> = new Set(["Filled", "Cancelled", "ApiCancelled"]);

export interface FakePosition {
  account: string;
  stock: TwsStock;
  amount: number;
  avgCost: number;
}

/** `YYYYMMDD HH:MM:SS US/Eastern`, the way TWS stamps executions and completed orders. */
export function twsTime(utcMs: number): string {
  const local = new Date(utcMs + intlOffset("America/New_York", utcMs));
  const p = (n: number) => String(n).padStart(2, "0");
  return `${local.getUTCFullYear()}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())} ` +
    `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} US/Eastern`;
}

/** An execution filter time, `yyyymmdd-hh:mm:ss` (UTC) or `yyyymmdd hh:mm:ss` (UTC here). */
export function parseFilterTime(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : -Infinity;
}

export class FakeBook {
  readonly stocks: TwsStock[] = [];
  readonly orders: TwsOrder[] = [];
  readonly executions: TwsExecution[] = [];
  readonly positions = new Map<string, FakePosition>();
  /** Last trade prices by symbol (market orders fill here; the net liquidation uses them). */
  readonly prices = new Map<string, number>();
  cash: number;
  nextOrderId = 1;
  private nextPermId = 1_750_000_000;
  private nextExec = 1;

  constructor(readonly accounts: string[], cash: number, readonly now: () => number) {
    this.cash = cash;
  }

  addStock(symbol: string, conId: number, primaryExchange = "NASDAQ", currency = "USD"): TwsStock {
    const s: TwsStock = {
      conId,
      symbol,
      primaryExchange,
      currency,
      longName: `${symbol} INC`,
      minTick: 0.01,
    };
    this.stocks.push(s);
    return s;
  }

  /** Stocks matching a request's description (conId first, else symbol and any given fields). */
  match(c: { conId: number; symbol: string; currency: string; primaryExchange: string }) {
    if (c.conId) return this.stocks.filter((s) => s.conId === c.conId);
    return this.stocks.filter((s) =>
      s.symbol === c.symbol && (!c.currency || s.currency === c.currency) &&
      (!c.primaryExchange || s.primaryExchange === c.primaryExchange)
    );
  }

  newOrder(
    fields: Omit<
      TwsOrder,
      | "permId"
      | "status"
      | "filled"
      | "avgFillPrice"
      | "lastFillPrice"
      | "whyHeld"
      | "completedTime"
      | "completedStatus"
    >,
  ): TwsOrder {
    const o: TwsOrder = {
      ...fields,
      permId: this.nextPermId++,
      status: "PendingSubmit",
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
      whyHeld: "",
      completedTime: "",
      completedStatus: "",
    };
    this.orders.push(o);
    if (o.orderId >= this.nextOrderId) this.nextOrderId = o.orderId + 1;
    return o;
  }

  /** An order by IB order id (and client), permId, or orderRef. */
  find(ref: number | string, clientId?: number): TwsOrder | undefined {
    if (typeof ref === "string") return this.orders.find((o) => o.orderRef === ref);
    return this.orders.find((o) =>
      (o.orderId === ref && (clientId === undefined || o.clientId === clientId)) ||
      o.permId === ref
    );
  }

  isOpen(o: TwsOrder): boolean {
    return !DONE_STATUSES.has(o.status);
  }

  /** Marks an order done with TWS's completion stamp. */
  complete(o: TwsOrder, status: string, text: string): void {
    o.status = status;
    o.completedTime = twsTime(this.now());
    o.completedStatus = text;
  }

  /** Books one execution against an order; `commission` null leaves it to be reported later. */
  execute(o: TwsOrder, shares: number, price: number, commission: number | null): TwsExecution {
    const value = o.avgFillPrice * o.filled + price * shares;
    o.filled += shares;
    o.avgFillPrice = value / o.filled;
    o.lastFillPrice = price;
    if (o.filled >= o.quantity) this.complete(o, "Filled", `Filled Size: ${o.quantity}`);
    else o.status = "Submitted";
    const t = this.now();
    const n = this.nextExec++;
    const e: TwsExecution = {
      execId: `0000e1a7.6f${n.toString(16).padStart(6, "0")}.01.01`,
      order: o,
      time: twsTime(t),
      timeMs: Math.floor(t / 1000) * 1000,
      shares,
      price,
      cumQty: o.filled,
      avgPrice: o.avgFillPrice,
      commission,
    };
    this.executions.push(e);
    const signed = o.action === "BUY" ? shares : -shares;
    const key = `${o.account}|${o.stock.conId}`;
    const p = this.positions.get(key) ??
      { account: o.account, stock: o.stock, amount: 0, avgCost: 0 };
    const total = p.amount + signed;
    p.avgCost = total === 0
      ? 0
      : Math.sign(total) === Math.sign(p.amount) || p.amount === 0
      ? (p.avgCost * p.amount + price * signed) / total
      : price;
    p.amount = total;
    this.positions.set(key, p);
    this.cash -= price * signed + (commission ?? 0);
    this.prices.set(o.stock.symbol, price);
    return e;
  }

  /**
   * A correction of an execution: its next revision, with corrected shares and/or price, replaces
   * it in the order, the position and the cash (the superseded revision's commission stays
   * charged). `drop` removes the superseded revision from the executions listed.
   */
  correct(
    execId: string,
    c: { qty?: number; price?: number; drop?: boolean },
    commission: number | ((shares: number, price: number) => number),
  ): TwsExecution {
    const old = this.executions.find((x) => x.execId === execId);
    if (!old) throw new Error(`fake TWS: no execution ${execId}`);
    const base = execId.slice(0, execId.lastIndexOf("."));
    let rev = 0;
    for (const x of this.executions) {
      if (x.execId.startsWith(base + ".")) {
        rev = Math.max(rev, parseInt(x.execId.slice(base.length + 1), 16));
      }
    }
    const o = old.order, shares = c.qty ?? old.shares, price = c.price ?? old.price;
    const value = o.avgFillPrice * o.filled - old.price * old.shares + price * shares;
    o.filled += shares - old.shares;
    o.avgFillPrice = o.filled ? value / o.filled : 0;
    const fee = typeof commission === "number" ? commission : commission(shares, price);
    const sign = o.action === "BUY" ? 1 : -1;
    const p = this.positions.get(`${o.account}|${o.stock.conId}`)!;
    const total = p.amount + sign * (shares - old.shares);
    const cost = p.avgCost * p.amount - old.price * sign * old.shares + price * sign * shares;
    p.avgCost = total ? cost / total : 0;
    p.amount = total;
    this.cash += sign * (old.price * old.shares - price * shares) - fee;
    const e: TwsExecution = {
      ...old,
      execId: `${base}.${(rev + 1).toString(16).padStart(2, "0")}`,
      time: twsTime(this.now()),
      timeMs: Math.floor(this.now() / 1000) * 1000,
      shares,
      price,
      cumQty: o.filled,
      avgPrice: o.avgFillPrice,
      commission: fee,
    };
    if (c.drop) this.executions.splice(this.executions.indexOf(old), 1);
    this.executions.push(e);
    return e;
  }

  /** A commission reported late is charged when it is reported. */
  charge(e: TwsExecution, commission: number): void {
    e.commission = commission;
    this.cash -= commission;
  }

  setPosition(account: string, stock: TwsStock, amount: number, avgCost: number): void {
    this.positions.set(`${account}|${stock.conId}`, { account, stock, amount, avgCost });
  }

  /** Account summary values by tag for one account. */
  summary(): Record<string, number> {
    let value = 0;
    for (const p of this.positions.values()) {
      value += p.amount * (this.prices.get(p.stock.symbol) ?? p.avgCost);
    }
    const net = this.cash + value;
    return {
      NetLiquidation: net,
      TotalCashValue: this.cash,
      BuyingPower: Math.max(0, net) * 4,
      AvailableFunds: Math.max(0, net),
      ExcessLiquidity: Math.max(0, net),
      GrossPositionValue: Math.abs(value),
      EquityWithLoanValue: net,
    };
  }
}
