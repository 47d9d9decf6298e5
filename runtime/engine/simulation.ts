/**
 * The daily simulation loop, zipline's event order for each session:
 * market open (ledger start, dividends, metrics start, splits) → before_trading_start (seeing the
 * previous session) → the bar (fills of earlier orders, then handle_data, then scheduled
 * functions) → session end (delisted positions closed, cancel policy, account controls, prices
 * synced, perf row). The loop awaits once per user callback and allocates nothing per asset-bar.
 */
import type { BarData } from "../api/bar_data.ts";
import type { Context } from "../api/context.ts";
import type { Asset } from "../assets/asset.ts";
import type { Position } from "../finance/position.ts";
import type { PerfTracker } from "../metrics/perf.ts";
import type { TradingAlgorithm } from "./algorithm.ts";
import type { Strategy } from "./strategy.ts";
import type { Recorder } from "./recorder.ts";

/** Minutes before the open at which before_trading_start runs (zipline: 08:45 New York). */
export const BTS_MINUTES_BEFORE_OPEN = 45;

export interface SimulationHooks {
  /** Benchmark return of simulation session `i` (0 without a benchmark). */
  benchmarkReturn(i: number): number;
  /** Scheduled functions due in session `i`, daily mode. */
  scheduledFor(i: number): ReadonlyArray<(context: Context, data: BarData) => unknown>;
  /** Called after each session's perf row, for progress. */
  onSession?(i: number, total: number): void;
  /** Called before before_trading_start of session `i` (eager pipelines compute here). */
  beforeTradingStart?(i: number): Promise<void> | void;
}

/** Fills of orders placed on earlier bars, booked into the ledger. */
export function processFills(algo: TradingAlgorithm): void {
  const { blotter, ledger } = algo;
  if (blotter.open_orders.size === 0) return;
  const { transactions, orders, commissions, closed } = blotter.get_transactions(algo);
  blotter.prune_orders(closed);
  for (let k = 0; k < transactions.length; k++) {
    ledger.process_transaction(transactions[k]);
    ledger.process_order(orders[k]);
  }
  for (const c of commissions) ledger.process_commission(c.asset, c.cost);
}

/** Orders placed (or cancelled with relay) during the bar, recorded as changed today. */
export function collectNewOrders(algo: TradingAlgorithm): void {
  const { blotter, ledger } = algo;
  if (blotter.new_orders.length === 0) return;
  for (const o of blotter.new_orders) ledger.process_order(o);
  blotter.new_orders = [];
}

/** Market open: ledger, dividends, metrics, then splits on held assets and open orders. */
export function startSession(
  algo: TradingAlgorithm,
  perf: PerfTracker,
  t: number,
  periodOpen: number,
): void {
  const { ledger, portal, blotter } = algo;
  ledger.start_of_session();
  const divs = portal.dividends.get(t);
  if (divs && ledger.positions.size > 0) {
    ledger.earn_dividends(
      divs.map((d) => ({ asset: d.asset, amount: d.value, pay_date: d.pay_date ?? NaN })),
    );
  }
  ledger.pay_dividends(portal.sessions[t]);
  perf.start_of_session(ledger, periodOpen);
  const splits = portal.splits.get(t);
  if (splits) {
    const relevant = splits.filter(([a]) =>
      ledger.positions.has(a.sid) || blotter.open_orders.has(a.sid)
    );
    if (relevant.length) {
      blotter.process_splits(relevant);
      ledger.process_splits(relevant);
    }
  }
}

