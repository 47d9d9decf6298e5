/**
 * Periodic queries of in-flight orders. At a bar boundary, our orders that have waited on the
 * broker too long are asked about by client order id: SUBMITTED (no acknowledgement) or
 * PENDING_CANCEL (cancel not confirmed) past `after_ms`, WORKING or PARTIALLY_FILLED without any
 * event past `quiet_ms`. Each order is asked at most once per its threshold, at most
 * `max_per_check` per check, the longest-waiting first, and every query is journaled
 * (`inflight_query`).
 *
 * The answer becomes the order event the broker would have sent, applied through the transition
 * table like any other (`verdict` decides it, a pure function). Executions are never made up
 * here: they arrive as fill events. When the broker reports more filled than we booked, an
 * `inflight_fill_gap` line and a warning say so, and the order moves no further than WORKING, so
 * no state outruns its fills; the adapter's re-sync or the next restart's reconciliation books
 * them. An order the broker still does not know after the threshold was never received: it ends
 * REJECTED, and it is never sent again.
 */
import type { OrderLookup } from "./order_table.ts";
import { DAY_MS } from "../../calendars/days.ts";
import type { Broker, BrokerOrder } from "../model/broker.ts";
import { InvalidInputError } from "../errors.ts";
import type { AuditLog } from "./audit.ts";
import type { ManagedOrder } from "./order.ts";
import { type OrderEvent, type OrderState, TERMINAL, transition } from "./state.ts";

/** How long a move made by a query waits for the broker's own report of it (see `confirms`). */
const CONFIRM_WITHIN_MS = DAY_MS;

/** When orders are asked about; times are the session clock's (`now()`) milliseconds. */
export interface InFlightPolicy {
  /** SUBMITTED or PENDING_CANCEL for longer than this: asked. @default 30000 */
  after_ms?: number;
  /** WORKING or PARTIALLY_FILLED without an event for longer than this: asked. @default 300000 */
  quiet_ms?: number;
  /** Queries per check at most, the longest-waiting orders first. @default 20 */
  max_per_check?: number;
}

/**
 * The policy from the session's settings, in seconds (`--inflight-after`,
 * `--working-quiet-after`); absent ones keep their defaults.
 *
 * @example
 * ```ts
 * inFlightPolicy(10, 120); // { after_ms: 10000, quiet_ms: 120000 }
 * ```
 */
export function inFlightPolicy(afterS?: number, quietS?: number): InFlightPolicy {
  return {
    after_ms: afterS === undefined ? undefined : afterS * 1000,
    quiet_ms: quietS === undefined ? undefined : quietS * 1000,
  };
}

/** What the broker's answer means for one of our orders. */
export interface Verdict {
  /** The event to apply through the transition table; null: nothing changes. */
  event: OrderEvent | null;
  /** Why, for the journal's transition line. */
  reason?: string;
  /** The broker reports more shares filled than we booked (executions yet to arrive). */
  gap: boolean;
}

/** The event that brings an order to a state the broker reports. */
const EVENT_FOR: Partial<Record<OrderState, OrderEvent>> = {
  PENDING_CANCEL: "ack", // the broker has it (a cancel is ours to request, not to infer)
  WORKING: "ack",
  PARTIALLY_FILLED: "partial_fill",
  FILLED: "fill",
  CANCELED: "canceled",
  REJECTED: "rejected",
  EXPIRED: "expired",
};

/**
 * Decides what an answer changes for an order we hold in `state` with `booked` shares filled
 * (signed, as the broker's `filled`), asked `ageMs` after its last event.
 *
 * @example
 * ```ts
 * verdict("SUBMITTED", 0, null, 45_000);
 * // { event: "rejected", reason: "unknown to the broker after 45s", gap: false }
 * ```
 */
