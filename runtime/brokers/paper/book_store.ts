/**
 * Where the paper venue keeps its book between runs: a JSON snapshot at `<state>`, rewritten
 * atomically at the end of a bar, plus an op-log at `<state>.ops` of the orders accepted or
 * cancelled since. Kept apart from the broker so the matching logic reads without the file
 * handling, and so the on-disk format lives in one place.
 */
import { DAY_MS } from "../../../calendars/days.ts";
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import type { Asset } from "../../assets/asset.ts";
import type { SimulationBlotter } from "../../finance/blotter.ts";
import { Order, ORDER_STATUS } from "../../finance/order.ts";
import type { BrokerFill } from "../broker.ts";

/**
 * Finished orders and fills kept in the snapshot (and in memory) for lookups after a restart.
 * A restart asks only for executions since the last saved bar, so a few bars' worth is plenty;
 * the whole history is in the journal. Bounded, so a bar's save costs the same in month six as
 * on day one.
 */
const RECENT = 200;
/** Fills kept: every fill of the last day of bars (what a restart can ask for), and at least these. */
const RECENT_FILLS = 100;

/** An order as the snapshot stores it: enough to rebuild the blotter's `Order`. */
export interface BookOrder {
  coid: string;
  symbol: string;
  amount: number;
  filled: number;
  commission: number;
  limit: number | null;
  stop: number | null;
  created: number;
  status: number;
  avg: number;
}

export interface Book {
  cash: number;
  exec: number;
  /** The last bar matched: a bar is never matched twice (restarts replay the interrupted one). */
  lastBar: number;
  fills: BrokerFill[];
  positions: Record<string, { amount: number; cost: number }>;
  orders: BookOrder[];
}

/** An accepted order, logged with what it takes to place it again on replay. */
export interface SubmitOp {
  op: "submit";
  coid: string;
  symbol: string;
  amount: number;
  limit: number | null;
  stop: number | null;
  created: number;
}

export interface CancelOp {
  op: "cancel";
  coid: string;
}

export type BookOp = SubmitOp | CancelOp;

/**
 * The broker's order state that a restore rebuilds in place: the broker owns these maps and
 * the blotter, the store only fills them.
 */
export interface OrderIndex {
  blotter: SimulationBlotter;
  assetOf(symbol: string): Asset;
  /** Orders by client order id. */
  byCoid: Map<string, Order>;
  /** Client order id by blotter order id. */
  coidOf: Map<string, string>;
  /** Average fill price by client order id (the blotter's `Order` does not track it). */
  avg: Map<string, number>;
}

export function emptyBook(cash: number): Book {
  return { cash, exec: 0, lastBar: -Infinity, fills: [], positions: {}, orders: [] };
}

/** The book's persistence; with no path every method is a no-op (an in-memory venue). */
export class BookStore {
  private opsFd: number | null = null;

  constructor(private readonly path?: string) {}

  /**
   * Rebuilds `into` from the snapshot, then replays the op-log on top of it. Returns the
   * snapshot's book, or null when there is none (the caller keeps its fresh book).
   */
  restore(into: OrderIndex): Book | null {
    const path = this.path;
    if (!path) return null;
    let book: Book | null = null;
    if (existsSync(path)) {
      book = JSON.parse(readFileSync(path, "utf8")) as Book;
      restoreOrders(book, into);
    }
    replayOps(`${path}.ops`, into);
    return book;
  }

  /**
   * Orders accepted or cancelled since the last snapshot: appended to `<state>.ops` as they
   * happen (an append costs microseconds; a snapshot of the whole book per order would not), and
   * folded into the next snapshot at the end of a bar.
   */
  log(op: BookOp): void {
    const path = this.path;
    if (!path) return;
    this.opsFd ??= openSync(`${path}.ops`, "a");
    writeSync(this.opsFd, JSON.stringify(op) + "\n");
  }

