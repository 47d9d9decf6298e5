/**
 * Tracing of a live or paper session: one span per bar, one client span per broker call (children
 * of the bar in progress), exported by OTLP/HTTP JSON. `runLive` loads this module (by dynamic
 * import) only when an OTLP endpoint is set; without one nothing here is loaded or installed.
 *
 * The bar loops are not changed for it: a bar is followed through the session objects they already
 * call at its boundaries. A daily bar starts with its `bar` journal entry and ends with its
 * `session_end` entry; a minute bar starts when the live market advances to its minute, and ends
 * with its last step (an order-manager drain, or a broker call) once the next bar, a session's
 * open, or the end of the loop (`endBar`) shows that it is over — so the idle wait for the next
 * minute is not in it. A session's last minute bar ends with its `session_end` entry, so it also
 * covers the session's close, as a daily bar does.
 */
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { Broker } from "../../model/broker.ts";
import type { Logger } from "../../log.ts";
import type { Journal } from "../journal.ts";
import { type ExporterStats, OtlpExporter, type OtlpExporterOptions } from "./otlp_exporter.ts";
import { TracedBroker } from "./traced_broker.ts";
import { type Attributes, type Span, SpanKind, StatusCode, Tracer } from "./tracer.ts";

/** The session objects whose calls mark bar boundaries. */
export interface TracedSession {
  journal: Pick<Journal, "write">;
  manager: { drain(): number };
  /** A live minute session's market (null in a replayed paper session). */
  market: { advanceTo(minute: number): void } | null;
  /** The session label in progress (UTC ms). */
  session(): number;
  tradingState(): string;
}

/** What a bar span counts, by attribute name. */
interface BarCounts {
  "harvester.orders.submitted": number;
  "harvester.orders.cancelled": number;
  /** Refused by the risk gate (`risk_denied`). */
  "harvester.orders.denied": number;
  "harvester.broker.calls": number;
  "harvester.broker.errors": number;
  /** Fill events received while the bar was in progress. */
  "harvester.fills": number;
}
const zero = (): BarCounts => ({
  "harvester.orders.submitted": 0,
  "harvester.orders.cancelled": 0,
  "harvester.orders.denied": 0,
  "harvester.broker.calls": 0,
  "harvester.broker.errors": 0,
  "harvester.fills": 0,
});

/** Journal entries that show the bar in progress is over (its last step was before them). */
const CLOSES_BAR = new Set(["session_open", "session_stopped", "session_restored"]);

/**
 * A session's tracer, exporter and bar spans.
 *
 * @example
 * ```ts
 * const tracing = startTracing("http://127.0.0.1:4318", log);
 * const broker = tracing.wrap(venue);             // before the order manager gets it
 * tracing.watch({ journal, manager, market, session: () => algo.current_session, … });
 * // … the session runs …
 * await tracing.shutdown();                        // the last spans are sent
 * ```
 */
export class SessionTracing {
  readonly exporter: OtlpExporter;
  readonly tracer: Tracer;
  private bar: Span | null = null;
  /** When the bar in progress last did something (epoch ms). */
  private lastStep = NaN;
  private n = zero();
  private firstError = "";
  private tradingState: () => string = () => "";

  constructor(o: OtlpExporterOptions) {
    this.exporter = new OtlpExporter({
      ...o,
      resource: {
        "service.name": "harvester",
        "process.pid": Deno.pid,
        "process.runtime.name": "deno",
        "process.runtime.version": Deno.version.deno,
        ...o.resource,
      },
    });
    this.tracer = new Tracer((span) => this.exporter.add(span));
  }

  /** The broker the session should use: every call a span, a child of the bar in progress. */
  wrap(broker: Broker): Broker {
    return new TracedBroker(broker, this.tracer, {
      parent: () => this.bar,
      called: (method, span) => this.called(method, span),
    });
  }

