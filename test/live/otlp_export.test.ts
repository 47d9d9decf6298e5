/**
 * What is still ours around the OpenTelemetry SDK, against collectors on 127.0.0.1: the traces
 * URL, the SDK backend's resource and delivery (sent before `shutdown` resolves), lost spans
 * counted with a single warning, nothing retried at shutdown once the collector fails, and the
 * traced broker (synchronous calls stay synchronous, errors recorded and passed through).
 * Sessions with tracing: tracing.test.ts and tracing_cli.test.ts.
 */
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import type { Broker, OrderRequest, VenueSink } from "../../runtime/model/broker.ts";
import {
  denoBackend,
  denoOtelOn,
  sdkBackend,
  tracesUrl,
} from "../../runtime/live/telemetry/backends.ts";
import { exportProblem } from "../../runtime/live/telemetry/reporting_exporter.ts";
import { type CallScope, TracedBroker } from "../../runtime/live/telemetry/traced_broker.ts";
import { InProcessVenue } from "../fakes/inprocess_venue.ts";
import { attr, capture, collector, deadUrl, parentOf } from "./otlp_collector.ts";

const request = (id: string): OrderRequest => ({
  client_order_id: id,
  symbol: "AAPL",
  amount: 10,
  limit_price: null,
  stop_price: null,
  time_in_force: "day",
});

describe("the SDK backend", () => {
  test("the traces URL of an endpoint; a bad one names the setting", () => {
    expect(tracesUrl("http://127.0.0.1:4318")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("http://127.0.0.1:4318/")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("https://h/otlp")).toBe("https://h/otlp/v1/traces");
    expect(() => tracesUrl("127.0.0.1:4318")).toThrow(/otlp_endpoint/);
    expect(() => tracesUrl("ftp://h")).toThrow(/http/);
  });

  test("spans reach the collector before shutdown resolves, with the session's resource", async () => {
    const c = collector();
    const log = capture();
    try {
      const b = await sdkBackend(c.url, log);
      const parent = b.tracer.startSpan("session", {}, ROOT_CONTEXT);
      b.tracer.startSpan(
        "bar",
        { attributes: { n: 3, x: 1.5 } },
        trace.setSpan(ROOT_CONTEXT, parent),
      )
        .end();
      parent.end();
      expect(c.requests).toEqual([]); // a batch waits for its delay, or for shutdown
      await b.shutdown();
      expect(c.requests.map((r) => [r.path, r.type])).toEqual([
        ["/v1/traces", "application/json"],
      ]);
      const [session, bar] = ["session", "bar"].map((n) => c.spans().find((s) => s.name === n)!);
      expect(parentOf(bar)).toBe(session.spanId);
      expect(bar.traceId).toBe(session.traceId);
      expect([attr(bar, "n"), attr(bar, "x")]).toEqual([3, 1.5]);
      const resource = c.traces()[0].resourceSpans[0].resource.attributes;
      expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "harvester" } });
      expect(resource.find((a) => a.key === "process.pid")?.value).toEqual({ intValue: Deno.pid });
      expect(c.traces()[0].resourceSpans[0].scopeSpans[0].scope.name).toBe("harvester");
      expect(b.stats()).toEqual({ ended: 2, exported: 2, lost: 0 });
      expect([...log.warns, ...log.infos]).toEqual([]);
    } finally {
      await c.close();
    }
  });

  test("a refusing collector: every lost span counted, one warning, nothing retried at shutdown", async () => {
    // 400 Bad Request: the OTLP/HTTP spec says the client must not retry it.
    // https://opentelemetry.io/docs/specs/otlp/#failures
    const c = collector({ status: 400 });
    const log = capture();
    try {
      const b = await sdkBackend(c.url, log);
      for (const n of ["a", "b", "c"]) b.tracer.startSpan(n).end();
      await b.flush();
      b.tracer.startSpan("d").end();
      await b.flush();
      expect(c.spans().map((s) => s.name)).toEqual(["a", "b", "c", "d"]);
      b.tracer.startSpan("e").end();
      await b.shutdown(); // the collector failed last: "e" is dropped, not sent
      expect(c.requests).toHaveLength(2);
      expect(b.stats()).toEqual({ ended: 5, exported: 0, lost: 5 });
      expect(log.warns.map((w) => w.event)).toEqual(["otlp_export_failed"]);
      expect(log.warns[0].fields?.url).toBe(`${c.url}/v1/traces`);
      expect(String(log.warns[0].fields?.message)).toContain("HTTP 400");
      expect(log.infos.map((i) => [i.event, i.fields?.lost])).toEqual([["otlp_export_summary", 5]]);
    } finally {
      await c.close();
    }
  });

  test("a dead collector: the failure names the URL and the refused connection", async () => {
    const url = await deadUrl();
    const log = capture();
    const b = await sdkBackend(url, log, { timeoutMs: 200 });
    b.tracer.startSpan("a").end();
    await b.shutdown();
    expect(b.stats()).toEqual({ ended: 1, exported: 0, lost: 1 });
    expect(log.warns).toHaveLength(1);
    expect(String(log.warns[0].fields?.message)).toMatch(
      new RegExp(`${url}/v1/traces failed \\(.*ECONNREFUSED`),
    );
    expect(exportProblem(new Error("boom"))).toBe("boom");
  });
});

