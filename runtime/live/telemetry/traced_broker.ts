/**
 * A `Broker` that delegates every call to another and records one client span per call
 * (`broker.submit`, `broker.cancel`, …): the venue, the method, the order's facts, how many
 * records came back, and OK or ERROR with the error's message. Installed only when tracing is
 * enabled; adapters are untouched and know nothing of it.
 */
import type {
  Bar,
  Broker,
  BrokerAccount,
  BrokerEvent,
  BrokerFill,
  BrokerHealth,
  BrokerOrder,
  BrokerPosition,
  OrderRequest,
} from "../../model/broker.ts";
import { type Attributes, type Span, SpanKind, StatusCode, type Tracer } from "./tracer.ts";

/** What the wrapper asks of its owner (the session's tracing). */
export interface BrokerCallObserver {
  /** The span calls are children of (the bar in progress), or null. */
  parent(): Span | null;
  /** After each call, its span ended. */
  called?(method: string, span: Span): void;
  /** Each event the broker emits, before the session's listener gets it. */
  event?(e: BrokerEvent): void;
}

type ReplaceChanges = { limit_price?: number; stop_price?: number; amount?: number };

const NO_OBSERVER: BrokerCallObserver = { parent: () => null };
const count = (n: number) => ({ "harvester.result.count": n });

/**
 * Wraps a broker so that its calls are traced.
 *
 * @example
 * ```ts
 * const broker = new TracedBroker(new PaperBroker(…), tracer, { parent: () => barSpan });
 * await broker.submit(request); // a "broker.submit" span, child of barSpan
 * ```
 */
export class TracedBroker implements Broker {
  readonly name: string;
  replace?: (client_order_id: string, changes: ReplaceChanges) => Promise<void>;
  subscribeBars?: (symbols: readonly string[], onBar: (bar: Bar) => void) => Promise<void>;
  latestBars?: (symbols: readonly string[]) => Promise<Map<string, Bar>>;

  constructor(
    readonly inner: Broker,
    private readonly tracer: Tracer,
    private readonly observer: BrokerCallObserver = NO_OBSERVER,
  ) {
    this.name = inner.name;
    const { replace, subscribeBars, latestBars } = inner;
    if (replace) {
      this.replace = (id, changes) => {
        const a: Attributes = { "harvester.order.client_order_id": id };
        for (const [k, v] of Object.entries(changes)) {
          if (v !== undefined) a[`harvester.order.${k}`] = v;
        }
        return this.call("replace", a, () => replace.call(inner, id, changes));
      };
    }
    if (subscribeBars) {
      this.subscribeBars = (symbols, onBar) =>
        this.call(
          "subscribeBars",
          { "harvester.symbols.count": symbols.length },
          () => subscribeBars.call(inner, symbols, onBar),
        );
    }
    if (latestBars) {
      this.latestBars = (symbols) =>
        this.call(
          "latestBars",
          { "harvester.symbols.count": symbols.length },
          () => latestBars.call(inner, symbols),
          (m) => count(m.size),
        );
    }
  }

  /** Session lifecycle, never part of a bar: always a root span. */
  connect(): Promise<void> {
    return this.call("connect", {}, () => this.inner.connect(), undefined, false);
  }

  /** Session lifecycle, never part of a bar: always a root span. */
  disconnect(): Promise<void> {
    return this.call("disconnect", {}, () => this.inner.disconnect(), undefined, false);
  }

  health(): BrokerHealth {
    return this.inner.health();
  }

  submit(r: OrderRequest): Promise<void> {
    const a: Attributes = {
      "harvester.order.client_order_id": r.client_order_id,
      "harvester.order.symbol": r.symbol,
      "harvester.order.amount": r.amount,
      "harvester.order.time_in_force": r.time_in_force,
    };
    if (r.limit_price !== null) a["harvester.order.limit_price"] = r.limit_price;
    if (r.stop_price !== null) a["harvester.order.stop_price"] = r.stop_price;
    return this.call("submit", a, async () => await this.inner.submit(r));
  }

  cancel(client_order_id: string): Promise<void> {
    return this.call(
      "cancel",
      { "harvester.order.client_order_id": client_order_id },
      async () => await this.inner.cancel(client_order_id),
    );
  }

  openOrders(): Promise<BrokerOrder[]> {
    return this.call("openOrders", {}, () => this.inner.openOrders(), (o) => count(o.length));
  }

  order(client_order_id: string): Promise<BrokerOrder | null> {
    return this.call(
      "order",
      { "harvester.order.client_order_id": client_order_id },
      () => this.inner.order(client_order_id),
      (o) => ({ "harvester.order.found": o !== null }),
    );
  }

  positions(): Promise<BrokerPosition[]> {
    return this.call("positions", {}, () => this.inner.positions(), (p) => count(p.length));
  }

  executions(sinceMs: number): Promise<BrokerFill[]> {
    const since = Number.isFinite(sinceMs) ? new Date(sinceMs).toISOString() : String(sinceMs);
    return this.call(
      "executions",
      { "harvester.since": since },
      () => this.inner.executions(sinceMs),
      (f) => count(f.length),
    );
  }

  account(): Promise<BrokerAccount> {
    return this.call("account", {}, () => this.inner.account());
  }

  onEvent(listener: (event: BrokerEvent) => void): void {
    const seen = this.observer.event;
    this.inner.onEvent(
      seen
        ? (e) => {
          seen(e);
          listener(e);
        }
        : listener,
    );
  }

  timeSkewMs(): number {
    return this.inner.timeSkewMs();
  }

  /** Runs one call inside its span; the call's result or error passes through unchanged. */
  private async call<T>(
    method: string,
    attributes: Attributes,
    run: () => Promise<T>,
    result?: (value: T) => Attributes,
    inBar = true,
  ): Promise<T> {
    const span = this.tracer.startSpan(`broker.${method}`, {
      kind: SpanKind.CLIENT,
      parent: inBar ? this.observer.parent() : null,
      attributes: {
        "harvester.broker": this.name,
        "harvester.broker.method": method,
        ...attributes,
      },
    });
    try {
      const value = await run();
      if (result) { for (const [k, v] of Object.entries(result(value))) span.setAttribute(k, v); }
      span.setStatus(StatusCode.OK);
      return value;
    } catch (e) {
      const err = e as Error;
      span.setAttribute("error.type", err?.name ?? typeof e);
      span.setStatus(StatusCode.ERROR, err?.message ?? String(e));
      throw e;
    } finally {
      span.end();
      this.observer.called?.(method, span);
    }
  }
}
