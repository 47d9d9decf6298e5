/**
 * Test helpers for OpenTelemetry: an OTLP/HTTP collector on 127.0.0.1 that keeps every request,
 * the OTLP JSON it receives (typed here), readers that take both exporters' spellings, a URL
 * where nothing listens, and a logger that keeps its events.
 */
import type { Logger } from "../../runtime/log.ts";

/**
 * OTLP `AnyValue`, the scalar cases, in the JSON Protobuf encoding: 64-bit integers as strings
 * or numbers (the proto3 JSON mapping accepts both; the JS SDK writes numbers), doubles as
 * numbers (Deno's exporter writes every number attribute as a double).
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
 */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string | number }
  | { doubleValue: number | string };
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
/** opentelemetry-proto trace/v1 `Span`, the fields these tests read. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** Absent or "" for a root span. */
  parentSpanId?: string;
  name: string;
  /** SpanKind: 1 INTERNAL, 3 CLIENT. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  /** StatusCode: 0 UNSET, 1 OK, 2 ERROR; an absent field is its default (0, ""). */
  status?: { code?: number; message?: string };
}
export interface ExportTraceServiceRequest {
  resourceSpans: {
    resource: { attributes: OtlpKeyValue[] };
    scopeSpans: { scope: { name: string }; spans: OtlpSpan[] }[];
  }[];
}
export interface CollectedRequest {
  path: string;
  type: string | null;
  body: unknown;
}

/**
 * An OTLP/HTTP collector on 127.0.0.1 keeping every request. As the OTLP/HTTP spec says, it takes
 * `POST /v1/traces` (and `/v1/logs`, `/v1/metrics`, which Deno's exporter also sends) and answers
 * 200 with an empty JSON object, a full success; `status` makes it answer an error instead.
 * https://opentelemetry.io/docs/specs/otlp/#otlphttp-request
 */
export function collector(o: { status?: number } = {}) {
  const requests: CollectedRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    requests.push({
      path: new URL(req.url).pathname,
      type: req.headers.get("content-type"),
      body: await req.json(),
    });
    if (o.status) return new Response("refused", { status: o.status });
    return Response.json({});
  });
  const traces = () =>
    requests.filter((r) => r.path === "/v1/traces").map((r) => r.body as ExportTraceServiceRequest);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    traces,
    spans: (): OtlpSpan[] =>
      traces().flatMap((b) => b.resourceSpans.flatMap((rs) => rs.scopeSpans))
        .flatMap((ss) => ss.spans),
    close: () => server.shutdown(),
  };
}

/** An attribute's value as JS: integers and doubles as numbers. */
export function attr(s: OtlpSpan, key: string): string | number | boolean | undefined {
  const v = s.attributes.find((a) => a.key === key)?.value;
  if (!v) return undefined;
  if ("stringValue" in v) return v.stringValue;
  if ("boolValue" in v) return v.boolValue;
  if ("intValue" in v) return Number(v.intValue);
  return Number(v.doubleValue);
}

/** The parent's span id, or undefined for a root. */
export const parentOf = (s: OtlpSpan): string | undefined => s.parentSpanId || undefined;

/** The status with its defaults filled in. */
export const statusOf = (s: OtlpSpan): { code: number; message: string } => ({
  code: s.status?.code ?? 0,
  message: s.status?.message ?? "",
});

/** A URL where nothing listens (a server started and shut down). */
export async function deadUrl(): Promise<string> {
  const c = collector();
  await c.close();
  return c.url;
}

export function capture(): Logger & {
  warns: { event: string; fields?: Record<string, unknown> }[];
  infos: { event: string; fields?: Record<string, unknown> }[];
} {
  const warns: { event: string; fields?: Record<string, unknown> }[] = [];
  const infos: { event: string; fields?: Record<string, unknown> }[] = [];
  return {
    warns,
    infos,
    info: (event, fields) => infos.push({ event, fields }),
    warn: (event, fields) => warns.push({ event, fields }),
  };
}
