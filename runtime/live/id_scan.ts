/**
 * After a crash: which of our reserved ids reached the broker. Ids are reserved in blocks before
 * any of them is used (orders/ids.ts), so every order sent since the last save carries an id
 * between the saved sequence and the highest reservation the journal holds. The whole block is
 * scanned — an id lost on its way out says nothing of the next one — from one listing when the
 * broker has one (`ordersSince`), else id by id.
 */
import type { Broker, BrokerOrder } from "../model/broker.ts";
import type { ClientOrderIds } from "../orders/ids.ts";

/**
 * Orders of ids `ids.sequence`…`ceiling` the broker has, except those `known` already, by id.
 *
 * @example
 * ```ts
 * const found = await scanReservedIds(broker, ids, 2000, saved.last_bar_time - 1, (id) => manager.orders.has(id));
 * ```
 */
export async function scanReservedIds(
  broker: Pick<Broker, "order" | "ordersSince">,
  ids: Pick<ClientOrderIds, "sequence" | "idOf">,
  ceiling: number,
  sinceMs: number,
  known: (id: string) => boolean,
): Promise<Map<string, BrokerOrder>> {
  const found = new Map<string, BrokerOrder>();
  if (ceiling < ids.sequence) return found;
  const listed = broker.ordersSince
    ? new Map((await broker.ordersSince(sinceMs)).map((b) => [b.client_order_id, b]))
    : null;
  for (let seq = ids.sequence; seq <= ceiling; seq++) {
    const id = ids.idOf(seq);
    if (known(id)) continue;
    const b = listed ? listed.get(id) : await broker.order(id);
    if (b) found.set(id, b);
  }
  return found;
}
