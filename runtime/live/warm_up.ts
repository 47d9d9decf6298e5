/**
 * Runs the order path — risk gate, ids, journal lines, the state table, fills into a ledger — a
 * few hundred times on throw-away objects before the first bar, so the JIT has compiled it when
 * the first real orders go out: the first bar after a start is often the open, where latency
 * matters most. Nothing here touches the session's ledger, journal, broker or order ids.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Asset } from "../assets/asset.ts";
import type { Broker, BrokerEvent, BrokerOrder, OrderRequest } from "../model/broker.ts";
import type { OrderState } from "../orders/state.ts";
import { Ledger } from "../finance/ledger.ts";
import { ClientOrderIds } from "../orders/ids.ts";
import { OrderManager } from "../orders/manager.ts";
import { RiskGate } from "../orders/risk.ts";
import { Journal } from "./journal.ts";

/** A venue that acknowledges every order at once and fills three in four. */
class EchoVenue {
  readonly name = "warm-up";
  private listener: (e: BrokerEvent) => void = () => {};
  private n = 0;
  onEvent(listener: (e: BrokerEvent) => void): void {
    this.listener = listener;
  }
  submit(r: OrderRequest): Promise<void> {
    const time = Date.now(), n = ++this.n;
    const order = brokerOrder(r.client_order_id, `w${n}`, r.symbol, r.amount, "WORKING", time);
    this.listener({ type: "order", event: "ack", order, time });
    if (n % 4 === 0) return Promise.resolve();
    this.listener({
      type: "fill",
      fill: {
        client_order_id: r.client_order_id,
        broker_order_id: order.broker_order_id,
        exec_id: `w${n}`,
        symbol: r.symbol,
        amount: r.amount,
        price: 100,
        commission: 0,
        time,
      },
    });
    this.listener({
      type: "order",
      event: "fill",
      order: { ...order, filled: r.amount, avg_fill_price: 100, state: "FILLED" },
      time,
    });
    return Promise.resolve();
  }
  cancel(coid: string): Promise<void> {
    const time = Date.now();
    const order = brokerOrder(coid, coid, "", 0, "CANCELED", time);
    this.listener({ type: "order", event: "canceled", order, time });
    return Promise.resolve();
  }
}

function brokerOrder(
  coid: string,
  brokerId: string,
  symbol: string,
  amount: number,
  state: OrderState,
  time: number,
): BrokerOrder {
  return {
    client_order_id: coid,
    broker_order_id: brokerId,
    symbol,
    amount,
    filled: 0,
    avg_fill_price: 0,
    state,
    limit_price: null,
    stop_price: null,
    submitted_at: time,
  };
}

export async function warmUpOrderPath(asset: Asset, rounds = 300): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "hv-warm-up-"));
  const journal = new Journal(join(dir, "journal.jsonl"));
  try {
    const venue = new EchoVenue();
    const manager = new OrderManager({
      broker: venue as unknown as Broker,
      audit: journal,
      risk: new RiskGate(),
      ids: new ClientOrderIds(),
      ledger: new Ledger(1e9, 0),
      assetOf: () => asset,
      priceOf: () => 100,
      now: Date.now,
      warn: () => {},
    });
    for (let i = 0; i < rounds; i++) {
      const id = await manager.place(asset, i % 2 ? -10 : 10, null, null);
      if (id && i % 4 === 3) await manager.cancel(id);
      manager.drain();
      if (i % 20 === 19) journal.writeOut();
    }
  } finally {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
