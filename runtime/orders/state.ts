/**
 * The order state machine, as one table: (state, event) → next state. Every transition of every
 * live order goes through `transition`; an event the table does not allow is refused (logged and
 * counted by the caller), never applied. Late venue events that are normal in practice have
 * explicit rows with the reason (e.g. a fill that races a cancel).
 */

export const ORDER_STATES = [
  "NEW", // minted and persisted, not yet sent
  "SUBMITTED", // sent; the broker has not acknowledged it
  "WORKING", // acknowledged, resting
  "PARTIALLY_FILLED",
  "PENDING_CANCEL", // a cancel was requested
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
] as const;
export type OrderState = typeof ORDER_STATES[number];

export const ORDER_EVENTS = [
  "submit", // handed to the broker
  "ack", // the broker accepted it
  "partial_fill",
  "fill", // the last fill: nothing open remains
  "cancel_request",
  "cancel_reject", // the broker refused the cancel: back to where it was
  "canceled",
  "rejected",
  "expired",
] as const;
export type OrderEvent = typeof ORDER_EVENTS[number];

/** Terminal states: nothing can happen to the order any more. */
export const TERMINAL: ReadonlySet<OrderState> = new Set([
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
]);

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
    partial_fill: "PARTIALLY_FILLED", // a fill can beat the acknowledgement
    fill: "FILLED",
    rejected: "REJECTED",
    cancel_request: "PENDING_CANCEL",
    canceled: "CANCELED",
    expired: "EXPIRED",
  },
  WORKING: {
    ack: "WORKING", // duplicate acknowledgements (stream and REST re-sync) are harmless
    partial_fill: "PARTIALLY_FILLED",
    fill: "FILLED",
    cancel_request: "PENDING_CANCEL",
    canceled: "CANCELED",
    rejected: "REJECTED",
    expired: "EXPIRED",
  },
  PARTIALLY_FILLED: {
    ack: "PARTIALLY_FILLED",
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
  },
  // A fill reported after the cancel confirmation (seen at IB and Alpaca): the shares are ours.
  CANCELED: { fill: "FILLED", partial_fill: "CANCELED" },
};

/** The next state, or null when the table does not allow the event in this state. */
export function transition(from: OrderState, event: OrderEvent): OrderState | null {
  return TRANSITIONS[from]?.[event] ?? null;
}

/** Whether the order is still live at the broker (may fill). */
export function isOpen(state: OrderState): boolean {
  return !TERMINAL.has(state) && state !== "NEW";
}
