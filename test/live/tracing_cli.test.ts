/**
 * `harvester live` with tracing, as subprocesses: without an endpoint no OpenTelemetry module is
 * loaded (an import map turns each into a module that throws when loaded); the environment's
 * endpoint turns tracing on; a dead collector leaves the session as it is without tracing and is
 * reported once; with `OTEL_DENO=true` spans go through Deno's own exporter and the SDK is never
 * loaded.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { attr, collector, deadUrl, type OtlpSpan, parentOf } from "./otlp_collector.ts";

const repo = new URL("../../", import.meta.url);
const algoPath = fileURLToPath(new URL("strategies/buyapple.ts", repo));
const OTEL = [
  "@opentelemetry/api",
  "@opentelemetry/sdk-trace",
  "@opentelemetry/exporter-trace-otlp-http",
  "@opentelemetry/resources",
];
let root: string, tmp: string;

beforeAll(async () => {
  root = tempRoot();
  tmp = tempRoot("hv-otel-cli-");
  await ingest("zipline-examples", { root, environ: {} });
});

/**
 * deno.json's imports with `trapped` specifiers mapped to a module that throws when loaded: a run
 * that loads one of them fails.
 */
function tripwireMap(trapped: string[]): string {
  const trap = join(tmp, "tripwire.ts");
  writeFileSync(trap, `throw new Error("tripwire: an OpenTelemetry module was loaded");\n`);
  const imports: Record<string, string> = JSON.parse(
    readFileSync(new URL("deno.json", repo), "utf8"),
  ).imports;
  for (const [k, v] of Object.entries(imports)) {
    if (trapped.includes(k)) imports[k] = `file://${trap}`;
    else if (v.startsWith("./")) imports[k] = new URL(v, repo).href;
  }
  const path = join(tmp, `map-${trapped.length}.json`);
  writeFileSync(path, JSON.stringify({ imports }));
  return path;
}

/** `harvester live` on January 2014's bundle bars (21 sessions), in a fresh state folder. */
async function live(extra: string[], env: Record<string, string>, importMap?: string) {
  const dir = join(tmp, crypto.randomUUID());
  mkdirSync(dir);
  // The parent's own OTEL_* settings must not reach the child.
  const base = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !k.startsWith("OTEL_")),
  );
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(importMap ? ["--import-map", importMap] : []),
      "runtime/cli/main.ts",
      "live",
      algoPath,
      ...["--feed", "bundle:zipline-examples", "--start", "2014-01-01", "--end", "2014-01-31"],
      ...["--state-file", join(dir, "s.json"), ...extra],
    ],
    cwd: fileURLToPath(repo),
    clearEnv: true,
    env: { ...base, HARVESTER_ROOT: root, ...env },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(50_000),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
}

/** The JSON log lines of a run's stderr (not a terminal: one JSON object per line). */
const events = (stderr: string) =>
  stderr.split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as { event: string; message?: string; url?: string }
  );

describe("harvester live with tracing", () => {
  const servers: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  test("without an endpoint no OpenTelemetry module is loaded", async () => {
    const map = tripwireMap(OTEL);
    const plain = await live([], {}, map);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/Sessions\s+21/);
    // The tripwire is armed: the same run with tracing on loads OpenTelemetry and fails.
    const c = collector();
    servers.push(c);
    const traced = await live(["--otlp-endpoint", c.url], {}, map);
    expect(traced.code).not.toBe(0);
    expect(traced.stderr).toMatch(/opentelemetry|tripwire/i);
  });

  test("OTEL_EXPORTER_OTLP_ENDPOINT turns it on; a bad --otlp-endpoint is a usage error", async () => {
    const c = collector();
    servers.push(c);
    const r = await live([], { OTEL_EXPORTER_OTLP_ENDPOINT: c.url });
    expect(r.code, r.stderr).toBe(0);
    expect(c.spans().filter((s) => s.name === "bar")).toHaveLength(21);
    const bad = await live(["--otlp-endpoint", "collector:4318"], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--otlp-endpoint/);
  });

  test("a dead collector: the session's output as without tracing; the failure logged once", async () => {
    const url = await deadUrl();
    const plain = await live([], {});
    // The exporter's retries end within this (OTLP exporters read OTEL_EXPORTER_OTLP_TIMEOUT).
    const traced = await live(["--otlp-endpoint", url], { OTEL_EXPORTER_OTLP_TIMEOUT: "1000" });
    expect(traced.code, traced.stderr).toBe(0);
    expect(traced.stdout).toBe(plain.stdout);
    // Every stderr line is one of ours (the SDK's diag logger prints nothing); one failure line.
    const otel = events(traced.stderr).filter((e) => /otlp|otel|telemetry/i.test(e.event));
    expect(otel.map((e) => e.event)).toEqual(["otlp_export_failed", "otlp_export_summary"]);
    expect(otel[0].url).toBe(`${url}/v1/traces`);
    expect(otel[0].message).toContain(`${url}/v1/traces`);
    expect(events(plain.stderr).map((e) => e.event)).toEqual(
      events(traced.stderr).map((e) => e.event).filter((e) => !e.startsWith("otlp")),
    );
  });

  test("OTEL_DENO=true: spans through Deno's exporter, the SDK never loaded", async () => {
    const c = collector();
    servers.push(c);
    const env = {
      OTEL_DENO: "true",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_ENDPOINT: c.url,
      OTEL_SERVICE_NAME: "harvester",
    };
    const r = await live([], env, tripwireMap(OTEL.slice(1)));
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stderr).filter((e) => e.event.startsWith("otlp"))).toEqual([]);
    const traces = c.traces();
    expect(traces.length).toBeGreaterThan(0);
    for (const t of traces) {
      expect(t.resourceSpans[0].resource.attributes).toContainEqual({
        key: "service.name",
        value: { stringValue: "harvester" },
      });
    }
    const ours = traces.flatMap((t) => t.resourceSpans.flatMap((rs) => rs.scopeSpans))
      .filter((s) => s.scope.name === "harvester").flatMap((s) => s.spans);
    const named = (n: string) => ours.filter((s) => s.name === n);
    const sessions = new Map<string, OtlpSpan>(named("session").map((s) => [s.spanId, s]));
    const bars = named("bar");
    expect(sessions.size).toBe(21);
    expect(bars).toHaveLength(21);
    for (const b of bars) {
      const session = sessions.get(parentOf(b)!)!;
      expect(attr(session, "harvester.session")).toBe(attr(b, "harvester.session"));
      expect(BigInt(b.startTimeUnixNano) >= BigInt(session.startTimeUnixNano)).toBe(true);
      expect(BigInt(b.endTimeUnixNano) <= BigInt(session.endTimeUnixNano)).toBe(true);
    }
    expect(bars.reduce((n, b) => n + Number(attr(b, "harvester.orders.submitted")), 0))
      .toBe(named("broker.submit").length);
    const barIds = new Set(bars.map((b) => b.spanId));
    expect(named("broker.submit").every((s) => barIds.has(parentOf(s)!))).toBe(true);

    // Deno's exporter was set up at the process's start: another --otlp-endpoint is not used.
    const other = await live(["--otlp-endpoint", await deadUrl()], env, tripwireMap(OTEL.slice(1)));
    expect(other.code, other.stderr).toBe(0);
    expect(events(other.stderr).map((e) => e.event)).toContain("otlp_endpoint_ignored");
    expect(c.spans().filter((s) => s.name === "bar")).toHaveLength(42);
  });
});
