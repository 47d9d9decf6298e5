/**
 * Optional OpenTelemetry tracing of live and paper sessions (`--otlp-endpoint URL` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT`): a span per session, per bar and per broker call, through
 * `@opentelemetry/api`. `runLive` loads this module by dynamic import only when tracing is on;
 * the OpenTelemetry SDK only when Deno's own exporter is not on (backends.ts).
 */
import type { Logger } from "../../log.ts";
import { denoBackend, denoOtelOn, sdkBackend, type SdkBackendOptions } from "./backends.ts";
import { SessionTracing } from "./session_tracing.ts";

export { SessionTracing, type TracedSession } from "./session_tracing.ts";
export { type ExportStats, tracesUrl } from "./backends.ts";

/**
 * Tracing for a session, exporting to an OTLP/HTTP collector's base URL: through Deno's exporter
 * when the process runs with `OTEL_DENO=true`, else through the OpenTelemetry SDK.
 *
 * @example
 * ```ts
 * const tracing = await startTracing("http://127.0.0.1:4318", log); // spans to …:4318/v1/traces
 * ```
 */
export async function startTracing(
  endpoint: string,
  log: Logger,
  o: SdkBackendOptions = {},
): Promise<SessionTracing> {
  const backend = denoOtelOn() ? denoBackend(endpoint, log) : await sdkBackend(endpoint, log, o);
  return new SessionTracing(backend);
}
