/**
 * Tracing of a live or paper session, as hooks on the engine's loop (engine.ts `EngineHooks`): one
 * hook placed before the session's own hooks opens spans, one placed after them closes them, so a
 * span covers every hook of its point and nothing of the idle wait between bars.
 *
 * The spans:
 * - `session` (INTERNAL, a root): one per trading session, from the engine's session start to
 *   its end (perf row written, state saved). It parents the session's bars and the broker calls
 *   made outside them: the session's close (the cancel policy's cancels, auto-close orders) and
 *   the daily loss limit's kill switch. Its counts are those of that work, not its bars'.
 * - `bar` (INTERNAL, child of its session): from the first `barOpen` hook to the last
 *   `afterDecisions` hook (decisions, drains, in-flight queries, the journal written out).
 * - `broker.<method>` (CLIENT, traced_broker.ts): child of the bar in progress, else of the
 *   session in progress, else a root (connecting, subscribing, a restart's queries, the cancels of
 *   a stop, disconnecting).
 *
 * Counts come from the order manager's counters (orders/counters.ts), as differences between span
 * boundaries, and from the traced broker (calls, errors). A bar's fills include those the venue
 * booked as the bar's data arrived, just before the hooks ran. A span still open when tracing
 * shuts down was left by an error: it ends with ERROR status.
 */
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { DAY_MS, isoDate } from "../../../calendars/days.ts";
import type { BarEvent, EngineHooks, SessionEnd, SessionStart } from "../../engine/engine.ts";
import type { Broker } from "../../model/broker.ts";
import type { OrderCounters } from "../../orders/counters.ts";
import type { ExportStats, SpanBackend } from "./backends.ts";
import { type CallScope, TracedBroker, wallClockMs } from "./traced_broker.ts";

/** What tracing reads of a session (`Session` in session.ts has all of it). */
export interface TracedSession {
  readonly manager: {
    readonly counters: Readonly<
      Pick<OrderCounters, "submitted" | "cancelRequests" | "riskDenied" | "fills">
    >;
  };
  readonly risk: { readonly state: string };
  /** The kill switch's reason once thrown. */
  readonly killed: string | null;
  readonly algo: { readonly data_frequency: string };
}

/** Counter attributes, in the order `read` returns them. */
const COUNTS = [
  "harvester.orders.submitted",
  "harvester.orders.cancelled",
  "harvester.orders.denied",
  "harvester.fills",
] as const;
const FILLS = 3;

const read = (s: TracedSession): number[] => {
  const c = s.manager.counters;
  return [c.submitted, c.cancelRequests, c.riskDenied, c.fills];
};

/** A span in progress: its context for children, and what it counts. */
class OpenSpan implements CallScope {
  readonly ctx: Context;
  open = true;
  calls = 0;
  errors = 0;
  firstError = "";
  /** A session's bars so far. */
  bars = 0;
  readonly counts = [0, 0, 0, 0];

  constructor(
    readonly span: Span,
    parent: Context,
    readonly isSession: boolean,
    readonly haltedAtStart: boolean,
  ) {
    this.ctx = trace.setSpan(parent, span);
  }
}

/**
 * A session's spans.
 *
 * @example
 * ```ts
 * const tracing = await startTracing("http://127.0.0.1:4318", log);
 * const broker = tracing.wrap(venue);                // before the order manager gets it
 * const hooks = tracing.around(sessionHooks(s), s);  // the engine's hooks
 * // … the engine runs …
 * await tracing.shutdown();                          // the last spans are sent
 * ```
 */
export class SessionTracing {
  private session: OpenSpan | null = null;
  private bar: OpenSpan | null = null;
  private view: TracedSession | null = null;
  /** The counters at the last span boundary. */
  private last = [0, 0, 0, 0];

  constructor(private readonly backend: SpanBackend) {}

  /** The broker the session should use: every call a span, a child of the span in progress. */
  wrap(broker: Broker): Broker {
    return new TracedBroker(broker, this.backend.tracer, () => this.bar ?? this.session);
  }

