/**
 * Identifiers as distinct types, so a venue's order id can never be passed where our client order
 * id is expected (nautilus' `ClientOrderId` / `VenueOrderId` / `TradeId`). At run time they are
 * plain strings and numbers; the brand exists only for the type checker. Values cross into these
 * types at the boundary that mints or receives them (`asClientOrderId`, …).
 */
declare const brand: unique symbol;
type Branded<T, B extends string> = T & { readonly [brand]: B };

/** Our id of an order: minted once per order, sent to the broker, the key of a restart. */
export type ClientOrderId = Branded<string, "ClientOrderId">;
/** The venue's own id of an order (Alpaca `id`, IB `permId`). */
export type VenueOrderId = Branded<string, "VenueOrderId">;
/** One execution's id at its venue: a fill is booked once per id. */
export type ExecId = Branded<string, "ExecId">;
/** An asset's security id in its bundle. */
export type Sid = Branded<number, "Sid">;

export const asClientOrderId = (s: string): ClientOrderId => s as ClientOrderId;
export const asVenueOrderId = (s: string): VenueOrderId => s as VenueOrderId;
export const asExecId = (s: string): ExecId => s as ExecId;
export const asSid = (n: number): Sid => n as Sid;
