/**
 * A venue inside the test process, for live minute sessions without a network: it acknowledges
 * every order except the `failAt`-th submit, which it rejects ("venue said no"), and hands minute
 * bars to the session through `onBar` (the test's clock pushes them).
 */
import type {
  Bar,
  Broker,
  BrokerAccount,
  BrokerEvent,
  OrderRequest,
} from "../../runtime/brokers/broker.ts";

export class InProcessVenue implements Broker {
  readonly name = "inprocess";
  submits = 0;
  onBar: ((bar: Bar) => void) | null = null;
  private listener: (e: BrokerEvent) => void = () => {};
  constructor(private readonly failAt: number) {}
  connect(): Promise<void> {
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
  health() {
    return { connected: true };
  }
  submit(r: OrderRequest): Promise<void> {
    if (++this.submits === this.failAt) return Promise.reject(new Error("venue said no"));
    this.listener({
      type: "order",
      event: "ack",
      order: {
        client_order_id: r.client_order_id,
        broker_order_id: `b${this.submits}`,
        symbol: r.symbol,
        amount: r.amount,
        filled: 0,
        avg_fill_price: 0,
        state: "WORKING",
        limit_price: r.limit_price,
        stop_price: r.stop_price,
        submitted_at: 0,
      },
      time: 0,
    });
    return Promise.resolve();
  }
  cancel(): Promise<void> {
    return Promise.resolve();
  }
  openOrders() {
    return Promise.resolve([]);
  }
  order() {
    return Promise.resolve(null);
  }
  positions() {
    return Promise.resolve([]);
  }
  executions() {
    return Promise.resolve([]);
  }
  account(): Promise<BrokerAccount> {
    return Promise.resolve({ cash: 100_000, equity: 100_000, buying_power: 100_000 });
  }
  onEvent(listener: (e: BrokerEvent) => void): void {
    this.listener = listener;
  }
  subscribeBars(_symbols: readonly string[], onBar: (bar: Bar) => void): Promise<void> {
    this.onBar = onBar;
    return Promise.resolve();
  }
  timeSkewMs(): number {
    return 0;
  }
}
