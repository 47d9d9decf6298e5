/**
 * A fake TWS and an IB broker connected to it, with every broker event collected. Short timeouts
 * and backoff keep the scenarios fast; waits poll for events (the network is real, 127.0.0.1).
 */
import type { BrokerEvent, OrderRequest } from "../../../runtime/brokers/broker.ts";
import { createIbBroker, type IbBrokerOptions } from "../../../runtime/brokers/ib/mod.ts";
import type { Broker } from "../../../runtime/brokers/broker.ts";
import { FakeTws, type FakeTwsOptions } from "../../fakes/fake_tws.ts";

/** The fake's and the broker's clock: 2024-03-04 15:00 UTC, moved by tests. */
export class TestClock {
  t = Date.UTC(2024, 2, 4, 15, 0, 0);
  now = (): number => this.t;
}

export interface Rig {
  tws: FakeTws;
  clock: TestClock;
  broker: Broker;
  events: BrokerEvent[];
  /** Waits for an event matching `pred` (after `from`, an index into events). */
  event<T extends BrokerEvent["type"]>(
    type: T,
    pred?: (e: Extract<BrokerEvent, { type: T }>) => boolean,
    from?: number,
  ): Promise<Extract<BrokerEvent, { type: T }>>;
  /** Order events of one client order id, as `event:STATE`. */
  trail(coid: string): string[];
  close(): Promise<void>;
}

export const fastBroker = (port: number, clientId = 7): IbBrokerOptions => ({
  uri: `127.0.0.1:${port}:${clientId}`,
  env: {},
  commissionTimeoutMs: 600,
  errorGraceMs: 150,
  executionsPollMs: 0,
  requestTimeoutMs: 3000,
  connectTimeoutMs: 3000,
  reconnectInitialDelayMs: 20,
  reconnectMaxDelayMs: 100,
  maxRequestsPerSecond: 500,
});

/** Starts a fake TWS with AAPL and MSFT and a broker connected to it. */
export async function rig(
  o: { fake?: FakeTwsOptions; broker?: Partial<IbBrokerOptions>; connect?: boolean } = {},
): Promise<Rig> {
  const clock = new TestClock();
  const tws = await FakeTws.start({ now: clock.now, ...o.fake });
  tws.book.addStock("AAPL", 265598, "NASDAQ");
  tws.book.addStock("MSFT", 272093, "NASDAQ");
  tws.book.prices.set("AAPL", 190);
  tws.book.prices.set("MSFT", 410);
  return attach(tws, clock, o.broker, o.connect);
}

/** A (further) broker on an existing fake TWS. */
export async function attach(
  tws: FakeTws,
  clock: TestClock,
  options: Partial<IbBrokerOptions> = {},
  connect = true,
): Promise<Rig> {
  const events: BrokerEvent[] = [];
  const broker = createIbBroker({ ...fastBroker(tws.port), now: clock.now, ...options });
  // Events are recorded, then passed on to whoever registers later (an order manager).
  let downstream: (e: BrokerEvent) => void = () => {};
  broker.onEvent((e) => {
    events.push(e);
    downstream(e);
  });
  broker.onEvent = (listener) => void (downstream = listener);
  if (connect) await broker.connect();
  const r: Rig = {
    tws,
    clock,
    broker,
    events,
    event: (type, pred = () => true, from = 0) =>
      tws.waitFor(
        () =>
          events.slice(from).find((e) => e.type === type && pred(e as never)) as
            | Extract<BrokerEvent, { type: typeof type }>
            | undefined,
        `a ${type} event`,
      ),
    trail: (coid) =>
      events.flatMap((e) =>
        e.type === "order" && e.order.client_order_id === coid
          ? [`${e.event}:${e.order.state}`]
          : []
      ),
    close: async () => {
      await broker.disconnect();
      await tws.stop();
    },
  };
  return r;
}

/** An order request with defaults (a market buy of 100 AAPL for the day). */
export function req(coid: string, o: Partial<OrderRequest> = {}): OrderRequest {
  return {
    client_order_id: coid,
    symbol: "AAPL",
    amount: 100,
    limit_price: null,
    stop_price: null,
    time_in_force: "day",
    ...o,
  };
}