/** Session end: delisted positions closed and their orders cancelled, then the cancel policy. */
export function endSession(algo: TradingAlgorithm, dt: number): void {
  const { ledger, blotter } = algo;
  const past = (a: Asset) => !Number.isNaN(a.auto_close_date) && a.auto_close_date <= dt;
  // Collected first (closing a position or cancelling changes the maps); nothing is allocated on
  // the usual session where no asset is past its auto-close date.
  // The ledger knows no held asset auto-closes before `earliestAutoClose`: most sessions skip this.
  if (ledger.earliestAutoClose <= dt) {
    let closing: Position[] | null = null;
    for (const p of ledger.positions.values()) if (past(p.asset)) (closing ??= []).push(p);
    for (const p of closing ?? []) {
      let price = algo.current(p.asset, "price");
      if (Number.isNaN(price)) price = p.last_sale_price;
      ledger.process_transaction({ asset: p.asset, amount: -p.amount, dt, price, order_id: null });
    }
    ledger.refreshEarliestAutoClose();
  }
  let cancelling: Asset[] | null = null;
  for (const list of blotter.open_orders.values()) {
    if (past(list[0].asset)) (cancelling ??= []).push(list[0].asset);
  }
  for (const a of cancelling ?? []) blotter.cancel_all_orders_for_asset(a);
  for (const o of [...blotter.new_orders]) {
    if (o.status === 2) {
      ledger.process_order(o);
      blotter.new_orders.splice(blotter.new_orders.indexOf(o), 1);
    }
  }
  const cancelled = algo.data_frequency === "daily"
    ? blotter.execute_daily_cancel_policy("session_end")
    : blotter.execute_cancel_policy("session_end");
  for (const o of cancelled) {
    if (blotter.cancel_policy.warn_on_cancel) {
      algo.log.warn("order_cancelled", {
        message:
          `Your order for ${o.amount} shares of ${o.asset.symbol} has been partially filled. ${o.filled} shares were successfully purchased. ${
            o.amount - o.filled
          } shares were not filled by the end of day and were canceled.`,
      });
    }
  }
}

/** After a bar's decisions: same-bar fills when asked for, then the bar's new orders recorded. */
export function finishBar(algo: TradingAlgorithm): void {
  if (algo.same_bar_fills) {
    collectNewOrders(algo);
    processFills(algo);
  }
  collectNewOrders(algo);
}

/**
 * A session's end, the same in every simulated frequency: delisted positions, cancel policy,
 * account controls, prices synced to the close, and the session's rows.
 */
export function closeSession(
  algo: TradingAlgorithm,
  perf: PerfTracker,
  recorder: Recorder,
  i: number,
  close: number,
  benchmarkReturn: number,
): void {
  endSession(algo, close);
  algo.validate_account_controls();
  algo.ledger.sync_last_sale_prices(close, (a: Asset) => algo.current(a, "price"));
  recorder.endOfSession(i, close);
  perf.end_of_session(algo.ledger, close, benchmarkReturn, recorder.countsToday(), algo.recorded);
}

/** Runs every session of a daily backtest. */
export async function runDaily(
  algo: TradingAlgorithm,
  strategy: Strategy,
  context: Context,
  data: BarData,
  perf: PerfTracker,
  recorder: Recorder,
  hooks: SimulationHooks,
): Promise<void> {
  const { portal, calendar, sessions } = algo;
  const handle = strategy.handle_data;
  const bts = strategy.before_trading_start;
  for (let i = 0; i < sessions.length; i++) {
    const session = sessions[i];
    const t = portal.sessionIndex(session);
    const open = calendar.session_open(session), close = calendar.session_close(session);
    algo.current_session = session;
    algo.current_dt = session;
    algo.portalIndex = t - 1;
    algo.blotter.current_dt = session;
    startSession(algo, perf, t, calendar.session_first_minute(session));
    if (hooks.beforeTradingStart) await hooks.beforeTradingStart(i);
    if (bts) {
      algo.current_dt = open - BTS_MINUTES_BEFORE_OPEN * 60_000;
      algo.in_before_trading_start = true;
      try {
        await bts(context, data);
      } finally {
        algo.in_before_trading_start = false;
      }
    }
    portal.advanceTo(t);
    algo.portalIndex = t;
    algo.current_dt = close;
    algo.blotter.current_dt = close;
    processFills(algo);
    if (handle) await handle(context, data);
    for (const fn of hooks.scheduledFor(i)) await fn(context, data);
    finishBar(algo);
    closeSession(algo, perf, recorder, i, close, hooks.benchmarkReturn(i));
    hooks.onSession?.(i, sessions.length);
  }
}
