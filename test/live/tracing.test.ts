/**
 * OpenTelemetry tracing of sessions: a collector on 127.0.0.1 receives the OTLP/HTTP JSON of a
 * paper session (bar spans, broker submit spans as their children) and of a live minute session on
 * an in-process venue whose second order fails (ERROR status); a dead collector does not disturb a
 * session; the CLI's
 * `OTEL_EXPORTER_OTLP_ENDPOINT` and `--otlp-endpoint`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import type { Context } from "../../runtime/api/context.ts";
import type { Asset } from "../../runtime/assets/asset.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { type LiveOptions, runLive } from "../../runtime/live/session.ts";
import type { OtlpAnyValue, OtlpSpan } from "../../runtime/live/telemetry/otlp_exporter.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { capture, collector, deadUrl } from "./otlp_collector.ts";
import { InProcessVenue } from "../fakes/inprocess_venue.ts";

const algoPath = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
const HEX32 = /^[0-9a-f]{32}$/, HEX16 = /^[0-9a-f]{16}$/;
let root: string;

beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

const attr = (s: OtlpSpan, key: string): OtlpAnyValue | undefined =>
  s.attributes.find((a) => a.key === key)?.value;

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

describe("OpenTelemetry spans", () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  test("a paper session: OTLP JSON with a bar span per session and submit spans as its children", async () => {
    const c = collector();
    servers.push(c);
    const dir = tempRoot("hv-otel-");
    const traced = await paper(dir, { otlp_endpoint: c.url });
    const plain = await paper(tempRoot("hv-otel-"));
    expect(traced.length).toBe(plain.length);
    expect(traced.transactions.length).toBe(plain.transactions.length);
    // runLive resolves after the last batch was sent: nothing is left to wait for.
    expect(c.requests.length).toBeGreaterThan(0);
    for (const r of c.requests) {
      expect(r.path).toBe("/v1/traces");
      expect(r.type).toBe("application/json");
      const rs = r.body.resourceSpans;
      expect(rs).toHaveLength(1);
      expect(rs[0].resource.attributes).toContainEqual({
        key: "service.name",
        value: { stringValue: "harvester" },
      });
      expect(rs[0].scopeSpans).toHaveLength(1);
      expect(rs[0].scopeSpans[0].scope).toEqual({ name: "harvester" });
    }
    const spans = c.spans();
    for (const s of spans) {
      expect(s.traceId).toMatch(HEX32);
      expect(s.spanId).toMatch(HEX16);
      if (s.parentSpanId !== undefined) expect(s.parentSpanId).toMatch(HEX16);
      expect(s.startTimeUnixNano).toMatch(/^\d{19}$/);
      expect(s.endTimeUnixNano).toMatch(/^\d{19}$/);
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true);
    }
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);

    const bars = spans.filter((s) => s.name === "bar");
    expect(bars).toHaveLength(traced.length);
    const journal = readJournal(join(dir, "j.jsonl"));
    const sessions = journal.filter((e) => e.type === "bar").map((e) => e.session);
    expect(bars.map((b) => attr(b, "harvester.session"))).toEqual(
      sessions.map((d) => ({ stringValue: d })),
    );
    for (const b of bars) {
      expect(b.kind).toBe(1);
      expect(b.parentSpanId).toBeUndefined();
      expect(b.status).toEqual({ code: 1 });
      expect(attr(b, "harvester.bar.frequency")).toEqual({ stringValue: "daily" });
      expect(attr(b, "harvester.trading_state")).toEqual({ stringValue: "ACTIVE" });
    }
    expect(attr(bars[0], "harvester.bar.time")).toEqual({
      stringValue: "2014-01-02T21:00:00.000Z",
    });

    const submits = spans.filter((s) => s.name === "broker.submit");
    const sent = journal.filter((e) => e.type === "order_submitted");
    expect(submits).toHaveLength(sent.length);
    const barById = new Map(bars.map((b) => [b.spanId, b]));
    for (const s of submits) {
      expect(s.kind).toBe(3);
      expect(s.status).toEqual({ code: 1 });
      const bar = barById.get(s.parentSpanId!)!;
      expect(bar, "a submit span's parent is a bar span").toBeDefined();
      expect(s.traceId).toBe(bar.traceId);
      expect(BigInt(s.startTimeUnixNano) >= BigInt(bar.startTimeUnixNano)).toBe(true);
      expect(BigInt(s.endTimeUnixNano) <= BigInt(bar.endTimeUnixNano)).toBe(true);
      expect(attr(s, "harvester.broker")).toEqual({ stringValue: "paper" });
      expect(attr(s, "harvester.order.symbol")).toEqual({ stringValue: "AAPL" });
      expect(attr(s, "harvester.order.amount")).toEqual({ intValue: "10" });
    }
    expect(sent.map((e) => e.client_order_id)).toEqual(
      submits.map((s) =>
        (attr(s, "harvester.order.client_order_id") as { stringValue: string })
          .stringValue
      ),
    );
    const total = (key: string) =>
      bars.reduce((n, b) => n + Number((attr(b, key) as { intValue: string }).intValue), 0);
    expect(total("harvester.orders.submitted")).toBe(submits.length);
    expect(total("harvester.fills")).toBe(traced.transactions.length);
    // Calls outside any bar (connecting) are roots.
    const connect = spans.find((s) => s.name === "broker.connect")!;
    expect(connect.parentSpanId).toBeUndefined();
    expect(connect.status).toEqual({ code: 1 });
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
    const bars = spans.filter((s) => s.name === "bar");
    expect(bars.map((b) => (attr(b, "harvester.bar.time") as { stringValue: string }).stringValue))
      .toEqual(["13:31", "13:32", "13:33", "13:34", "13:35"].map((t) => `2014-05-01T${t}:00.000Z`));
    for (const b of bars) {
      expect(attr(b, "harvester.bar.frequency")).toEqual({ stringValue: "minute" });
      expect(attr(b, "harvester.session")).toEqual({ stringValue: "2014-05-01" });
    }
    const submits = spans.filter((s) => s.name === "broker.submit");
    expect(submits).toHaveLength(5);
    expect(submits.map((s) => bars.findIndex((b) => b.spanId === s.parentSpanId))).toEqual([
      0,
      1,
      2,
      3,
      4,
    ]);
    expect(submits.map((s) => s.status?.code)).toEqual([1, 2, 1, 1, 1]);
    expect(submits[1].status).toEqual({ code: 2, message: "venue said no" });
    expect(attr(submits[1], "error.type")).toEqual({ stringValue: "Error" });
    expect(submits[1].traceId).toBe(bars[1].traceId);
    expect(bars[1].status).toEqual({
      code: 2,
      message: "1 broker call failed: submit: venue said no",
    });
    expect(attr(bars[1], "harvester.broker.errors")).toEqual({ intValue: "1" });
    expect(bars.filter((b) => b.status?.code === 2)).toHaveLength(1);
    for (const name of ["broker.connect", "broker.subscribeBars", "broker.disconnect"]) {
      const s = spans.find((x) => x.name === name);
      expect(s, name).toBeDefined();
      expect(s!.parentSpanId, name).toBeUndefined();
    }
  });

  test("the kill switch and the risk gate's refusals show on the bar spans", async () => {
    const c = collector();
    servers.push(c);
    const dir = tempRoot("hv-otel-");
    writeFileSync(join(dir, "s.json.kill"), JSON.stringify({ reason: "test" }));
    await paper(dir, { otlp_endpoint: c.url, end: "2014-01-31" });
    const bars = c.spans().filter((s) => s.name === "bar");
    expect(bars).toHaveLength(21);
    expect(attr(bars[0], "harvester.kill_switch")).toEqual({ stringValue: "test" });
    expect(attr(bars[20], "harvester.trading_state")).toEqual({ stringValue: "HALTED" });
    const denied = readJournal(join(dir, "j.jsonl")).filter((e) => e.type === "risk_denied");
    expect(bars.map((b) => attr(b, "harvester.orders.denied"))).toEqual(
      Array(21).fill({ intValue: "1" }),
    );
    expect(denied).toHaveLength(21);
    expect(c.spans().filter((s) => s.name === "broker.submit")).toEqual([]);
  });

  test("a dead collector: the session runs as without tracing; the failure is logged once", async () => {
    const url = await deadUrl();
    const log = capture();
    const dir = tempRoot("hv-otel-");
    const res = await paper(dir, { otlp_endpoint: url, log });
    expect(res.length).toBe(61);
    expect(res.transactions.length).toBeGreaterThan(50);
    const failed = log.warns.filter((w) => w.event === "otlp_export_failed");
    expect(failed).toHaveLength(1);
    expect(String(failed[0].fields?.message)).toContain("/v1/traces");
  });
});

describe("harvester live with tracing", () => {
  const cli = (args: string[], env: Record<string, string>) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "runtime/cli/main.ts", "live", algoPath, ...args],
      env: { HARVESTER_ROOT: root, ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();

  test("OTEL_EXPORTER_OTLP_ENDPOINT enables it; a bad --otlp-endpoint is a usage error", async () => {
    const c = collector();
    try {
      const dir = tempRoot("hv-otel-cli-");
      const args = ["--feed", "bundle:zipline-examples", "--start", "2014-01-01", "--end"];
      const r = await cli([...args, "2014-01-31", "--state-file", join(dir, "s.json")], {
        OTEL_EXPORTER_OTLP_ENDPOINT: c.url,
      });
      expect(r.code, new TextDecoder().decode(r.stderr)).toBe(0);
      expect(c.spans().filter((s) => s.name === "bar")).toHaveLength(21);
      const bad = await cli([...args, "2014-01-31", "--otlp-endpoint", "collector:4318"], {});
      expect(bad.code).toBe(2);
      expect(new TextDecoder().decode(bad.stderr)).toMatch(/--otlp-endpoint/);
    } finally {
      await c.close();
    }
  });
});
