/**
 * The results recorder keys the run's own order ids by the number the order carries
 * (`tableSeq`) instead of reading each id's digits: the orders table still names every order by
 * its own id, whichever family the recorder met first (a live session's first order can be
 * another client's, adopted from the broker).
 */
import { describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { Ledger } from "../../runtime/finance/ledger.ts";
import { Recorder } from "../../runtime/metrics/recorder.ts";
import type { ClientOrderId } from "../../runtime/model/ids.ts";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import { ManagedOrder } from "../../runtime/orders/order.ts";

const AAPL = new Asset(1, "AAPL", "Apple", "NASDAQ", 0, Infinity, Infinity);
const DAY = Date.UTC(2014, 0, 2);

/** An order of ours (numbered as the order table numbers it) or another client's. */
function order(id: string, seq: number): ManagedOrder {
  const o = new ManagedOrder(id as ClientOrderId, AAPL, 10, null, null, DAY + 1000);
  o.tableSeq = seq;
  return o;
}

/**
 * The order ids of the orders table; the transactions table, with a fill of each order booked as
 * the order manager books it (its order's number beside the id), must name the same ids.
 */
function recorded(orders: ManagedOrder[]): string[] {
  const ledger = new Ledger(1e6, DAY);
  const recorder = new Recorder(ledger, new Float64Array([DAY]));
  for (const o of orders) {
    ledger.process_order(o);
    ledger.process_transaction({
      asset: o.asset,
      amount: o.amount,
      dt: DAY + 2000,
      price: 10,
      order_id: o.id,
      order_seq: o.tableSeq,
    });
  }
  recorder.endOfSession(0, DAY);
  const ids = recorder.orders.map((r) => r.order_id as string);
  expect(recorder.transactions.map((t) => t.order_id)).toEqual(ids);
  return ids;
}

describe("order ids in the orders table", () => {
  const ids = new ClientOrderIds("0a1b2c3d");
  const own = [1, 2, 1234567].map((n) => order(ids.idOf(n), n));

  test("the run's own ids, keyed by their number", () => {
    expect(recorded(own)).toEqual(own.map((o) => o.id));
  });

  test("another family's order first: ours are still named by their own ids", () => {
    // The recorder learns the family of the first id it meets; here it is not ours, so our
    // numbers are not its keys and each id is kept as it is.
    const theirs = [order("ext-client-77", -1), order("ext-client-78", -1)];
    const all = [theirs[0], ...own, theirs[1]];
    expect(recorded(all)).toEqual(all.map((o) => o.id));
  });

  test("each row names its own asset; transactions keep their order's id, another's, or none", () => {
    const MSFT = new Asset(2, "MSFT", "Microsoft", "NASDAQ", 0, Infinity, Infinity);
    const ledger = new Ledger(1e6, DAY);
    const recorder = new Recorder(ledger, new Float64Array([DAY, DAY + 86_400_000]));
    const a = order(ids.idOf(1), 1), m = order(ids.idOf(2), 2), ext = order("ext-client-9", -1);
    Object.assign(m, { asset: MSFT, amount: -5 });
    for (const o of [a, m, ext]) ledger.process_order(o);
    // As the order manager books them: with their order's number in the order table.
    const txn = (asset: Asset, amount: number, o: ManagedOrder | null) => ({
      asset,
      amount,
      dt: DAY + 2000,
      price: 10.25,
      order_id: o ? o.id : null,
      order_seq: o ? o.tableSeq : -1,
    });
    ledger.process_transaction(txn(AAPL, 10, a));
    ledger.process_transaction(txn(MSFT, -5, m));
    ledger.process_transaction(txn(AAPL, 3, ext));
    recorder.endOfSession(0, DAY);
    // The next session: a close without an order (a delisted asset's).
    ledger.start_of_session();
    ledger.process_transaction(txn(AAPL, -13, null));
    recorder.endOfSession(1, DAY + 86_400_000);
    expect(recorder.orders.map((r) => [r.order_id, r.sid, r.symbol, r.amount])).toEqual([
      [a.id, 1, "AAPL", 10],
      [m.id, 2, "MSFT", -5],
      ["ext-client-9", 1, "AAPL", 10],
    ]);
    expect(recorder.transactions.map((t) => [t.order_id, t.sid, t.symbol, t.amount])).toEqual([
      [a.id, 1, "AAPL", 10],
      [m.id, 2, "MSFT", -5],
      ["ext-client-9", 1, "AAPL", 3],
      [null, 1, "AAPL", -13],
    ]);
    expect(recorder.transactionCount).toBe(4);
  });

  test("an order whose number is not its id's (rebuilt, or unnumbered) keeps its id", () => {
    const odd = [order(ids.idOf(5), 5), order(ids.idOf(6), -1), order("hv0a1b2c3d-007", -1)];
    expect(recorded(odd)).toEqual(odd.map((o) => o.id));
  });
});