export function verdict(
  state: OrderState,
  booked: number,
  b: BrokerOrder | null,
  ageMs: number,
): Verdict {
  const after = `after ${Math.round(ageMs / 1000)}s`;
  if (!b) {
    // Only an order never acknowledged is lost for sure; one the broker acknowledged may have
    // fills, so it is left to the reconciliation at the next restart (the warning says so).
    return state === "SUBMITTED"
      ? { event: "rejected", reason: `unknown to the broker ${after}`, gap: false }
      : { event: null, gap: false };
  }
  const gap = Math.abs(b.filled) > Math.abs(booked) + 1e-9;
  const fillState = b.state === "FILLED" || b.state === "PARTIALLY_FILLED";
  let event: OrderEvent | null;
  if (state === "PENDING_CANCEL" && (b.state === "WORKING" || (fillState && !gap))) {
    // Still open at the broker, not pending cancel: the cancel was lost or refused. A filled
    // order with every execution booked is simply filled.
    event = b.state === "FILLED" ? "fill" : "cancel_reject";
  } else if (gap && fillState) {
    // The executions are on their way: the answer only proves the broker has the order.
    event = state === "SUBMITTED" ? "ack" : null;
  } else event = EVENT_FOR[b.state] ?? null;
  // An event that changes nothing is not applied; one the table refuses is (and is counted).
  if (event !== null && transition(state, event) === state) event = null;
  const reason = event === "cancel_reject"
    ? `cancel not confirmed: the broker reports ${b.state} ${after}`
    : event === null
    ? undefined
    : `in-flight query: the broker reports ${b.state} ${after}`;
  return { event, reason, gap };
}

/** What a check needs from the order manager's dependencies (ManagerDeps satisfies it). */
export interface InFlightDeps {
  readonly broker: Pick<Broker, "order">;
  readonly audit: AuditLog;
  now(): number;
  warn(event: string, fields: Record<string, unknown>): void;
}

/** What a check needs from the order manager itself, which stays the one owner of its orders. */
export interface InFlightHost {
  readonly orders: OrderLookup;
  /** Applies the broker events queued so far. */
  drain(): number;
  /**
   * Applies an event to an order through the transition table: as if the broker had sent it with
   * its view `b`, or, when the broker does not know the order (null), as our own conclusion.
   */
  settle(m: ManagedOrder, event: OrderEvent, reason: string, b: BrokerOrder | null): void;
}

/** The in-flight checks of one order manager: its policy and when each order was last asked. */
export class InFlightWatch {
  readonly afterMs: number;
  readonly quietMs: number;
  readonly maxPerCheck: number;
  /** Queries made (the `harvester_inflight_queries_total` counter). */
  queries = 0;
  /** Client order id → session time of its last query (open orders only). */
  private readonly asked = new Map<string, number>();
  /** Moves made by queries, by order, until the broker's own report of them arrives. */
  private readonly applied = new Map<string, { event: OrderEvent; to: OrderState; at: number }>();

  constructor(policy: InFlightPolicy = {}) {
    this.afterMs = positive("inflight_after", policy.after_ms, 30_000);
    this.quietMs = positive("working_quiet_after", policy.quiet_ms, 300_000);
    this.maxPerCheck = positive("max_per_check", policy.max_per_check, 20);
  }

  /** How long an order in this state may wait for the broker; null: not waiting on it. */
  limitOf(state: OrderState): number | null {
    if (state === "SUBMITTED" || state === "PENDING_CANCEL") return this.afterMs;
    if (state === "WORKING" || state === "PARTIALLY_FILLED") return this.quietMs;
    return null;
  }

  /** Our orders due for a query at `now`, with their ages, the longest-waiting first. */
  due(orders: OrderLookup, now: number): [ManagedOrder, number][] {
    for (const id of this.asked.keys()) {
      const m = orders.get(id);
      if (!m || TERMINAL.has(m.state)) this.asked.delete(id);
    }
    for (const [id, a] of this.applied) if (now - a.at > CONFIRM_WITHIN_MS) this.applied.delete(id);
    const out: [ManagedOrder, number][] = [];
    for (const m of orders.values()) {
      const limit = m.external ? null : this.limitOf(m.state);
      if (limit === null) continue;
      const age = now - m.last_event_at;
      if (!(age > limit)) continue; // NaN (no known event time) is never due
      const last = this.asked.get(m.id);
      if (last !== undefined && now - last < limit) continue;
      out.push([m, age]);
    }
    out.sort((a, b) => b[1] - a[1]);
    return out.length > this.maxPerCheck ? out.slice(0, this.maxPerCheck) : out;
  }

