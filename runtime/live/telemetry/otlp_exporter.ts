/**
 * Batched span export by OTLP/HTTP with the JSON Protobuf encoding: `POST {endpoint}/v1/traces`,
 * `Content-Type: application/json`, an `ExportTraceServiceRequest` (lowerCamelCase field names,
 * hex trace and span ids, enums as integers, 64-bit integers as decimal strings).
 *
 * Export never gets in trading's way: spans wait in a bounded queue (the oldest are dropped, and
 * counted, when it is full), go out in batches every `batchSize` spans or `intervalMs`, one request
 * at a time, each with a timeout; a failed batch is dropped (counted), and only the first failure
 * is logged. `shutdown()` sends what is left and is awaited when a session stops.
 */
import type { Logger } from "../../log.ts";
import { InvalidInputError } from "../../errors.ts";
import {
  type Attributes,
  type AttributeValue,
  type Span,
  StatusCode,
  unixNanos,
} from "./tracer.ts";

/** OTLP `AnyValue`, the scalar cases. */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status?: { code: number; message?: string };
}
export interface ExportTraceServiceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}

/** The instrumentation scope's name (and the default `service.name`). */
export const SCOPE_NAME = "harvester";

/** A value as OTLP `AnyValue`: safe integers as `intValue` (a string), other numbers as doubles. */
export function anyValue(v: AttributeValue): OtlpAnyValue {
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { boolValue: v };
  if (Number.isSafeInteger(v)) return { intValue: String(v) };
  // proto3 JSON writes the non-finite doubles as strings.
  return { doubleValue: Number.isFinite(v) ? v : String(v) };
}

/** Attributes as an OTLP `KeyValue` list. */
export function keyValues(a: Attributes): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const key in a) out.push({ key, value: anyValue(a[key]) });
  return out;
}

/** One span in OTLP JSON. */
export function otlpSpan(s: Span): OtlpSpan {
  const out: OtlpSpan = {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: unixNanos(s.startMs),
    endTimeUnixNano: unixNanos(s.endMs),
    attributes: keyValues(s.attributes),
  };
  if (s.statusCode !== StatusCode.UNSET) {
    out.status = s.statusMessage
      ? { code: s.statusCode, message: s.statusMessage }
      : { code: s.statusCode };
  }
  return out;
}

/**
 * The request body for a batch of ended spans: one resource, one scope.
 *
 * @example
 * ```ts
 * const body = exportRequest(spans, { "service.name": "harvester" });
 * body.resourceSpans[0].scopeSpans[0].spans.length === spans.length;
 * ```
 */
export function exportRequest(
  spans: readonly Span[],
  resource: Attributes,
): ExportTraceServiceRequest {
  return {
    resourceSpans: [{
      resource: { attributes: keyValues(resource) },
      scopeSpans: [{ scope: { name: SCOPE_NAME }, spans: spans.map(otlpSpan) }],
    }],
  };
}

/**
 * The traces URL of an OTLP/HTTP base endpoint (as `OTEL_EXPORTER_OTLP_ENDPOINT` is read):
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

export interface OtlpExporterOptions {
  /** The collector's base URL (OTLP/HTTP, usually port 4318); spans go to `{endpoint}/v1/traces`. */
  endpoint: string;
  /** Resource attributes. @default { "service.name": "harvester" } */
  resource?: Attributes;
  /** Spans per request; a full batch is sent at once. @default 256 */
  batchSize?: number;
  /** Spans kept waiting at most; beyond it the oldest are dropped. @default 4096 */
  maxQueue?: number;
  /** A partial batch is sent after this long. @default 5000 */
  intervalMs?: number;
  /** Per request. @default 10000 */
  timeoutMs?: number;
  /** Where the first export failure is reported. */
  log?: Logger;
  fetch?: typeof fetch;
}