  /** Follows the session's bars through the calls its loops make at their boundaries. */
  watch(s: TracedSession): void {
    this.tradingState = s.tradingState;
    const journal = s.journal, write = journal.write.bind(journal);
    journal.write = (type, fields, sync) => {
      if (type === "bar") {
        const f = fields ?? {};
        this.startBar("daily", String(f.session), Number(f.time), {
          "harvester.bar.symbols": Array.isArray(f.bars) ? f.bars.length : 0,
        });
      } else if (this.bar && CLOSES_BAR.has(type)) this.closeBar(this.lastStep);
      write(type, fields, sync);
      if (this.bar) {
        if (type === "session_end") this.closeBar();
        else if (type === "risk_denied") this.n["harvester.orders.denied"]++;
        // Fills count where the runtime books them (the venue may report them a moment earlier).
        else if (type === "fill") this.n["harvester.fills"]++;
        else if (type === "kill_switch") {
          this.bar.setAttribute("harvester.kill_switch", String(fields?.reason ?? ""));
        }
      }
    };
    const manager = s.manager, drain = manager.drain.bind(manager);
    manager.drain = () => {
      const n = drain();
      if (this.bar) this.lastStep = this.tracer.clock();
      return n;
    };
    const market = s.market;
    if (market) {
      const advance = market.advanceTo.bind(market);
      market.advanceTo = (minute: number) => {
        this.startBar("minute", isoDate(s.session() / DAY_MS), minute);
        advance(minute);
      };
    }
  }

  /** The bar loop is over: the bar in progress ends with its last step. */
  endBar(): void {
    this.closeBar(this.lastStep);
  }

  /** Ends the bar in progress and sends every span left. Never rejects. */
  async shutdown(): Promise<void> {
    this.endBar();
    await this.exporter.shutdown();
  }

  stats(): ExporterStats {
    return this.exporter.stats();
  }

  private startBar(frequency: string, session: string, time: number, extra: Attributes = {}): void {
    this.closeBar(this.lastStep);
    this.bar = this.tracer.startSpan("bar", {
      kind: SpanKind.INTERNAL,
      attributes: {
        "harvester.bar.frequency": frequency,
        "harvester.session": session,
        "harvester.bar.time": Number.isFinite(time) ? new Date(time).toISOString() : "",
        ...extra,
      },
    });
    this.lastStep = this.bar.startMs;
    this.n = zero();
    this.firstError = "";
  }

  /** Ends the bar in progress at `atMs` (default now). */
  private closeBar(atMs?: number): void {
    const bar = this.bar;
    if (!bar) return;
    this.bar = null;
    for (const [k, v] of Object.entries(this.n)) bar.setAttribute(k, v);
    bar.setAttribute("harvester.trading_state", this.tradingState());
    const errors = this.n["harvester.broker.errors"];
    if (errors) {
      const n = errors === 1 ? "1 broker call" : `${errors} broker calls`;
      bar.setStatus(StatusCode.ERROR, `${n} failed: ${this.firstError}`);
    } else bar.setStatus(StatusCode.OK);
    bar.end(atMs);
  }

  private called(method: string, span: Span): void {
    if (!this.bar || span.parentSpanId !== this.bar.spanId) return;
    const n = this.n;
    n["harvester.broker.calls"]++;
    if (method === "submit") n["harvester.orders.submitted"]++;
    else if (method === "cancel") n["harvester.orders.cancelled"]++;
    if (span.statusCode === StatusCode.ERROR) {
      if (!n["harvester.broker.errors"]++) this.firstError = `${method}: ${span.statusMessage}`;
    }
    this.lastStep = Math.max(this.lastStep, span.endMs);
  }
}

/**
 * Tracing for a session, exporting to an OTLP/HTTP collector's base URL.
 *
 * @example
 * ```ts
 * const tracing = startTracing("http://127.0.0.1:4318", log); // spans to …:4318/v1/traces
 * ```
 */
export function startTracing(
  endpoint: string,
  log?: Logger,
  o: Omit<OtlpExporterOptions, "endpoint" | "log"> = {},
): SessionTracing {
  return new SessionTracing({ ...o, endpoint, log });
}
