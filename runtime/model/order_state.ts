/**
 * What an order can be and what can happen to it — the vocabulary shared by the order manager,
 * the broker adapters and the simulated venue. The transition table itself (which event moves
 * which state where) lives in `orders/state.ts`, the one place transitions are decided.
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
  "updated", // the venue changed its amount or prices (a split), or reported its triggers
  "partial_fill",
  "fill", // the last fill: nothing open remains
  "cancel_request",
  "cancel_reject", // the broker refused the cancel: back to where it was
  "canceled",
  "rejected",
  "expired",
] as const;
export type OrderEvent = typeof ORDER_EVENTS[number];

/** Terminal states: nothing can happen to the order any more (but the table's late rows). */
export const TERMINAL: ReadonlySet<OrderState> = new Set([
  "FILLED",
  "CANCELED",
  "REJECTED",
  "EXPIRED",
]);

/** Whether the order is still live at the broker (may fill). */
export function isOpen(state: OrderState): boolean {
  return !TERMINAL.has(state) && state !== "NEW";
}
