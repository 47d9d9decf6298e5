/**
 * Test helpers for OpenTelemetry: an OTLP/HTTP collector on 127.0.0.1 that keeps every request,
 * a URL where nothing listens, and a logger that keeps its warnings.
 */
import type { Logger } from "../../runtime/log.ts";
import type {
  ExportTraceServiceRequest,
  OtlpSpan,
} from "../../runtime/live/telemetry/otlp_exporter.ts";

export /** An OTLP/HTTP collector on 127.0.0.1 keeping every request; `hold` delays the responses. */
function collector() {
  const requests: { path: string; type: string | null; body: ExportTraceServiceRequest }[] = [];
  let release: () => void = () => {};
  let held: Promise<void> | null = null;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    requests.push({
      path: new URL(req.url).pathname,
      type: req.headers.get("content-type"),
      body: await req.json(),
    });
    if (held) await held;
    return Response.json({});
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    spans: (): OtlpSpan[] =>
      requests.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans))
        .flatMap((ss) => ss.spans),
    hold() {
      held = new Promise<void>((r) => release = r);
    },
    release() {
      held = null;
      release();
    },
    close: () => server.shutdown(),
  };
}

/** A URL where nothing listens (a server started and shut down). */
export async function deadUrl(): Promise<string> {
  const c = collector();
  await c.close();
  return c.url;
}

export function capture(): Logger & {
  warns: { event: string; fields?: Record<string, unknown> }[];
} {
  const warns: { event: string; fields?: Record<string, unknown> }[] = [];
  return { warns, info() {}, warn: (event, fields) => warns.push({ event, fields }) };
}
