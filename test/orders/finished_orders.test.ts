/**
 * A backtest's finished orders give up their objects at the session's end and live on as columns
 * (`FinishedOrders`, `OrderTable.compact`): whatever is read back — `get_order`, the order table's
 * lookups and iteration, the orders table of the results — is what the order was.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { Asset } from "../../runtime/assets/asset.ts";
import { commission, slippage } from "../../runtime/api/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { ClientOrderId, VenueOrderId } from "../../runtime/model/ids.ts";
import { FinishedOrders } from "../../runtime/orders/finished_orders.ts";
import { ClientOrderIds } from "../../runtime/orders/ids.ts";
import { ManagedOrder, type OrderSnapshot } from "../../runtime/orders/order.ts";
import { OrderTable } from "../../runtime/orders/order_table.ts";
import { tempRoot } from "../bundles/helpers.ts";

const AAPL = new Asset(3, "AAPL", "Apple", "NASDAQ", 0, Infinity, Infinity);
const ids = new ClientOrderIds("abc");

/** An order with every field away from its default. */
function finished(seq: number, over: Partial<ManagedOrder> = {}): ManagedOrder {
  const o = new ManagedOrder(
    ids.idOf(seq) as ClientOrderId,
    AAPL,
    -40,
    101.25,
    99.5,
    Date.UTC(2014, 0, 2, 21),
  );
  Object.assign(o, {
    dt: Date.UTC(2014, 0, 3, 21),
    filled: -25,
    commission: 1.375,
    avg_fill_price: 100.0625,
    limit_reached: true,
    stop_reached: true,
    reason: "expired at the close",
    broker_order_id: "simulated-7" as VenueOrderId,
    state: "EXPIRED",
    external: true,
    last_event_at: Date.UTC(2014, 0, 3, 21, 0, 1),
    ...over,
  });
  return o;
}

/** Every field the manager and the API read (not the ledger's and table's bookkeeping). */
const fields = (o: ManagedOrder) => {
  const { ledgerSession: _s, ledgerSlot: _l, tableSeq: _t, ...rest } = o;
  return { ...rest, status: o.status, open: o.open };
};

describe("FinishedOrders", () => {
  test("an order comes back with every field it had", () => {
    const store = new FinishedOrders();
    const a = finished(5);
    const b = finished(3000, {
      limit: null,
      stop: null,
      limit_reached: false,
      stop_reached: false,
      reason: null,
      broker_order_id: null,
      state: "FILLED",
      external: false,
      filled: -40,
      commission: 0,
    });
    store.store(5, a);
    store.store(3000, b); // past the first block: the columns grow
    expect(fields(store.get(5, a.id)!)).toEqual(fields(a));
    expect(fields(store.get(3000, b.id)!)).toEqual(fields(b));
    expect(store.get(4, ids.idOf(4) as ClientOrderId)).toBeUndefined();
    store.drop(5);
    expect(store.has(5)).toBe(false);
    expect(store.get(5, a.id)).toBeUndefined();
  });

  test("each order keeps its own asset and venue id, of whatever form", () => {
    const MSFT = new Asset(4, "MSFT", "Microsoft", "NASDAQ", 0, Infinity, Infinity);
    const store = new FinishedOrders();
    // The first venue id sets the family the numbers are kept by; the others are of another
    // family, too long a number for the columns, or none.
    const venueIds = ["simulated-7", "simulated-123456789012", "ib:4711", null, "simulated-08"];
    const orders = venueIds.map((v, k) =>
      finished(10 + k, {
        asset: k % 2 ? MSFT : AAPL,
        broker_order_id: v as VenueOrderId | null,
      } as Partial<ManagedOrder>)
    );
    orders.forEach((o, k) => store.store(10 + k, o));
    orders.forEach((o, k) => expect(fields(store.get(10 + k, o.id)!)).toEqual(fields(o)));
    // Stored again at the same number with another form of id: the last one stored is read.
    const again = finished(12, { broker_order_id: "simulated-9" as VenueOrderId });
    store.store(12, again);
    expect(store.get(12, again.id)!.broker_order_id).toBe("simulated-9");
    expect(store.get(12, again.id)!.asset).toBe(AAPL);
  });

  test("prices and last events kept apart follow the order stored last at a number", () => {
    const store = new FinishedOrders();
    const limited = finished(7);
    store.store(7, limited);
    // The same number stored again as a market order whose last event is its dt: no leftovers.
    const market = finished(7, {
      limit: null,
      stop: null,
      last_event_at: Date.UTC(2014, 0, 3, 21),
    });
    store.store(7, market);
    expect(fields(store.get(7, market.id)!)).toEqual(fields(market));
    // A stop order alone, and a NaN last event (an order restored without one) kept as NaN.
    const stop = finished(8, { limit: null, last_event_at: NaN });
    store.store(8, stop);
    const back = store.get(8, stop.id)!;
    expect(back.limit).toBeNull();
    expect(back.stop).toBe(99.5);
    expect(back.last_event_at).toBeNaN();
    // Dropped and stored again without prices: the old ones are gone.
    store.drop(8);
    store.store(8, finished(8, { limit: null, stop: null }));
    expect(store.get(8, stop.id)!.stop).toBeNull();
  });
});

