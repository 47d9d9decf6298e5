/**
 * The OTLP/HTTP JSON exporter on its own, against a collector on 127.0.0.1: ids and nanosecond
 * times, batching (full batches at once, partial ones after the interval, one request at a time),
 * a bounded queue that drops the oldest spans and counts them, and failures counted with a single
 * warning. (Sessions with tracing: tracing.test.ts.)
 */
import { describe, expect, test } from "vitest";
import { OtlpExporter, tracesUrl } from "../../runtime/live/telemetry/otlp_exporter.ts";
import { Tracer, unixNanos } from "../../runtime/live/telemetry/tracer.ts";
import { capture, collector, deadUrl } from "./otlp_collector.ts";

const HEX32 = /^[0-9a-f]{32}$/;

const until = async (done: () => boolean, ms = 5000) => {
  for (const t0 = Date.now(); !done() && Date.now() - t0 < ms;) {
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** buyapple replayed as a paper session over 2014's first quarter (61 sessions). */
describe("the OTLP exporter", () => {
  test("ids, nanosecond times and the traces URL", () => {
    expect(unixNanos(1_700_000_000_000.5)).toBe("1700000000000500000");
    expect(tracesUrl("http://127.0.0.1:4318")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("http://127.0.0.1:4318/")).toBe("http://127.0.0.1:4318/v1/traces");
    expect(tracesUrl("https://h/otlp")).toBe("https://h/otlp/v1/traces");
    expect(() => tracesUrl("127.0.0.1:4318")).toThrow(/http/);
    const t = new Tracer(() => {});
    const root = t.startSpan("a"), child = t.startSpan("b", { parent: root });
    expect(root.traceId).toMatch(HEX32);
    expect(child.traceId).toBe(root.traceId);
    expect(child.parentSpanId).toBe(root.spanId);
    expect(root.parentSpanId).toBe("");
  });

  test("a batch goes out when full and after the interval, one request at a time", async () => {
    const c = collector();
    const ex = new OtlpExporter({ endpoint: c.url, batchSize: 3, intervalMs: 100 });
    const t = new Tracer((s) => ex.add(s));
    try {
      for (const n of ["a", "b", "c"]) t.startSpan(n).end();
      await until(() => c.requests.length === 1);
      expect(c.spans().map((s) => s.name)).toEqual(["a", "b", "c"]);
      t.startSpan("d", { attributes: { n: 1, x: 1.5, ok: true } }).end();
      await until(() => c.requests.length === 2);
      expect(c.requests.length).toBe(2);
      expect(c.spans()[3].attributes).toEqual([
        { key: "n", value: { intValue: "1" } },
        { key: "x", value: { doubleValue: 1.5 } },
        { key: "ok", value: { boolValue: true } },
      ]);
      expect(ex.stats()).toMatchObject({ exported: 4, dropped: 0, failed: 0 });
    } finally {
      await ex.shutdown();
      await c.close();
    }
  });

  test("a full queue drops the oldest spans and counts them", async () => {
    const c = collector();
    c.hold();
    const ex = new OtlpExporter({ endpoint: c.url, batchSize: 2, maxQueue: 3, intervalMs: 60_000 });
    const t = new Tracer((s) => ex.add(s));
    try {
      t.startSpan("s1").end();
      t.startSpan("s2").end(); // a full batch: sent; the collector holds the answer
      await until(() => c.requests.length === 1);
      for (const n of ["s3", "s4", "s5", "s6", "s7"]) t.startSpan(n).end();
      expect(ex.stats().dropped).toBe(2); // s3 and s4
      c.release();
      await ex.shutdown();
      expect(c.spans().map((s) => s.name)).toEqual(["s1", "s2", "s5", "s6", "s7"]);
      expect(ex.stats()).toMatchObject({ exported: 5, dropped: 2, failed: 0 });
      t.startSpan("late").end();
      expect(ex.stats().dropped).toBe(3);
    } finally {
      c.release();
      await c.close();
    }
  });

  test("failures: every lost span counted, one warning; an HTTP error is a failure", async () => {
    const log = capture();
    const ex = new OtlpExporter({ endpoint: await deadUrl(), batchSize: 2, log });
    const t = new Tracer((s) => ex.add(s));
    for (let i = 0; i < 10; i++) t.startSpan(`s${i}`).end();
    await ex.flush();
    await ex.shutdown();
    expect(ex.stats()).toMatchObject({ exported: 0, failed: 10, failedRequests: 5 });
    expect(log.warns).toHaveLength(1);
    const refusing = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      () => new Response("no", { status: 503 }),
    );
    const log2 = capture();
    const ex2 = new OtlpExporter({ endpoint: `http://127.0.0.1:${refusing.addr.port}`, log: log2 });
    new Tracer((s) => ex2.add(s)).startSpan("x").end();
    await ex2.shutdown();
    await refusing.shutdown();
    expect(ex2.stats()).toMatchObject({ exported: 0, failed: 1 });
    expect(String(log2.warns[0].fields?.message)).toContain("HTTP 503");
  });
});