  /**
   * A snapshot of the book: open orders, the most recent others, positions, cash, recent fills.
   * Trims `book` in place (so memory stays bounded too), then drops the op-log it now includes.
   */
  save(book: Book, index: Omit<OrderIndex, "blotter" | "assetOf">): void {
    const path = this.path;
    if (!path) return;
    const { byCoid, avg } = index;
    trimFinished(index);
    book.fills = recentFills(book.fills, book.lastBar - DAY_MS);
    book.orders = [];
    for (const [coid, o] of byCoid) {
      book.orders.push({
        coid,
        symbol: o.asset.symbol,
        amount: o.amount,
        filled: o.filled,
        commission: o.commission,
        limit: o.limit,
        stop: o.stop,
        created: o.created,
        status: o.status,
        avg: avg.get(coid) ?? 0,
      });
    }
    // Write then rename: a crash mid-write leaves the previous snapshot, never a torn one.
    writeFileSync(`${path}.tmp`, JSON.stringify(book));
    renameSync(`${path}.tmp`, path);
    if (this.opsFd !== null) {
      closeSync(this.opsFd);
      this.opsFd = null;
    }
    rmSync(`${path}.ops`, { force: true });
  }
}

/** The fills at or after `from`, and at least the last `RECENT_FILLS` (they are in time order). */
function recentFills(fills: BrokerFill[], from: number): BrokerFill[] {
  let k = fills.length;
  while (k > 0 && fills[k - 1].time >= from) k--;
  return fills.slice(Math.max(0, Math.min(k, fills.length - RECENT_FILLS)));
}

/**
 * Forgets finished orders beyond the most recent `RECENT` (open ones always stay): insertion
 * order is placement order, so the oldest finished go first.
 */
function trimFinished(index: Omit<OrderIndex, "blotter" | "assetOf">): void {
  const { byCoid, coidOf, avg } = index;
  let finished = 0;
  for (const o of byCoid.values()) if (!o.open) finished++;
  if (finished <= RECENT) return;
  let drop = finished - RECENT;
  for (const [coid, o] of byCoid) {
    if (drop === 0) break;
    if (o.open) continue;
    byCoid.delete(coid);
    coidOf.delete(o.id);
    avg.delete(coid);
    drop--;
  }
}

/** The snapshot's orders back into the blotter: only open ones rest there again. */
function restoreOrders(book: Book, into: OrderIndex): void {
  for (const o of book.orders) {
    const order = new Order({
      dt: o.created,
      asset: into.assetOf(o.symbol),
      amount: o.amount,
      limit: o.limit,
      stop: o.stop,
    });
    order.filled = o.filled;
    order.commission = o.commission;
    if (o.status === ORDER_STATUS.CANCELLED) order.cancel();
    into.byCoid.set(o.coid, order);
    into.coidOf.set(order.id, o.coid);
    into.avg.set(o.coid, o.avg);
    if (order.open) {
      const list = into.blotter.open_orders.get(order.asset.sid) ?? [];
      list.push(order);
      into.blotter.open_orders.set(order.asset.sid, list);
      into.blotter.orders.add(order);
    }
  }
}

/** Re-applies the op-log: orders the snapshot already holds are skipped, so a log already folded in is harmless. */
function replayOps(path: string, into: OrderIndex): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    let op: Record<string, unknown>;
    try {
      op = JSON.parse(line);
    } catch {
      continue; // a torn last line
    }
    // Fields are coerced rather than trusted: the log is a file, not a typed value.
    if (op.op === "submit" && !into.byCoid.has(String(op.coid))) {
      into.blotter.current_dt = Number(op.created);
      const id = into.blotter.order(
        into.assetOf(String(op.symbol)),
        Number(op.amount),
        op.limit as number | null,
        op.stop as number | null,
      );
      into.blotter.new_orders = [];
      if (id !== null) {
        const o = into.blotter.orders.get(id)!;
        into.byCoid.set(String(op.coid), o);
        into.coidOf.set(o.id, String(op.coid));
      }
    } else if (op.op === "cancel") {
      const o = into.byCoid.get(String(op.coid));
      if (o?.open) into.blotter.cancel(o.id, false);
    }
  }
}