describe("OrderTable.compact", () => {
  test("lookups, iteration, replacement and deletion see a compacted order as it was", () => {
    const t = new OrderTable(ids);
    const [a, b, c] = [1, 2, 3].map((s) => finished(s));
    const other = finished(9);
    const ext = Object.assign(other, { id: "ext-1" });
    t.setMinted(1, a).set(ext.id, ext).setMinted(2, b).setMinted(3, c);
    t.compact(a);
    t.compact(c);
    t.compact(ext); // not one of the family's ids: stays an object
    expect(t.get(ext.id)).toBe(ext);
    expect(fields(t.get(a.id)!)).toEqual(fields(a));
    expect(t.get(a.id)).not.toBe(a); // built again
    expect(t.has(c.id)).toBe(true);
    expect([...t.values()].map((o) => o.id)).toEqual([a.id, ext.id, b.id, c.id]);
    expect([...t.values()].map(fields)).toEqual([a, ext, b, c].map(fields));
    expect(t.size).toBe(4);

    const a2 = finished(1, { state: "FILLED", filled: -40 });
    t.set(a.id, a2); // a replacement takes its place and its object is kept
    expect(t.get(a.id)).toBe(a2);
    expect(t.delete(c.id)).toBe(true);
    expect(t.delete(c.id)).toBe(false);
    expect(t.get(c.id)).toBeUndefined();
    expect([...t.values()].map((o) => o.id)).toEqual([a.id, ext.id, b.id]);
    expect(t.size).toBe(3);
  });
});

describe("a backtest's finished orders", () => {
  let root: string;
  beforeAll(() => {
    root = tempRoot();
  });

  test("get_order days later answers what it answered when the order finished", async () => {
    const seen = new Map<string, OrderSnapshot[]>();
    let openAtEnd: string[] = [];
    const r = await run_algorithm({
      strategy: {
        initialize: async (c) => {
          c.a = await c.symbol("AAPL");
          c.set_slippage(new slippage.FixedSlippage({ spread: 0.02 }));
          c.set_commission(new commission.PerShare({ cost: 0.01, min_trade_cost: 1 }));
          c.ids = [];
          c.day = 0;
        },
        handle_data: async (c) => {
          c.day += 1;
          if (c.day === 1) {
            c.ids.push(await c.order(c.a, 10)); // fills on day 2
            c.ids.push(await c.order(c.a, -5, { limit_price: 1 })); // fills on day 2 too
            c.ids.push(await c.order(c.a, 3, { limit_price: 1 })); // never fills
          }
          if (c.day === 2) await c.cancel_order(c.ids[2]);
          for (const id of c.ids) {
            const list = seen.get(id) ?? [];
            list.push((await c.get_order(id))!);
            seen.set(id, list);
          }
          if (c.day === 6) openAtEnd = [...(await c.get_open_orders()).keys()].map((a) => a.symbol);
        },
      },
      start: "2014-01-02",
      end: "2014-01-10",
      root,
      no_benchmark: true,
    });
    expect(openAtEnd).toEqual([]);
    const [filled, sold, cancelled] = [...seen.values()];
    // Day 2's answer (the order still an object) is every later day's (built from columns).
    expect(filled[1].status).toBe(1);
    expect(filled[1].commission).toBe(1);
    expect(sold[1].status).toBe(1);
    expect(cancelled[1].status).toBe(2);
    for (const list of [filled, sold, cancelled]) {
      expect(list.length).toBe(7);
      for (const later of list.slice(2)) expect(later).toEqual(list[1]);
    }
    // The results' orders table has each order's rows, ids and creation times intact.
    const ids = new Set(r.orders.map((o) => o.order_id));
    expect(ids).toEqual(new Set([...seen.keys()]));
    for (const o of r.orders) {
      expect(o.created).toBe(seen.get(o.order_id)![0].created.getTime());
      expect(o.symbol).toBe("AAPL");
    }
  });
});
