/**
 * The API: scheduling, recording, time and environment, and pipelines (zipline's
 * `schedule_function`, `record`, `get_datetime`, `get_environment`, `attach_pipeline`,
 * `pipeline_output`).
 */
import type { Pipeline } from "../pipeline/pipeline.ts";
import type { AttachOptions } from "../pipeline/attached.ts";
import type { PipelineFrame } from "../pipeline/result.ts";
import type { BarData } from "./bar_data.ts";
import type { Context } from "./context.ts";
import { apiGroup } from "./define.ts";
import { BadEnvironmentField } from "./errors.ts";
import { type EventRule, resolveScheduleCalendar, ScheduledFunction } from "./scheduling.ts";
import { ZonedDate } from "./zoned_date.ts";
import { OWN_COLUMNS, RISK_COLUMNS } from "../metrics/results.ts";
import type { TradingAlgorithm } from "./algorithm.ts";

/** A recorded name that is also a perf column: which value the column shows (warned at each call; the console logger writes it once and counts the rest). */
function warnShadowed(algo: TradingAlgorithm, name: string): void {
  const message = name === "date"
    ? `record: "date" is the perf table's index, so the recorded value is not written; record it under another name`
    : RISK_COLUMNS.has(name)
    ? `record: "${name}" is also a perf column, which shows zipline's ${name} (its risk metrics ` +
      `take precedence over recorded values), not the recorded one; record it under another name`
    : `record: "${name}" is also a perf column, which shows the recorded value in place of ` +
      `Harvester's (as zipline's does); record it under another name to keep both`;
  algo.log.warn("record_shadows_column", { message });
}

/**
 * A scheduled strategy function. Declared as a method so a function typed with the strategy's
 * own `Context<State>` is accepted (method parameters are compared both ways), while an inline
 * callback still gets `context` and `data` typed.
 */
export type ScheduledFn = {
  scheduled(context: Context, data: BarData): unknown;
}["scheduled"];

/** Options of `schedule_function`. */
export interface ScheduleOptions {
  half_days?: boolean;
  calendar?: unknown;
}

export const runtimeApi = apiGroup({
  /**
   * Runs `fn(context, data)` when the rules match: a date rule (every day by default) and a time
   * rule (the open by default; daily backtests run it once per session).
   *
   * @example
   * ```ts
   * schedule_function(rebalance, date_rules.week_start(), time_rules.market_open({ minutes: 30 }));
   * ```
   */
  schedule_function(
    fn: ScheduledFn,
    date_rule?: EventRule | null,
    time_rule?: EventRule | null,
    opts: ScheduleOptions = {},
  ): void {
    const calendar = resolveScheduleCalendar(opts.calendar as never, this.calendar);
    this.scheduled.push(
      new ScheduledFunction(fn, date_rule, time_rule, {
        calendar,
        half_days: opts.half_days ?? true,
        warn: (m: string) => this.log.warn("schedule_function", { message: m }),
        // zipline's OncePerDay runs from one daily bar (the algorithm's session close) to the
        // next, from the run's first session.
        clock_calendar: this.calendar,
        run_start: this.sessions[0],
      }),
    );
  },

  /**
   * Records values as columns of the perf table: `record({ name: value })` or zipline's
   * `record("name", value, …)`. As in zipline (`algorithm.py` `record`: names and values are
   * zipped in pairs), a trailing name without a value is dropped: `record("a", 1, "b")` records
   * `a = 1` only.
   *
   * @example
   * ```ts
   * record({ fast, slow });
   * ```
   */
  record(...args: unknown[]): void {
    let values: Record<string, unknown>;
    if (args.length === 1 && typeof args[0] === "object" && args[0] !== null) {
      values = args[0] as Record<string, unknown>;
    } else {
      // zipline pairs its arguments and drops a trailing name without a value.
      values = {};
      for (let i = 0; i + 1 < args.length; i += 2) values[String(args[i])] = args[i + 1];
    }
    for (const name in values) if (OWN_COLUMNS.has(name)) warnShadowed(this, name);
    this.record(values);
  },

  /**
   * The current simulation time (zipline's `get_datetime`): a `Date` that also carries a time
   * zone — UTC by default, or `tz` (an IANA name) — whose wall-clock fields (`hour`, `minute`,
   * `day`, `dayofweek`, … and `getHours()` & co.) are that zone's. In a daily backtest it is the
   * session's close; in `before_trading_start`, the session's date.
   *
   * @example
   * ```ts
   * const now = get_datetime("America/New_York");
   * if (now.hour === 15 && now.minute >= 45) await order_target(context.asset, 0);
   * ```
   */
  get_datetime(tz?: string): ZonedDate {
    return new ZonedDate(this.current_dt, tz ?? "UTC");
  },

  /**
   * A field of the run's environment (`arena`, `data_frequency`, `start`, `end`, `capital_base`,
   * `platform`), or all of them with `"*"`.
   *
   * @example
   * ```ts
   * if (get_environment("arena") === "live") …
   * ```
   */
  get_environment(field = "platform"): unknown {
    const env: Record<string, unknown> = {
      arena: this.arena,
      data_frequency: this.data_frequency,
      start: new Date(this.sessions[0]),
      end: new Date(this.sessions[this.sessions.length - 1]),
      capital_base: this.capital_base,
      platform: "harvester",
    };
    if (field === "*") return env;
    if (!(field in env)) {
      throw new BadEnvironmentField(
        `get_environment: unknown field "${field}"; fields: ${Object.keys(env).join(", ")}, *`,
      );
    }
    return env[field];
  },

  /**
   * Registers a pipeline to compute each day (initialize only); returns it.
   *
   * @example
   * ```ts
   * attach_pipeline(new Pipeline({ columns: { rsi: new factors.RSI() } }), "rsi");
   * ```
   */
  attach_pipeline(pipeline: Pipeline, name: string, opts?: AttachOptions): Pipeline {
    return this.pipelines.attach(pipeline, name, opts);
  },

  /**
   * Today's output of an attached pipeline: a frame of its columns indexed by asset.
   *
   * @example
   * ```ts
   * const out = await pipeline_output("rsi"); out.where("longs");
   * ```
   */
  pipeline_output(name: string): Promise<PipelineFrame> {
    return this.pipelines.output(name);
  },
});