describe("Deno's exporter", () => {
  test("used with OTEL_DENO=true; an endpoint other than the one Deno read is reported", () => {
    const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });
    expect(denoOtelOn(env({ OTEL_DENO: "true" }))).toBe(true);
    expect(denoOtelOn(env({ OTEL_DENO: "1" }))).toBe(false); // Deno accepts only true and false
    const log = capture();
    const base = env({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" });
    expect(denoBackend("http://127.0.0.1:4318/", log, base).via).toBe("deno");
    const traces = env({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" });
    denoBackend("http://c:4318", log, traces);
    denoBackend("http://localhost:4318", log, env({})); // Deno's default endpoint
    expect(log.warns).toEqual([]);
    denoBackend("http://127.0.0.1:9999", log, base);
    expect(log.warns.map((w) => [w.event, w.fields?.url])).toEqual([
      ["otlp_endpoint_ignored", "http://127.0.0.1:9999"],
    ]);
  });
});

/** A broker answering synchronously, as the in-process paper venue does. */
class SyncBroker extends InProcessVenue {
  readonly reportsOnce = true;
  sink: VenueSink | null = null;
  attachSink(sink: VenueSink): void {
    this.sink = sink;
  }
  override submit(r: OrderRequest): Promise<void> {
    if (r.client_order_id === "bad") throw new RangeError("refused at once");
    return undefined as unknown as Promise<void>; // as the in-process venue: no Promise
  }
}

describe("the traced broker", () => {
  const setUp = (inner: Broker) => {
    const spans = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new SimpleSpanProcessor({ exporter: spans })],
    });
    const tracer = provider.getTracer("t");
    const barSpan = tracer.startSpan("bar");
    const scope: CallScope & { open: boolean } = {
      ctx: trace.setSpan(ROOT_CONTEXT, barSpan),
      open: true,
      calls: 0,
      errors: 0,
      firstError: "",
    };
    let current: CallScope | null = scope;
    const broker = new TracedBroker(inner, tracer, () => current);
    return { spans, barSpan, scope, broker, leave: () => current = null };
  };

  test("a synchronous call stays synchronous; its error is recorded and thrown as it was", () => {
    const inner = new SyncBroker(0);
    const { spans, barSpan, scope, broker } = setUp(inner);
    expect(broker.submit(request("o1"))).toBeUndefined();
    expect(() => broker.submit(request("bad"))).toThrow(RangeError);
    const [ok, bad] = spans.getFinishedSpans();
    expect([ok.name, ok.status.code, ok.parentSpanContext?.spanId]).toEqual([
      "broker.submit",
      1,
      barSpan.spanContext().spanId,
    ]);
    expect(ok.attributes["harvester.order.client_order_id"]).toBe("o1");
    expect(bad.status).toEqual({ code: 2, message: "refused at once" });
    expect(bad.attributes["error.type"]).toBe("RangeError");
    expect(scope).toMatchObject({ calls: 2, errors: 1, firstError: "submit: refused at once" });
    // What the order manager reads of the venue passes through.
    expect(broker.reportsOnce).toBe(true);
    const sink = {} as VenueSink;
    broker.attachSink!(sink);
    expect(inner.sink).toBe(sink);
  });

  test("an asynchronous failure; calls outside a span and lifecycle calls are roots", async () => {
    const { spans, scope, broker, leave } = setUp(new InProcessVenue(1));
    await expect(broker.submit(request("o1"))).rejects.toThrow("venue said no");
    await broker.connect();
    leave();
    await broker.openOrders();
    const [failed, connect, open] = spans.getFinishedSpans();
    expect(failed.status).toEqual({ code: 2, message: "venue said no" });
    expect(scope).toMatchObject({ calls: 1, errors: 1 });
    expect(connect.name).toBe("broker.connect");
    expect(connect.parentSpanContext).toBeUndefined();
    expect([open.name, open.parentSpanContext, open.attributes["harvester.result.count"]])
      .toEqual(["broker.openOrders", undefined, 0]);
    expect(open.status.code).toBe(1);
  });
});
