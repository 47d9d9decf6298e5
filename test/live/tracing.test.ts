/**
 * OpenTelemetry tracing of sessions, in process: a collector on 127.0.0.1 receives the OTLP/HTTP
 * JSON of a paper session (session spans parenting bar spans, broker submit spans as the bars'
 * children) and of a live minute session on an in-process venue whose second order fails (ERROR
 * status); the session's close is its session span's; the kill switch and the risk gate's refusals
 * show on the spans. The CLI, a dead
 * collector, Deno's own exporter and the lazy loading: tracing_cli.test.ts.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import type { Context } from "../../runtime/api/context.ts";
import { EODCancel } from "../../runtime/api/mod.ts";
import type { Asset } from "../../runtime/assets/asset.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { type LiveOptions, runLive } from "../../runtime/live/session.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { InProcessVenue } from "../fakes/inprocess_venue.ts";
import { attr, capture, collector, type OtlpSpan, parentOf, statusOf } from "./otlp_collector.ts";

const algoPath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
const HEX32 = /^[0-9a-f]{32}$/, HEX16 = /^[0-9a-f]{16}$/;
let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

/** buyapple replayed as a paper session over 2014's first quarter (61 sessions). */
async function paper(dir: string, extra: Partial<LiveOptions> = {}) {
  return runLive({
    strategy: (await import(algoPath)) as Strategy,
    strategy_hash: "x",
    bundle: "zipline-examples",
    start: "2014-01-01",
    end: "2014-03-31",
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    root,
    ...extra,
  });
}

const named = (spans: OtlpSpan[], name: string) => spans.filter((s) => s.name === name);
const within = (inner: OtlpSpan, outer: OtlpSpan) =>
  BigInt(inner.startTimeUnixNano) >= BigInt(outer.startTimeUnixNano) &&
  BigInt(inner.endTimeUnixNano) <= BigInt(outer.endTimeUnixNano);
const total = (spans: OtlpSpan[], key: string) =>
  spans.reduce((n, s) => n + Number(attr(s, key)), 0);

