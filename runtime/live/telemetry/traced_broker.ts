/**
 * A `Broker` that delegates every call to another and records one CLIENT span per call
 * (`broker.submit`, `broker.cancel`, …): the venue, the method, the order's facts, how many
 * records came back, and OK or ERROR with the error's message and `error.type`. A call answered
 * synchronously (an in-process venue's submit) stays synchronous, so tracing never changes when
 * the venue's events are applied. Installed only when tracing is on; adapters know nothing of it.
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from "@opentelemetry/api";
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
  VenueSink,
} from "../../model/broker.ts";

/** The span a call is made in (a bar's or a session's): its context, and what it counts. */
export interface CallScope {
  readonly ctx: Context;
  /** False once the span ended: a call that outlives it adds nothing to it. */
  readonly open: boolean;
  calls: number;
  errors: number;
  /** `method: message` of the first failed call. */
  firstError: string;
}

type ReplaceChanges = { limit_price?: number; stop_price?: number; amount?: number };

const count = (n: number): Attributes => ({ "harvester.result.count": n });

/**
 * Wall-clock epoch ms with sub-millisecond resolution, from the monotonic clock. Every start and
 * end time is given from it: the SDK's own start times are `Date.now()` (whole ms) and its ends
 * that plus a monotonic duration, so a child could seem to start before its parent.
 */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/**
 * Wraps a broker so that its calls are traced; `scope()` names the span calls are children of.
 *
 * @example
 * ```ts
 * const broker = new TracedBroker(venue, tracer, () => barScope);
 * await broker.submit(request); // a "broker.submit" CLIENT span, child of the bar
 * ```
 */
export class TracedBroker implements Broker {
  readonly name: string;
  replace?: (client_order_id: string, changes: ReplaceChanges) => Promise<void>;
  subscribeBars?: (symbols: readonly string[], onBar: (bar: Bar) => void) => Promise<void>;
  latestBars?: (symbols: readonly string[]) => Promise<Map<string, Bar>>;
  attachSink?: (sink: VenueSink) => void;

  constructor(
    readonly inner: Broker,
    private readonly tracer: Tracer,
    private readonly scope: () => CallScope | null,
  ) {
    this.name = inner.name;
    const { replace, subscribeBars, latestBars, attachSink } = inner;
    if (attachSink) this.attachSink = attachSink.bind(inner);
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

  get reportsOnce(): boolean | undefined {
    return this.inner.reportsOnce;
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

  submit(r: OrderRequest): Promise<void> | void {
    const a: Attributes = {
      "harvester.order.client_order_id": r.client_order_id,
      "harvester.order.symbol": r.symbol,
      "harvester.order.amount": r.amount,
      "harvester.order.time_in_force": r.time_in_force,
    };
    if (r.limit_price !== null) a["harvester.order.limit_price"] = r.limit_price;
    if (r.stop_price !== null) a["harvester.order.stop_price"] = r.stop_price;
    return this.call("submit", a, () => this.inner.submit(r));
  }

  cancel(client_order_id: string): Promise<void> | void {
    return this.call(
      "cancel",
      { "harvester.order.client_order_id": client_order_id },
      () => this.inner.cancel(client_order_id),
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
    this.inner.onEvent(listener);
  }

  timeSkewMs(): number {
    return this.inner.timeSkewMs();
  }

  /**
   * Runs one call inside its span; its result (a value or a Promise) or error passes through
   * unchanged. The call counts in the scope it started in; a failure counts there if still open.
   */
  private call<T>(
    method: string,
    attributes: Attributes,
    run: () => T,
    result?: (value: Awaited<T>) => Attributes,
    inScope = true,
  ): T {
    const scope = inScope ? this.scope() : null;
    if (scope) scope.calls++;
    const span = this.tracer.startSpan(`broker.${method}`, {
      kind: SpanKind.CLIENT,
      startTime: wallClockMs(),
      attributes: {
        "harvester.broker": this.name,
        "harvester.broker.method": method,
        ...attributes,
      },
    }, scope?.ctx ?? ROOT_CONTEXT);
    const failed = (e: unknown) => {
      const message = (e as Error)?.message ?? String(e);
      span.setAttribute("error.type", (e as Error)?.name ?? typeof e);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.end(wallClockMs());
      if (scope?.open && !scope.errors++) scope.firstError = `${method}: ${message}`;
    };
    let out: T;
    try {
      out = run();
    } catch (e) {
      failed(e);
      throw e;
    }
    if (!(out instanceof Promise)) {
      succeeded(span, out as Awaited<T>, result);
      return out;
    }
    return out.then((v: Awaited<T>) => {
      succeeded(span, v, result);
      return v;
    }, (e: unknown) => {
      failed(e);
      throw e;
    }) as T;
  }
}

function succeeded<V>(span: Span, value: V, result?: (value: V) => Attributes): void {
  if (result) span.setAttributes(result(value));
  span.setStatus({ code: SpanStatusCode.OK });
  span.end(wallClockMs());
}
