/**
 * The order state machine, as one table: (state, event) → next state. Every transition of every
 * live order goes through `transition`; an event the table does not allow is refused (logged and
 * counted by the caller), never applied. Late venue events that are normal in practice have
 * explicit rows with the reason (e.g. a fill that races a cancel).
 */

import type { OrderEvent, OrderState } from "../model/order_state.ts";

export { isOpen, ORDER_EVENTS, ORDER_STATES, TERMINAL } from "../model/order_state.ts";
export type { OrderEvent, OrderState };

type Table = Partial<Record<OrderState, Partial<Record<OrderEvent, OrderState>>>>;

/** The whole state machine. */
export const TRANSITIONS: Table = {
  NEW: {
    submit: "SUBMITTED",
    rejected: "REJECTED", // refused before sending (risk gate, dry run)
    canceled: "CANCELED", // withdrawn before sending
  },
  SUBMITTED: {
    ack: "WORKING",
    updated: "SUBMITTED",
    partial_fill: "PARTIALLY_FILLED", // a fill can beat the acknowledgement
    fill: "FILLED",
    rejected: "REJECTED",
    cancel_request: "PENDING_CANCEL",
    canceled: "CANCELED",
    expired: "EXPIRED",
  },
  WORKING: {
    ack: "WORKING", // duplicate acknowledgements (stream and REST re-sync) are harmless
    updated: "WORKING", // amended at the venue (a split rescales it; a stop was triggered)
    partial_fill: "PARTIALLY_FILLED",
    fill: "FILLED",
    cancel_request: "PENDING_CANCEL",
    canceled: "CANCELED",
    rejected: "REJECTED",
    expired: "EXPIRED",
  },
  PARTIALLY_FILLED: {
    ack: "PARTIALLY_FILLED",
    updated: "PARTIALLY_FILLED",
    partial_fill: "PARTIALLY_FILLED",
    fill: "FILLED",
    cancel_request: "PENDING_CANCEL",
    canceled: "CANCELED",
    expired: "EXPIRED",
  },
  PENDING_CANCEL: {
    // Fills race cancels at every venue: they are real executions and must be booked.
    partial_fill: "PENDING_CANCEL",
    fill: "FILLED",
    canceled: "CANCELED",
    cancel_reject: "WORKING",
    expired: "EXPIRED",
    ack: "PENDING_CANCEL",
    updated: "PENDING_CANCEL",
    // The venue rejects the order itself while our cancel is on its way (nautilus keeps this
    // row as a "real world possibility"): the order is over either way.
    rejected: "REJECTED",
  },
  // A fill reported after the cancel confirmation (seen at IB and Alpaca): the shares are ours.
  CANCELED: { fill: "FILLED", partial_fill: "CANCELED" },
  // A fill reported after the expiry (a day order executed in the last second of the session,
  // reported after the venue's end-of-day expiry): real executions, booked.
  EXPIRED: { fill: "FILLED", partial_fill: "EXPIRED" },
};

/** The next state, or null when the table does not allow the event in this state. */
export function transition(from: OrderState, event: OrderEvent): OrderState | null {
  return TRANSITIONS[from]?.[event] ?? null;
}