  /** The engine's hooks: tracing's opening hook, `inner`, then tracing's closing hook. */
  around(inner: EngineHooks, s: TracedSession): EngineHooks[] {
    this.view = s;
    const first: EngineHooks = {
      sessionStart: (e: SessionStart) => {
        this.endOpen();
        this.take(null);
        this.session = this.open("session", ROOT_CONTEXT, {
          "harvester.session": isoDate(e.session / DAY_MS),
          "harvester.bar.frequency": s.algo.data_frequency,
        });
      },
      barOpen: (e: BarEvent) => {
        const d = this.take(null), session = this.session;
        if (session) {
          session.bars++;
          for (let i = 0; i < d.length; i++) if (i !== FILLS) session.counts[i] += d[i];
        }
        this.bar = this.open("bar", session?.ctx ?? ROOT_CONTEXT, {
          "harvester.bar.frequency": s.algo.data_frequency,
          "harvester.session": isoDate(e.session / DAY_MS),
          "harvester.bar.time": new Date(e.time).toISOString(),
        });
        // The venue matched this bar's data just before the hooks ran: those fills are the bar's.
        this.bar.counts[FILLS] += d[FILLS];
      },
    };
    const last: EngineHooks = {
      afterDecisions: () => {
        this.take(this.bar);
        this.close(this.bar);
        this.bar = null;
      },
      sessionEnd: (e: SessionEnd) => {
        this.take(this.session);
        this.session?.span.setAttribute("harvester.session.complete", e.complete);
        this.close(this.session);
        this.session = null;
      },
    };
    return [first, inner, last];
  }

  /** The loop is over (or stopped): the spans in progress end now; later calls are roots. */
  endOpen(): void {
    this.take(this.bar ?? this.session);
    this.close(this.bar);
    this.close(this.session);
    this.bar = this.session = null;
  }

  /** Ends what is still open (left by an error) and sends every span left. Never rejects. */
  async shutdown(): Promise<void> {
    const why = "the session stopped here on an error";
    this.take(this.bar ?? this.session);
    this.close(this.bar, why);
    this.close(this.session, why);
    this.bar = this.session = null;
    await this.backend.shutdown();
  }

  /** What became of the spans (null with Deno's exporter). */
  stats(): ExportStats | null {
    return this.backend.stats();
  }

  private open(name: string, parent: Context, attributes: Attributes): OpenSpan {
    const span = this.backend.tracer.startSpan(
      name,
      { kind: SpanKind.INTERNAL, attributes, startTime: wallClockMs() },
      parent,
    );
    return new OpenSpan(span, parent, name === "session", this.view?.risk.state === "HALTED");
  }

  /** Adds the counters' growth since the last boundary to `into`; that growth. */
  private take(into: OpenSpan | null): number[] {
    if (!this.view) return [0, 0, 0, 0];
    const now = read(this.view), d = now.map((v, i) => v - this.last[i]);
    this.last = now;
    if (into) { for (let i = 0; i < d.length; i++) into.counts[i] += d[i]; }
    return d;
  }

  private close(o: OpenSpan | null, error = ""): void {
    if (!o || !o.open) return;
    o.open = false;
    const span = o.span, s = this.view;
    const a: Attributes = {
      "harvester.broker.calls": o.calls,
      "harvester.broker.errors": o.errors,
    };
    COUNTS.forEach((k, i) => a[k] = o.counts[i]);
    if (o.isSession) a["harvester.bars"] = o.bars;
    if (s) {
      a["harvester.trading_state"] = s.risk.state;
      if (!o.haltedAtStart && s.risk.state === "HALTED" && s.killed !== null) {
        a["harvester.kill_switch"] = s.killed;
      }
    }
    span.setAttributes(a);
    if (error || o.errors) {
      const n = o.errors === 1 ? "1 broker call" : `${o.errors} broker calls`;
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error || `${n} failed: ${o.firstError}`,
      });
    } else span.setStatus({ code: SpanStatusCode.OK });
    span.end(wallClockMs());
  }
}
