/**
 * Where a session's spans go. Two backends, one tracer interface (`@opentelemetry/api`):
 *
 * - Deno's own OpenTelemetry, when the process was started with `OTEL_DENO=true`: Deno registers
 *   its tracer provider with the API, reads `OTEL_EXPORTER_OTLP_*` and `OTEL_SERVICE_NAME` at start,
 *   and sends what is left when the process exits. No SDK module is loaded.
 * - Otherwise the OpenTelemetry SDK's `TracerProvider` with a `BatchSpanProcessor` and the OTLP/HTTP
 *   JSON exporter, loaded here by dynamic import (only a traced session pays for it), its resource
 *   `service.name=harvester`. `shutdown()` sends the last batch before the session returns.
 */
import { trace, type Tracer } from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace";
import { InvalidInputError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { ReportingExporter } from "./reporting_exporter.ts";

/** The instrumentation scope's name, and the SDK resource's `service.name`. */
export const SCOPE_NAME = "harvester";

/** What became of the spans (the SDK backend; Deno's keeps its own books). */
export interface ExportStats {
  /** Spans ended by the session. */
  ended: number;
  /** Accepted by the collector. */
  exported: number;
  /** Not accepted: failed exports, a full queue, or dropped at shutdown while the collector fails. */
  lost: number;
}

export interface SpanBackend {
  readonly via: "sdk" | "deno";
  readonly tracer: Tracer;
  /** Sends the spans ended so far; resolves when they are sent or lost. Never rejects. */
  flush(): Promise<void>;
  /** Sends every ended span and stops; resolves when they are sent or lost. Never rejects. */
  shutdown(): Promise<void>;
  stats(): ExportStats | null;
}

/**
 * The traces URL of an OTLP/HTTP base endpoint, as `OTEL_EXPORTER_OTLP_ENDPOINT` is read:
 * `/v1/traces` appended to its path.
 *
 * @example
 * ```ts
 * tracesUrl("http://127.0.0.1:4318"); // "http://127.0.0.1:4318/v1/traces"
 * ```
 */
export function tracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidInputError("otlp_endpoint", endpoint, "not a URL; give http://host:4318");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidInputError("otlp_endpoint", endpoint, "must be an http:// or https:// URL");
  }
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/traces`;
  return url.toString();
}

/** The process environment, or what stands for it. */
export type Env = { get(key: string): string | undefined };

/** Whether Deno's own OpenTelemetry is on in this process (it reads `OTEL_DENO` at start). */
export function denoOtelOn(env: Env = Deno.env): boolean {
  return env.get("OTEL_DENO") === "true";
}

/**
 * Spans through Deno's built-in exporter. Its endpoint is the one Deno read at start; an
 * `endpoint` that differs is reported (Deno cannot be told another).
 *
 * @example
 * ```ts
 * const backend = denoBackend("http://127.0.0.1:4318", log); // with OTEL_DENO=true
 * ```
 */
export function denoBackend(endpoint: string, log: Logger, env: Env = Deno.env): SpanBackend {
  const base = env.get("OTEL_EXPORTER_OTLP_ENDPOINT");
  const deno = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") ??
    tracesUrl(base ?? "http://localhost:4318");
  if (deno !== tracesUrl(endpoint)) {
    log.warn("otlp_endpoint_ignored", {
      message: `OTEL_DENO=true: spans go to Deno's exporter at ${deno}, not to ${endpoint}; ` +
        "set OTEL_EXPORTER_OTLP_ENDPOINT when starting the process instead",
      url: endpoint,
    });
  }
  return {
    via: "deno",
    tracer: trace.getTracer(SCOPE_NAME),
    // Deno exports in the background and sends the rest as the process exits.
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    stats: () => null,
  };
}

export interface SdkBackendOptions {
  /** Per export, retries included. @default $OTEL_EXPORTER_OTLP_TIMEOUT, else 10000 */
  timeoutMs?: number;
  /** A partial batch is sent after this long. @default 5000 */
  scheduledDelayMs?: number;
}

/**
 * Spans through the OpenTelemetry SDK and its OTLP/HTTP JSON exporter, to `{endpoint}/v1/traces`.
 *
 * @example
 * ```ts
 * const backend = await sdkBackend("http://127.0.0.1:4318", log);
 * backend.tracer.startSpan("bar").end();
 * await backend.shutdown(); // the batch is at the collector
 * ```
 */
export async function sdkBackend(
  endpoint: string,
  log: Logger,
  o: SdkBackendOptions = {},
): Promise<SpanBackend> {
  const url = tracesUrl(endpoint);
  const [
    { BatchSpanProcessor, TracerProvider },
    { OTLPTraceExporter },
    { resourceFromAttributes },
  ] = await Promise.all([
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const exporter = new ReportingExporter(
    new OTLPTraceExporter(
      o.timeoutMs === undefined ? { url } : { url, timeoutMillis: o.timeoutMs },
    ),
    url,
    log,
  );
  let ended = 0;
  // Counts every ended span, so spans the batch processor drops (a full queue) are counted too.
  const counter: SpanProcessor = {
    onStart() {},
    onEnd() {
      ended++;
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": SCOPE_NAME,
      "process.pid": Deno.pid,
      "process.runtime.name": "deno",
      "process.runtime.version": Deno.version.deno,
    }),
    spanProcessors: [
      counter,
      new BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: o.scheduledDelayMs,
        // A fast replay ends spans quicker than one request at a time sends them: room for bursts.
        maxQueueSize: 4096,
      }),
    ],
  });
  const stats = (): ExportStats => ({
    ended,
    exported: exporter.exported,
    lost: ended - exporter.exported,
  });
  return {
    via: "sdk",
    tracer: provider.getTracer(SCOPE_NAME),
    stats,
    // A failed export rejects; it is already counted (and was reported once).
    flush: () => provider.forceFlush().catch(() => {}),
    async shutdown() {
      exporter.closeSoon();
      await provider.shutdown().catch(() => {});
      const s = stats();
      if (s.lost > 0) {
        log.info("otlp_export_summary", {
          message: `OpenTelemetry: ${s.lost} of ${s.ended} spans did not reach ${url}`,
          url,
          ...s,
        });
      }
    },
  };
}
