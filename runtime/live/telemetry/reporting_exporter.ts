/**
 * What the OpenTelemetry SDK does not say on its own: how many spans reached the collector and how
 * many were lost. Wraps the OTLP exporter: counts the spans of each export by its result, reports
 * the first failure once on the session's log (the SDK only tells its `diag` logger, which is
 * silent unless someone installs one), and, once shutting down while the collector fails, drops
 * what is left at once instead of holding the process's exit for the exporter's retries.
 */
import type { SpanExporter } from "@opentelemetry/sdk-trace";
import type { Logger } from "../../log.ts";

type ExportCallback = Parameters<SpanExporter["export"]>[1];
type ExportResult = Parameters<ExportCallback>[0];
// @opentelemetry/core's ExportResultCode: SUCCESS = 0, FAILED = 1.
const SUCCESS = 0 as ExportResult["code"];
const FAILED = 1 as ExportResult["code"];

/** One line on what went wrong: an HTTP status (OTLPExporterError's `code`) or the error's message. */
export function exportProblem(error: unknown): string {
  const e = error as { code?: unknown; message?: string } | undefined;
  const message = e?.message || String(error ?? "unknown error");
  return typeof e?.code === "number"
    ? `HTTP ${e.code}${e.message ? ` ${e.message}` : ""}`
    : message;
}

/**
 * An exporter that counts what it delivers and loses, and warns once.
 *
 * @example
 * ```ts
 * const exporter = new ReportingExporter(new OTLPTraceExporter({ url }), url, log);
 * new BatchSpanProcessor({ exporter });
 * exporter.exported; // spans the collector accepted
 * ```
 */
export class ReportingExporter implements SpanExporter {
  /** Spans the collector accepted. */
  exported = 0;
  /** Spans in exports that failed (or were dropped while shutting down with the collector down). */
  failed = 0;
  private down = false;
  private closing = false;
  private warned = false;

  constructor(
    private readonly inner: SpanExporter,
    readonly url: string,
    private readonly log: Logger,
  ) {}

  export(spans: Parameters<SpanExporter["export"]>[0], done: ExportCallback): void {
    if (this.closing && this.down) {
      this.failed += spans.length;
      done({ code: FAILED, error: new Error(`collector at ${this.url} is failing; not retried`) });
      return;
    }
    this.inner.export(spans, (r) => {
      if (r.code === SUCCESS) {
        this.exported += spans.length;
        this.down = false;
      } else {
        this.failed += spans.length;
        this.down = true;
        this.warnOnce(r.error);
      }
      done(r);
    });
  }

  /** From now on, while the collector fails, spans are dropped rather than sent and retried. */
  closeSoon(): void {
    this.closing = true;
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.closing = true;
    return this.inner.shutdown();
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.log.warn("otlp_export_failed", {
      message: `OpenTelemetry export to ${this.url} failed (${exportProblem(error)}); ` +
        "spans are dropped while it fails; trading is not affected",
      url: this.url,
    });
  }
}
