/**
 * A minimal tracer with OpenTelemetry's data model and no dependency: spans with W3C trace
 * context ids (16-byte trace id, 8-byte span id, lowercase hex, from `crypto.getRandomValues`),
 * parent and child, attributes, a status (OK, or ERROR with a message) and wall-clock start and end
 * times. An ended span goes to the sink (the OTLP exporter). Loaded only when tracing is enabled.
 */

/** An attribute value; integers encode as OTLP `intValue`, other numbers as `doubleValue`. */
export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

/** OTLP `Span.SpanKind` values used here. */
export const SpanKind = { INTERNAL: 1, CLIENT: 3 } as const;
export type SpanKind = typeof SpanKind[keyof typeof SpanKind];

/** OTLP `Status.StatusCode` values. */
export const StatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type StatusCode = typeof StatusCode[keyof typeof StatusCode];

/** Wall-clock time in fractional epoch milliseconds (sub-millisecond resolution, monotonic). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A random non-zero id of `bytes` bytes as lowercase hex (W3C trace context: a trace id is 16
 * bytes, a span id 8; all zeros is invalid).
 *
 * @example
 * ```ts
 * randomId(16); // "4bf92f3577b34da6a3ce929d0e0e4736"
 * ```
 */
export function randomId(bytes: 8 | 16): string {
  const b = new Uint8Array(bytes);
  for (;;) {
    crypto.getRandomValues(b);
    let s = "", any = 0;
    for (let i = 0; i < bytes; i++) {
      s += HEX[b[i]];
      any |= b[i];
    }
    if (any !== 0) return s;
  }
}

/**
 * Epoch milliseconds (fractional) as OTLP's `fixed64` unix nanoseconds, a decimal string.
 *
 * @example
 * ```ts
 * unixNanos(1700000000000.5); // "1700000000000500000"
 * ```
 */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  const frac = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(frac)).toString();
}

/** One span. Mutable until `end()`; ending twice is a no-op. */
export class Span {
  readonly attributes: Attributes;
  statusCode: StatusCode = StatusCode.UNSET;
  statusMessage = "";
  /** Epoch ms; NaN while the span is open. */
  endMs = NaN;

  constructor(
    private readonly sink: (span: Span) => void,
    readonly name: string,
    readonly kind: SpanKind,
    readonly traceId: string,
    readonly spanId: string,
    /** The parent's span id; "" for a root span. */
    readonly parentSpanId: string,
    /** Epoch ms (fractional). */
    readonly startMs: number,
    attributes: Attributes,
    private readonly clock: () => number,
  ) {
    this.attributes = attributes;
  }

  get ended(): boolean {
    return !Number.isNaN(this.endMs);
  }

  setAttribute(key: string, value: AttributeValue): this {
    this.attributes[key] = value;
    return this;
  }

  /** OK, or ERROR with a message (the message is kept only for ERROR, as OTLP says). */
  setStatus(code: StatusCode, message = ""): this {
    this.statusCode = code;
    this.statusMessage = code === StatusCode.ERROR ? message : "";
    return this;
  }

  /** Ends the span (now, or at `atMs`, never before its start) and hands it to the exporter. */
  end(atMs?: number): void {
    if (this.ended) return;
    const at = atMs === undefined || Number.isNaN(atMs) ? this.clock() : atMs;
    this.endMs = Math.max(this.startMs, at);
    this.sink(this);
  }
}

export interface StartSpanOptions {
  /** @default SpanKind.INTERNAL */
  kind?: SpanKind;
  /** The parent span: the child shares its trace id. None: a new trace. */
  parent?: Span | null;
  attributes?: Attributes;
  /** Epoch ms. @default now */
  startMs?: number;
}

/**
 * Starts spans; each ended span goes to `sink`.
 *
 * @example
 * ```ts
 * const tracer = new Tracer((span) => exporter.add(span));
 * const bar = tracer.startSpan("bar", { attributes: { "harvester.session": "2014-01-02" } });
 * const call = tracer.startSpan("broker.submit", { kind: SpanKind.CLIENT, parent: bar });
 * call.setStatus(StatusCode.OK).end();
 * bar.end();
 * ```
 */
export class Tracer {
  constructor(
    private readonly sink: (span: Span) => void,
    readonly clock: () => number = wallClockMs,
  ) {}

  startSpan(name: string, o: StartSpanOptions = {}): Span {
    const parent = o.parent ?? null;
    return new Span(
      this.sink,
      name,
      o.kind ?? SpanKind.INTERNAL,
      parent ? parent.traceId : randomId(16),
      randomId(8),
      parent ? parent.spanId : "",
      o.startMs ?? this.clock(),
      { ...o.attributes },
      this.clock,
    );
  }
}