describe("OpenTelemetry spans of a session", () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  test("a paper session: session spans, a bar span in each, submit spans as the bars' children", async () => {
    const c = collector();
    servers.push(c);
    const dir = tempRoot("hv-otel-");
    const traced = await paper(dir, { otlp_endpoint: c.url });
    const plain = await paper(tempRoot("hv-otel-"));
    // Tracing changes nothing the session does.
    expect(traced.length).toBe(61);
    expect(Array.from(traced.perf.portfolio_value)).toEqual(Array.from(plain.perf.portfolio_value));
    expect(traced.transactions.map((t) => [t.dt, t.amount, t.price])).toEqual(
      plain.transactions.map((t) => [t.dt, t.amount, t.price]),
    );
    // runLive resolves after the last batch was sent: nothing is left to wait for.
    expect(c.requests.length).toBeGreaterThan(0);
    for (const r of c.requests) {
      expect(r.path).toBe("/v1/traces");
      expect(r.type).toBe("application/json");
    }
    for (const body of c.traces()) {
      const rs = body.resourceSpans;
      expect(rs).toHaveLength(1);
      expect(rs[0].resource.attributes).toContainEqual({
        key: "service.name",
        value: { stringValue: "harvester" },
      });
      expect(rs[0].scopeSpans.map((s) => s.scope.name)).toEqual(["harvester"]);
    }
    const spans = c.spans();
    for (const s of spans) {
      expect(s.traceId).toMatch(HEX32);
      expect(s.spanId).toMatch(HEX16);
      if (parentOf(s) !== undefined) expect(s.parentSpanId).toMatch(HEX16);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);

    const journal = readJournal(join(dir, "j.jsonl"));
    const dates = journal.filter((e) => e.type === "bar").map((e) => e.session);
    const sessions = named(spans, "session"), bars = named(spans, "bar");
    expect(sessions.map((s) => attr(s, "harvester.session"))).toEqual(dates);
    expect(bars.map((b) => attr(b, "harvester.session"))).toEqual(dates);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    bars.forEach((b, i) => {
      const session = sessions[i];
      expect(parentOf(session)).toBeUndefined();
      expect(session.kind).toBe(1);
      expect(statusOf(session)).toEqual({ code: 1, message: "" });
      expect(attr(session, "harvester.bars")).toBe(1);
      expect(attr(session, "harvester.session.complete")).toBe(true);
      expect(parentOf(b)).toBe(session.spanId);
      expect(b.traceId).toBe(session.traceId);
      expect(within(b, session)).toBe(true);
      expect(b.kind).toBe(1);
      expect(statusOf(b)).toEqual({ code: 1, message: "" });
      expect(attr(b, "harvester.bar.frequency")).toBe("daily");
      expect(attr(b, "harvester.trading_state")).toBe("ACTIVE");
      expect(attr(b, "harvester.kill_switch")).toBeUndefined();
    });
    expect(attr(bars[0], "harvester.bar.time")).toBe("2014-01-02T21:00:00.000Z");

    const submits = named(spans, "broker.submit");
    const sent = journal.filter((e) => e.type === "order_submitted");
    expect(submits).toHaveLength(sent.length);
    for (const s of submits) {
      const bar = byId.get(parentOf(s)!)!;
      expect(bar.name, "a submit span's parent is a bar span").toBe("bar");
      expect(s.kind).toBe(3);
      expect(statusOf(s).code).toBe(1);
      expect(s.traceId).toBe(bar.traceId);
      expect(within(s, bar)).toBe(true);
      expect(attr(s, "harvester.broker")).toBe("paper");
      expect(attr(s, "harvester.order.symbol")).toBe("AAPL");
      expect(attr(s, "harvester.order.amount")).toBe(10);
    }
    expect(submits.map((s) => attr(s, "harvester.order.client_order_id"))).toEqual(
      sent.map((e) => e.client_order_id),
    );
    expect(total(bars, "harvester.orders.submitted")).toBe(submits.length);
    expect(total(bars, "harvester.broker.calls")).toBe(submits.length);
    expect(total(sessions, "harvester.orders.submitted")).toBe(0);
    // The venue matches at a bar's open: every fill is in the bar whose data made it.
    expect(total(bars, "harvester.fills")).toBe(traced.transactions.length);
    expect(total(sessions, "harvester.fills")).toBe(0);
    // Calls outside any session (connecting) are roots.
    const connect = named(spans, "broker.connect");
    expect(connect).toHaveLength(1);
    expect(parentOf(connect[0])).toBeUndefined();
    expect(statusOf(connect[0]).code).toBe(1);
  });

  test("a live minute session: minute bar spans; a failing submit is an ERROR span in its bar", async () => {
    const c = collector();
    servers.push(c);
    const venue = new InProcessVenue(2);
    const start = Date.parse("2014-05-01T13:29:00Z"), end = Date.parse("2014-05-01T13:35:00Z");
    const minutes = [...get_calendar("XNYS").session_minutes(Date.parse("2014-05-01"))];
    const clock = { t: start, next: 0 };
    const failures: string[] = [];
    const strategy: Strategy = {
      initialize: async (context: Context) => {
        context.asset = await context.symbol("AAPL");
      },
      handle_data: async (context: Context) => {
        try {
          await context.order(context.asset as Asset, 10);
        } catch (e) {
          failures.push((e as Error).message);
        }
      },
    };
    const dir = tempRoot("hv-otel-minute-");
    const log = capture();
    const results = await runLive({
      strategy,
      strategy_hash: "x",
      bundle: "zipline-examples",
      start: "2014-05-01",
      end: "2014-05-01",
      speed: "max",
      state_path: join(dir, "s.json"),
      journal_path: join(dir, "j.jsonl"),
      capital_base: 100_000,
      root,
      broker: venue,
      live: { end, universe: ["AAPL"] },
      now: () => clock.t,
      sleep: async (ms) => {
        clock.t += ms;
        while (clock.next < minutes.length && minutes[clock.next] <= clock.t) {
          const m = minutes[clock.next++];
          venue.onBar?.({
            symbol: "AAPL",
            time: m,
            open: 590,
            high: 590,
            low: 590,
            close: 590,
            volume: 1000,
          });
        }
        await new Promise((r) => setTimeout(r, 1));
      },
      otlp_endpoint: c.url,
      log,
    });
    expect(results.length).toBe(1);
    expect(failures).toEqual(["venue said no"]);
    expect(log.warns.filter((w) => w.event.startsWith("otlp"))).toEqual([]);

    const spans = c.spans();
    const [session, ...others] = named(spans, "session");
    expect(others).toEqual([]);
    const bars = named(spans, "bar");
    expect(bars.map((b) => attr(b, "harvester.bar.time")))
      .toEqual(["13:31", "13:32", "13:33", "13:34", "13:35"].map((t) => `2014-05-01T${t}:00.000Z`));
    for (const b of bars) {
      expect(attr(b, "harvester.bar.frequency")).toBe("minute");
      expect(attr(b, "harvester.session")).toBe("2014-05-01");
      expect(parentOf(b)).toBe(session.spanId);
    }
    expect(attr(session, "harvester.bars")).toBe(5);
    const submits = named(spans, "broker.submit");
    expect(submits.map((s) => bars.findIndex((b) => b.spanId === parentOf(s)))).toEqual([
      0,
      1,
      2,
      3,
      4,
    ]);
    expect(submits.map((s) => statusOf(s).code)).toEqual([1, 2, 1, 1, 1]);
    expect(statusOf(submits[1])).toEqual({ code: 2, message: "venue said no" });
    expect(attr(submits[1], "error.type")).toBe("Error");
    expect(submits[1].traceId).toBe(bars[1].traceId);
    expect(statusOf(bars[1])).toEqual({
      code: 2,
      message: "1 broker call failed: submit: venue said no",
    });
    expect(bars.map((b) => attr(b, "harvester.broker.errors"))).toEqual([0, 1, 0, 0, 0]);
    expect(bars.map((b) => attr(b, "harvester.orders.submitted"))).toEqual([1, 1, 1, 1, 1]);
    expect(bars.filter((b) => statusOf(b).code === 2)).toHaveLength(1);
    for (const name of ["broker.connect", "broker.subscribeBars", "broker.disconnect"]) {
      const s = spans.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      expect(parentOf(s!), name).toBeUndefined();
    }
  });

  test("the session's close: the cancel policy's cancels are the session span's children", async () => {
    const c = collector();
    servers.push(c);
    // A limit far below the price rests; EODCancel cancels it at a session's end.
    const strategy: Strategy = {
      initialize: async (context: Context) => {
        context.asset = await context.symbol("AAPL");
        context.set_cancel_policy(new EODCancel());
      },
      handle_data: async (context: Context) => {
        await context.order(context.asset as Asset, 10, { limit_price: 1 });
      },
    };
    await paper(tempRoot("hv-otel-"), { strategy, otlp_endpoint: c.url, end: "2014-01-07" });
    const spans = c.spans();
    const sessions = named(spans, "session"), bars = named(spans, "bar");
    const cancels = named(spans, "broker.cancel");
    expect(sessions).toHaveLength(4);
    expect(cancels.length).toBeGreaterThan(0);
    for (const cancel of cancels) {
      const i = sessions.findIndex((x) => x.spanId === parentOf(cancel));
      expect(i, "a cancel's parent is a session span").toBeGreaterThanOrEqual(0);
      expect(within(cancel, sessions[i])).toBe(true);
      expect(BigInt(cancel.startTimeUnixNano) >= BigInt(bars[i].endTimeUnixNano)).toBe(true);
    }
    const under = (x: OtlpSpan) => cancels.filter((k) => parentOf(k) === x.spanId).length;
    expect(sessions.map((x) => attr(x, "harvester.orders.cancelled"))).toEqual(sessions.map(under));
    expect(sessions.map((x) => attr(x, "harvester.broker.calls"))).toEqual(sessions.map(under));
    expect(bars.map((x) => attr(x, "harvester.orders.cancelled"))).toEqual([0, 0, 0, 0]);
    expect(bars.map((x) => attr(x, "harvester.orders.submitted"))).toEqual([1, 1, 1, 1]);
  });

  test("the kill switch and the risk gate's refusals show on the spans", async () => {
    const c = collector();
    servers.push(c);
    const dir = tempRoot("hv-otel-");
    writeFileSync(join(dir, "s.json.kill"), JSON.stringify({ reason: "test" }));
    await paper(dir, { otlp_endpoint: c.url, end: "2014-01-31" });
    const bars = named(c.spans(), "bar"), sessions = named(c.spans(), "session");
    expect(bars).toHaveLength(21);
    // Thrown in the first bar: that bar and its session say so; later ones start halted.
    expect(bars.map((b) => attr(b, "harvester.kill_switch"))).toEqual(
      ["test", ...Array(20).fill(undefined)],
    );
    expect(attr(sessions[0], "harvester.kill_switch")).toBe("test");
    expect(attr(sessions[1], "harvester.kill_switch")).toBeUndefined();
    expect(bars.map((b) => attr(b, "harvester.trading_state"))).toEqual(Array(21).fill("HALTED"));
    const denied = readJournal(join(dir, "j.jsonl")).filter((e) => e.type === "risk_denied");
    expect(denied).toHaveLength(21);
    expect(bars.map((b) => attr(b, "harvester.orders.denied"))).toEqual(Array(21).fill(1));
    expect(named(c.spans(), "broker.submit")).toEqual([]);
  });
});
