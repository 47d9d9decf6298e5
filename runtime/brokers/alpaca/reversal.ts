/**
 * Position reversals. Alpaca refuses an order that takes a position across zero in one step (long
 * to short, or back) with 403 "insufficient qty available for order (requested: X, available: Y)"
 * (alpacahq/Alpaca-API #90; alpaca-trade-api-python #129: "You need to close your open position
 * before you can submit an order that would open a short position. The same is true for going from
 * a short position to a long one."). As Lean's AlpacaBrokerage does (TryCrossZeroPositionOrder),
 * such an order is split into a closing order for the whole position and an opening order for the
 * rest, sent once the closing one has filled; both are reported as the one order the strategy
 * placed — one client order id, one state, the fills of both.
 *
 * The two orders carry our client order id with `.c` (closing) and `.o` (opening); a restarted
 * process finds them by those ids.
 */
import type { BrokerOrder, OrderRequest } from "../broker.ts";
import type { OrderState } from "../../orders/state.ts";

export type Leg = "close" | "open";

const LEG = /\.(c|o)(?=(?:\.r\d+)?$)/;

/** Which leg of a reversal an Alpaca client order id names (null: not a leg). */
export function legOf(alpacaClientOrderId: string | undefined): Leg | null {
  const m = LEG.exec(alpacaClientOrderId ?? "");
  return m ? (m[1] === "c" ? "close" : "open") : null;
}

/** The client order id of a leg of our order. */
export function legId(coid: string, leg: Leg): string {
  return `${coid}.${leg === "close" ? "c" : "o"}`;
}

/** Our client order id behind a leg's (or any) Alpaca client order id, replacements aside. */
export function stripLeg(id: string): string {
  return id.replace(LEG, "");
}

interface LegState {
  amount: number;
  /** Absolute shares filled, and their value. */
  filled: number;
  value: number;
  state: OrderState;
  alpacaId: string;
}

/** One reversal: the order as placed and what each leg has done. */
export interface Split {
  request: OrderRequest;
  close: LegState;
  open: LegState & { sent: boolean; refused: string };
  /** A cancel was asked for: the opening order is not sent. */
  canceled: boolean;
  submittedAt: number;
}

const leg = (amount: number): LegState => ({
  amount,
  filled: 0,
  value: 0,
  state: "SUBMITTED",
  alpacaId: "",
});

/**
 * The state of the order the strategy placed, from its legs: the closing leg's until it has
 * filled, then the opening leg's (never FILLED before the opening leg is). A refused or unsent
 * opening leg ends the order CANCELED with what the closing leg filled.
 */
export function stateOfSplit(s: Split): OrderState {
  const c = s.close.state, o = s.open.state;
  const some = s.close.filled + s.open.filled > 0;
  if (s.open.sent) {
    if (o === "FILLED" || o === "CANCELED" || o === "EXPIRED" || o === "PENDING_CANCEL") return o;
    if (o === "REJECTED") return "CANCELED";
    return "PARTIALLY_FILLED"; // the closing part has filled
  }
  if (c === "FILLED") return s.canceled || s.open.refused ? "CANCELED" : "PARTIALLY_FILLED";
  if (c === "REJECTED") return some ? "CANCELED" : "REJECTED";
  return c;
}

/** Why a split order ended as it did (for the event's reason), or undefined. */
export function reasonOfSplit(s: Split): string | undefined {
  if (s.open.refused) return `the reversal's opening order was refused: ${s.open.refused}`;
  if (s.open.sent && s.open.state === "REJECTED") {
    return "the reversal's opening order was rejected";
  }
  if (!s.open.sent && s.close.state === "FILLED" && s.canceled) {
    return "canceled (or the process restarted) before the reversal's opening order was sent";
  }
  return undefined;
}

/** The reversals in flight, by our client order id. */
export class Reversals {
  private readonly splits = new Map<string, Split>();

  get(coid: string): Split | undefined {
    return this.splits.get(coid);
  }

  /**
   * Splits `r` against a position of `position` shares (signed): the closing leg's request
   * (the whole position) to send now; the opening leg's amount waits in the split.
   */
  start(r: OrderRequest, position: number, now: number): OrderRequest {
    const s: Split = {
      request: r,
      close: leg(-position),
      open: { ...leg(r.amount + position), sent: false, refused: "" },
      canceled: false,
      submittedAt: now,
    };
    this.splits.set(r.client_order_id, s);
    // A leg's id is not the number the request carried (`client_seq`): the copy goes without it.
    const { client_seq: _seq, ...rest } = r;
    return { ...rest, client_order_id: legId(r.client_order_id, "close"), amount: -position };
  }

  /**
   * A reversal found again after a restart, from its legs at Alpaca (the opening one may never
   * have been sent).
   */
  restore(coid: string, close: BrokerOrder, open: BrokerOrder | null): Split {
    const amount = close.amount + (open?.amount ?? 0);
    const s: Split = {
      request: {
        client_order_id: coid,
        symbol: close.symbol,
        amount,
        limit_price: close.limit_price,
        stop_price: close.stop_price,
        time_in_force: "day",
      },
      close: leg(close.amount),
      open: { ...leg(open?.amount ?? 0), sent: open !== null, refused: "" },
      canceled: false,
      submittedAt: close.submitted_at,
    };
    this.splits.set(coid, s);
    this.observe(coid, "close", close);
    if (open) this.observe(coid, "open", open);
    // The closing order finished and the opening one was never sent (the process stopped in
    // between): this process does not send it; the order ends with what the closing one did.
    if (!open && ["FILLED", "CANCELED", "EXPIRED", "REJECTED"].includes(s.close.state)) {
      s.canceled = true;
    }
    return s;
  }

  /** The opening leg's request (once the closing leg has filled). */
  openRequest(s: Split): OrderRequest {
    const { client_seq: _seq, ...rest } = s.request; // not the leg's number (see `start`)
    return {
      ...rest,
      client_order_id: legId(s.request.client_order_id, "open"),
      amount: s.open.amount,
    };
  }

  /** Takes in what Alpaca reports of one leg. */
  observe(coid: string, which: Leg, view: BrokerOrder): Split | undefined {
    const s = this.splits.get(coid);
    if (!s) return undefined;
    const l = which === "close" ? s.close : s.open;
    l.filled = Math.abs(view.filled);
    l.value = l.filled * view.avg_fill_price;
    l.state = view.state;
    if (view.broker_order_id) l.alpacaId = view.broker_order_id;
    if (which === "open") s.open.sent = true;
    return s;
  }

  /** The order the strategy placed, as one: both legs' fills, the state from `stateOfSplit`. */
  view(s: Split): BrokerOrder {
    const shares = s.close.filled + s.open.filled, r = s.request;
    return {
      client_order_id: r.client_order_id,
      broker_order_id: (s.open.sent ? s.open.alpacaId : "") || s.close.alpacaId,
      symbol: r.symbol,
      amount: r.amount,
      filled: Math.sign(r.amount) * shares,
      avg_fill_price: shares ? (s.close.value + s.open.value) / shares : 0,
      state: stateOfSplit(s),
      limit_price: r.limit_price,
      stop_price: r.stop_price,
      submitted_at: s.submittedAt,
    };
  }

  /** The Alpaca id of the leg that is live now (the one a cancel must reach); "" between them. */
  liveId(s: Split): string {
    if (s.open.sent) return s.open.alpacaId;
    return ["FILLED", "CANCELED", "REJECTED", "EXPIRED"].includes(s.close.state)
      ? ""
      : s.close.alpacaId;
  }
}
