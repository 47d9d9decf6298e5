/**
 * The options of a session: a paper session replaying a bundle, or a live minute session (a real
 * broker's feed on the realtime clock).
 */
import { DAY_MS } from "../../calendars/days.ts";
import type { Strategy } from "../engine/strategy.ts";
import type { Logger } from "../log.ts";
import type { Bar, Broker } from "../model/broker.ts";
import type { RiskLimits } from "../orders/risk.ts";
import type { LatencySink } from "./bar_clock.ts";
import type { BenchmarkChoice } from "./live_benchmark.ts";
import type { TradingState } from "../orders/risk.ts";
import { type ClockCalendar, liveSessions } from "./realtime_clock.ts";

/** What a live minute session needs beyond a paper session's options. */
export interface MinuteLiveOptions {
  /** Stop at this time (UTC ms). @default the close of the session in progress (or next) */
  end?: number;
  /** Symbols to subscribe (default: those the strategy looked up in initialize). */
  universe?: string[];
  /** An asset without a bar for this long is stale (data.is_stale, can_trade). @default 300000 */
  stale_after_ms?: number;
  /** No bar from the feed at all for this long during a session: `feed_stale`. @default 180000 */
  feed_stale_ms?: number;
  /** Where the risk gate goes when the feed is stale. @default "REDUCING" */
  feed_stale_action?: Exclude<TradingState, "ACTIVE">;
  /** How long after a minute ends its bars are waited for. @default 2000 */
  bar_grace_ms?: number;
  /** before_trading_start this many minutes before the open. @default 45 */
  bts_minutes_before_open?: number;
}

/**
 * A live minute session's options with its end: by default the close of the session in progress
 * (or the next one).
 *
 * @example
 * ```ts
 * const o = liveOptions(get_calendar("XNYS"), Date.now()); // o.end: today's (or next) close
 * ```
 */
export function liveOptions(
  calendar: ClockCalendar,
  now: number,
  o: MinuteLiveOptions = {},
): MinuteLiveOptions {
  if (o.end !== undefined) return o;
  const next = liveSessions(calendar, now, now + 10 * DAY_MS)[0];
  return { ...o, end: next === undefined ? now : calendar.session_close(next) };
}

export interface LiveOptions extends BenchmarkChoice {
  strategy: Strategy;
  /** sha256 of the strategy file: a state file is only restored for the same file. */
  strategy_hash: string;
  /** `bundle:NAME` feed replay (and, live, the daily history through yesterday). */
  bundle: string;
  start: string | number;
  end: string | number;
  /** Multiplier of real time between bars, or "max" (no waiting). */
  speed: number | "max";
  /**
   * A bundle replay's bars: the daily bars, or the minute bars (a bundle with minute data).
   * @default "daily"
   */
  data_frequency?: "daily" | "minute";
  state_path: string;
  journal_path: string;
  /** Ignore (and replace) an existing state file. */
  fresh?: boolean;
  /**
   * A paper session whose files disagree with its state (live/evidence.ts): run it again from its
   * first session against a rebuilt venue, the old files set aside.
   */
  recover?: boolean;
  dry_run?: boolean;
  /**
   * Write the journal out before every order leaves the process, so each sent order's line
   * survives a crash right after sending (a write per order). Off: once per bar.
   */
  journal_before_send?: boolean;
  capital_base?: number;
  params?: Record<string, string>;
  risk?: RiskLimits;
  /** Sell everything when the kill switch is thrown. */
  flatten_on_kill?: boolean;
  /** On SIGINT/SIGTERM, cancel open orders (else they are kept at the broker). */
  cancel_on_stop?: boolean;
  /**
   * Minutes before each session's close at which open orders are cancelled and every position is
   * closed by market orders (`eod_flatten`); the risk gate stays REDUCING until the next session.
   * A daily replay flattens after each session's bar. Absent: off.
   */
  flatten_before_close?: number;
  /** Seconds an order may wait for its acknowledgement or cancel before it is queried. @default 30 */
  inflight_after?: number;
  /** Seconds a working order may go without an event before it is queried. @default 300 */
  working_quiet_after?: number;
  root?: string;
  environ?: Record<string, string | undefined>;
  log?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** A backtest's perf CSV to compare with (writes live_drift.csv and live_performance.json). */
  baseline?: string;
  /** Serve Prometheus metrics on 127.0.0.1:port. */
  metrics_port?: number;
  /** OpenTelemetry: spans per bar and per broker call to this OTLP/HTTP collector (base URL). */
  otlp_endpoint?: string;
  /** Given, for every order, the ms from its bar's arrival to its hand-off to the broker. */
  bar_latencies?: LatencySink;
  /** Bars to use instead of the bundle's, by session date (`harvester replay`). */
  bar_overrides?: Map<string, Bar[]>;
  /**
   * A live minute session on this broker (not connected yet) instead of the bundle replay: the
   * realtime clock from now until `live.end`; the bundle gives the daily history through yesterday.
   */
  broker?: Broker;
  /** Options of a live minute session (with `broker`). */
  live?: MinuteLiveOptions;
}