  /** Asks the broker about every due order and applies the answers; returns how many. */
  async check(d: InFlightDeps, h: InFlightHost): Promise<number> {
    h.drain();
    const due = this.due(h.orders, d.now());
    for (const [m, age] of due) {
      const coid = m.id, state = m.state;
      this.asked.set(coid, d.now());
      this.queries++;
      let b: BrokerOrder | null;
      try {
        b = await d.broker.order(coid);
      } catch (e) {
        const error = (e as Error).message;
        d.audit.write("inflight_query", { client_order_id: coid, state, age_ms: age, error });
        d.warn("inflight_query_failed", {
          message: `order ${coid} (${state}): the broker could not be asked: ${error}`,
        });
        continue;
      }
      // Events that arrived meanwhile are applied first: the answer is judged against them.
      h.drain();
      const moved = m.state !== state;
      const v: Verdict = moved ? { event: null, gap: false } : verdict(state, m.filled, b, age);
      d.audit.write("inflight_query", {
        client_order_id: coid,
        state,
        age_ms: age,
        result: b?.state ?? "UNKNOWN",
        broker_filled: b?.filled,
        event: v.event ?? undefined,
        moved_meanwhile: moved || undefined,
      });
      if (v.gap) gapFound(d, m, b!);
      if (!b && !moved) {
        d.warn(v.event ? "inflight_lost" : "inflight_unknown", {
          message: v.event
            ? `order ${coid} never reached the broker (${v.reason}): REJECTED, not sent again`
            : `order ${coid} is ${state} here but unknown to the broker; ` +
              "left for reconciliation at the next restart",
        });
      }
      if (v.event === null) continue;
      // Under our id whatever the broker calls it (a replacement's, say): the order is this one.
      h.settle(m, v.event, v.reason ?? "", b && { ...b, client_order_id: coid });
      if (m.state !== state) this.applied.set(coid, { event: v.event, to: m.state, at: d.now() });
    }
    return due.length;
  }

  /**
   * Whether a broker event is only the late report of a move a query already made (the cancel
   * confirmation, rejection or fill report the query was for), which the table would refuse in
   * the state the query left: consumed once and journaled (`inflight_confirmed`), never counted
   * as refused. Anything else goes through the table as usual.
   */
  confirms(m: ManagedOrder, event: OrderEvent, journal: AuditLog): boolean {
    // Nothing applied (every backtest): no lookup, which would hash a fresh id string.
    if (this.applied.size === 0) return false;
    const a = this.applied.get(m.id);
    if (!a || a.event !== event || a.to !== m.state || transition(m.state, event) !== null) {
      return false;
    }
    this.applied.delete(m.id);
    journal.write("inflight_confirmed", { client_order_id: m.id, event });
    return true;
  }
}

function gapFound(d: InFlightDeps, m: ManagedOrder, b: BrokerOrder): void {
  const booked = m.filled;
  d.audit.write("inflight_fill_gap", {
    client_order_id: m.id,
    state: m.state,
    broker_state: b.state,
    booked,
    broker_filled: b.filled,
  });
  d.warn("inflight_fill_gap", {
    message: `order ${m.id}: the broker reports ${b.filled} filled (${b.state}), ` +
      `${booked} booked here; the missing executions are booked when they arrive (the ` +
      "broker's re-sync or the next restart's reconciliation)",
  });
}

function positive(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!(v > 0) || !Number.isFinite(v)) throw new InvalidInputError(name, v, "must be > 0");
  return v;
}
