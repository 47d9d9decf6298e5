/**
 * The simulated venue's book as data: what it is made of, the operations that change it, and how
 * a persisted book is rebuilt. Every change the venue makes is one `VenueOp`; a paper venue
 * appends each to its op-log before it reports it, so a restart rebuilds the book exactly as it
 * stood when the process died (a snapshot at each session end, then the ops since).
 */
import type { BrokerFill } from "../../model/broker.ts";

/** One change of the venue's book. Times are UTC ms. */
export type VenueOp =
  /** An order accepted. */
  | {
    op: "submit";
    coid: string;
    id: string;
    symbol: string;
    amount: number;
    limit: number | null;
    stop: number | null;
    created: number;
  }
  /** An order cancelled. */
  | { op: "cancel"; coid: string; dt: number }
  /** An execution (`coid` empty: the venue's settlement of a delisted position). */
  | {
    op: "fill";
    coid: string;
    exec: string;
    symbol: string;
    amount: number;
    price: number;
    commission: number;
    time: number;
  }
  /** An order's triggers changed (zipline's `check_triggers`): trigger bits and its stop. */
  | {
    op: "trigger";
    coid: string;
    limit_reached: boolean;
    stop_reached: boolean;
    stop: number | null;
    dt: number;
  }
  /** A split applied to resting orders and positions of a symbol. */
  | { op: "split"; symbol: string; ratio: number; session: number }
  /** A bar matched (a bar is never matched twice). */
  | { op: "bar"; time: number };

/** An order as a snapshot stores it. */
export interface BookOrder {
  coid: string;
  id: string;
  symbol: string;
  amount: number;
  filled: number;
  commission: number;
  limit: number | null;
  stop: number | null;
  limit_reached: boolean;
  stop_reached: boolean;
  created: number;
  dt: number;
  /** zipline's status code. */
  status: number;
  avg: number;
}

/** The whole book at a session's end. */
export interface BookSnapshot {
  cash: number;
  /** Executions so far (the next exec id's number). */
  exec: number;
  /** Orders accepted so far (the next venue order id's number). */
  seq: number;
  /** The last bar matched. */
  lastBar: number;
  /** The last session whose splits were applied. */
  lastSplit: number;
  positions: Record<string, { amount: number; cost: number }>;
  /** Recent executions (what a restart asks for). */
  fills: BrokerFill[];
  /** Open orders and the most recent finished ones. */
  orders: BookOrder[];
}

/** Where a venue keeps its book; the null store keeps nothing (a backtest's venue). */
export interface VenueStore {
  /** Appends one change (written before the venue reports it). */
  record(op: VenueOp): void;
  /** Replaces the persisted book with this snapshot (at a session's end) and drops the ops. */
  save(book: BookSnapshot): void;
  /**
   * The persisted book: its last snapshot (null: none) and the ops recorded since. `check` says
   * what is wrong with an op (an unknown symbol), which the store reports naming its line.
   */
  load(check?: (op: VenueOp) => string | null): { snapshot: BookSnapshot | null; ops: VenueOp[] };
  close(): void;
}

/** Whether a store records anything (the venue skips building ops otherwise). */
export function persists(store: VenueStore | null): store is VenueStore {
  return store !== null;
}