/** What became of the spans handed to the exporter. */
export interface ExporterStats {
  /** Accepted by the collector. */
  exported: number;
  /** Dropped: from a full queue (the oldest first), added after shutdown, or left at shutdown
   * once the collector failed. */
  dropped: number;
  /** Lost with a failed request. */
  failed: number;
  /** Requests that failed. */
  failedRequests: number;
}

/**
 * Queues ended spans and sends them in batches.
 *
 * @example
 * ```ts
 * const exporter = new OtlpExporter({ endpoint: "http://127.0.0.1:4318", log });
 * const tracer = new Tracer((span) => exporter.add(span));
 * // … spans …
 * await exporter.shutdown(); // sends what is left
 * ```
 */
export class OtlpExporter {
  readonly url: string;
  private readonly resource: Attributes;
  private readonly batchSize: number;
  private readonly maxQueue: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly log: Logger | undefined;
  private queue: Span[] = [];
  private sending: Promise<void> | null = null;
  private timer: ReturnType<typeof setInterval> | null;
  private closed = false;
  private logged = false;
  private readonly counts: ExporterStats = {
    exported: 0,
    dropped: 0,
    failed: 0,
    failedRequests: 0,
  };

  constructor(o: OtlpExporterOptions) {
    this.url = tracesUrl(o.endpoint);
    this.resource = { "service.name": SCOPE_NAME, ...o.resource };
    this.batchSize = Math.max(1, o.batchSize ?? 256);
    this.maxQueue = Math.max(this.batchSize, o.maxQueue ?? 4096);
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.fetch = o.fetch ?? fetch;
    this.log = o.log;
    this.timer = setInterval(() => {
      if (this.queue.length && !this.sending) void this.pump();
    }, Math.max(10, o.intervalMs ?? 5000));
    unref(this.timer);
  }

  /** Queues an ended span; sends a batch when one is full. Never throws, never waits. */
  add(span: Span): void {
    if (this.closed) {
      this.counts.dropped++;
      return;
    }
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.counts.dropped++;
    }
    this.queue.push(span);
    if (this.queue.length >= this.batchSize && !this.sending) void this.pump();
  }

  /** Sends everything queued; resolves when it is sent (or lost). Never rejects. */
  async flush(): Promise<void> {
    while (this.queue.length || this.sending) await this.pump();
  }

  /** Stops the timer, sends what is left; later spans are dropped. Never rejects. */
  async shutdown(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.closed = true;
    await this.flush();
  }

  stats(): ExporterStats {
    return { ...this.counts };
  }

  /** One sender at a time: batches go out in order until the queue is empty. */
  private pump(): Promise<void> {
    if (this.sending) return this.sending;
    const run = async () => {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.batchSize);
        if (!(await this.send(batch)) && this.closed) {
          // Shutting down and the collector fails: do not hold the exit batch after batch.
          this.counts.dropped += this.queue.length;
          this.queue = [];
        }
      }
    };
    const p: Promise<void> = run().catch(() => {}).finally(() => {
      if (this.sending === p) this.sending = null;
    });
    this.sending = p;
    return p;
  }

  private async send(batch: Span[]): Promise<boolean> {
    let problem: string;
    try {
      const res = await this.fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(exportRequest(batch, this.resource)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel().catch(() => {});
      if (res.ok) {
        this.counts.exported += batch.length;
        return true;
      }
      problem = `HTTP ${res.status}`;
    } catch (e) {
      problem = (e as Error)?.message ?? String(e);
    }
    this.counts.failed += batch.length;
    this.counts.failedRequests++;
    if (!this.logged) {
      this.logged = true;
      this.log?.warn("otlp_export_failed", {
        message: `OpenTelemetry export to ${this.url} failed (${problem}); ` +
          "spans are dropped while it fails; trading is not affected",
        url: this.url,
      });
    }
    return false;
  }
}

/** Lets the process exit with the flush timer pending (Deno's timers, or Node's). */
function unref(timer: unknown): void {
  if (typeof timer === "number") Deno.unrefTimer(timer);
  else (timer as { unref?: () => void }).unref?.();
}
