/**
 * Optional OpenTelemetry tracing of live and paper sessions (`--otlp-endpoint URL`): spans per bar
 * and per broker call, exported by OTLP/HTTP JSON with no dependency. Loaded by dynamic import only
 * when enabled.
 */
export { SessionTracing, startTracing, type TracedSession } from "./session_tracing.ts";
export { TracedBroker } from "./traced_broker.ts";
export { type ExporterStats, exportRequest, OtlpExporter, tracesUrl } from "./otlp_exporter.ts";
export { randomId, type Span, SpanKind, StatusCode, Tracer, unixNanos } from "./tracer.ts";
