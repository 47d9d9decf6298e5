/**
 * A restart that ends where no restart would have: the session continues from its state file
 * (saved at the end of the last completed session) and re-runs the interrupted session from its
 * start, deciding its bar again exactly once.
 *
 * - Executions the broker made since the last save are queued with their times: each reaches the
 *   ledger at the bar it belongs to (the re-run bar), never before its session opens.
 * - Orders sent after the last save are found at the broker by their ids (the whole reserved block,
 *   from one listing where the broker has one: `ordersSince`) and
 *   held back: when the re-decided bar places them again they are re-attached, never re-sent;
 *   any the bar does not place again are adopted as they are.
 * - Our unfinished orders take the broker's state through the transition table (marked as
 *   reconciliation); an order the broker never received ends REJECTED (the restart's decision
 *   sends what should exist again); foreign open orders are adopted as external, and open orders
 *   of our id family that nothing explains as ours (orphans), with a warning.
 * - Positions are compared with the broker's at the first bar, once that bar's splits and
 *   executions are booked: a difference nothing explains halts trading.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { BrokerOrder } from "../model/broker.ts";
import { TERMINAL } from "../model/order_state.ts";
import { eventsTowards, markLost } from "../orders/manager_recovery.ts";
import { reconcile } from "../orders/reconcile.ts";
import { PerfTracker } from "../metrics/perf.ts";
import type { DayRows } from "../metrics/recorder.ts";
import { restoreContext } from "./context_state.ts";
import { scanReservedIds } from "./id_scan.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import type { Session } from "./session.ts";
import type { SessionState } from "./session_state.ts";

/**
 * Continues a session from its state file: ledger, perf table and side tables, orders, the
 * strategy's context and trading state restored, then reconciled with the broker, and
 * `session_restored` journaled.
 */
export async function restoreSession(s: Session, saved: SessionState): Promise<void> {
  const { algo } = s;
  algo.ledger.restore(saved.ledger, (sid) => algo.portal.asset(sid));
  // A live minute run keeps its own perf table (its sessions); the ledger and orders continue.
  if (s.paper) {
    // State files from before the perf log carry the rows themselves.
    const rows = "columns" in saved.perf
      ? saved.perf
      : PerfTracker.snapshotOf(s.perfLog.restored, saved.perf);
    s.perf.restore(rows);
    // The benchmark returns those rows were made with (Results and the perf log carry them on).
    s.benchmark.set(rows.benchmark.slice(0, s.benchmark.length).map((b) => b ?? 0));
    s.recorder.restore(
      s.perfLog.restored.map((r) => r.tables).filter((t): t is DayRows => t !== undefined),
    );
    s.resumeAt = saved.session_index + 1;
  }
  s.manager.restore(saved.orders);
  restoreContext(
    s.context as unknown as Record<string, unknown>,
    saved.context,
    (sid) => algo.portal.asset(sid),
  );
  s.risk.setState(saved.trading_state, saved.trading_state_reason);
  const entries = readJournal(s.opts.journal_path);
  await reconcileAtStart(s, saved, entries);
  s.journal.write("session_restored", {
    resume_at: s.resumeAt < s.sessions.length ? isoDate(s.sessions[s.resumeAt] / DAY_MS) : null,
    orders: saved.orders.orders.length,
    positions: saved.ledger.positions.length,
    trading_state: s.risk.state,
  }, true);
}

async function reconcileAtStart(
  s: Session,
  saved: SessionState,
  journal: readonly JournalEntry[],
): Promise<void> {
  const { manager, broker } = s;
  // Executions since the last saved bar (at its time too: a fill of that bar is deduplicated by
  // its execution id, which the state file remembers).
  for (const fill of await broker.executions(saved.last_bar_time - 1)) {
    manager.ingest({ type: "fill", fill });
  }
  // Ids reserved ahead of the last save: whatever the journal lost, each one sent is at the broker.
  const ceiling = Math.max(
    0,
    ...journal.filter((e) => e.type === "ids_reserved").map((e) => Number(e.up_to)),
  );
  const ids = manager.ids;
  const sent = await scanReservedIds(
    broker,
    ids,
    ceiling,
    saved.last_bar_time - 1,
    (id) => manager.orders.has(id),
  );
  for (const [id, b] of sent) manager.recovered.set(id, b);
  // What to do with each order: reconciliation's arithmetic (orders/reconcile.ts), then done
  // through the table. Positions are checked later, at the first bar (checkDrift).
  const brokerOpen = await broker.openOrders();
  const local = [...manager.orders.values()].filter((o) => !o.external).map((o) => ({
    client_order_id: o.id as string,
    state: o.state,
    symbol: o.asset.symbol,
  }));
  const open = new Set(brokerOpen.map((o) => o.client_order_id));
  const lookups = new Map<string, BrokerOrder | null>();
  for (const o of local) {
    // Finished orders are final: asking the broker about each would be a call per old order.
    if (!TERMINAL.has(o.state) && !open.has(o.client_order_id)) {
      lookups.set(o.client_order_id, await broker.order(o.client_order_id));
    }
  }
  const hidden = new Set(manager.recovered.keys());
  const r = reconcile({
    local,
    brokerOpen: brokerOpen.filter((b) => !hidden.has(b.client_order_id)),
    lookups,
    localPositions: new Map(),
    brokerPositions: [],
    ours: (id) => ids.owns(id),
  });
  // The broker's state of each order, each change where it belongs: with the executions that
  // made it (queued, at their time), re-issued by the re-run bar (a cancel it decides again), or
  // at once (an acknowledgement).
  const lastFill = new Map<string, number>();
  for (const e of manager.pending) {
    if (e.type === "fill") lastFill.set(e.fill.client_order_id, e.fill.time);
  }
  for (const b of [...r.reattach, ...r.resolved]) {
    const o = manager.orders.get(b.client_order_id)!;
    syncFields(o, b);
    if (b.state === "FILLED" || b.state === "PARTIALLY_FILLED") {
      const time = lastFill.get(o.id) ?? 0;
      for (const event of eventsTowards(o.state, b.state)) {
        manager.ingest({ type: "order", event, order: b, time, reason: "reconciliation" });
      }
    } else if (TERMINAL.has(b.state) && !s.market) manager.held.set(o.id, b);
    else manager.settleFrom(o, b);
  }
  for (const o of r.unknown) markLost(manager, o.client_order_id);
  for (const b of r.adopt) manager.adopt(b, true);
  // Ours by their id family but neither saved nor found by the scan: orphans, adopted as ours.
  const orphans = brokerOpen.filter((b) =>
    ids.owns(b.client_order_id) && !manager.orders.has(b.client_order_id) &&
    !hidden.has(b.client_order_id)
  );
  for (const b of orphans) {
    manager.adopt(b, false);
    s.log.warn("orphan_order", {
      message: `order ${b.client_order_id} is open at the broker under our ids but was in ` +
        "neither the state file nor the id scan; adopted as ours",
    });
  }
  const resolved = [...r.reattach, ...r.resolved].map((b) => `${b.client_order_id}:${b.state}`);
  const lost = r.unknown.map((o) => o.client_order_id);
  const adopted = [...r.adopt, ...orphans].map((b) => b.client_order_id);
  s.journal.write("reconciliation", {
    executions: manager.pending.length,
    recovered: [...manager.recovered.keys()],
    resolved,
    lost,
    adopted,
  }, true);
  // Live, the interrupted minute is past: orders it sent are ours now, as they stand.
  if (s.market) adoptRecovered(s, Infinity);
  s.driftCheck = true;
}

/** The broker's amounts and prices of an open order (a split it applied while we were away). */
function syncFields(
  o: { amount: number; limit: number | null; stop: number | null },
  b: BrokerOrder,
) {
  if (TERMINAL.has(b.state)) return;
  o.amount = b.amount;
  o.limit = b.limit_price;
  o.stop = b.stop_price;
}

/**
 * Once the re-run has passed the bar at `upTo`: orders found at the broker that were sent by then
 * and not placed again are ours, as they stand; changes made by then and not made again (a
 * cancel) are the broker's, taken over now.
 */
export function adoptRecovered(s: Session, upTo: number): void {
  const m = s.manager;
  for (const [id, b] of [...m.held]) {
    if ((b.updated_at ?? -Infinity) > upTo) continue;
    m.held.delete(id);
    const o = m.orders.get(id);
    if (o) m.settleFrom(o, b);
  }
  if (m.recovered.size === 0) return;
  const ids: string[] = [];
  for (const [id, b] of [...m.recovered]) {
    if (b.submitted_at > upTo) continue;
    m.recovered.delete(id);
    m.adopt(b, false);
    ids.push(id);
  }
  if (!ids.length) return;
  s.journal.write("recovered_adopted", { client_order_ids: ids }, true);
  s.log.warn("recovered_adopted", {
    message: `${ids.length} order(s) sent before the restart were not placed again by the ` +
      `re-run bar; they are kept as they stand at the broker: ${ids.join(", ")}`,
  });
}

/**
 * The position check of a restart, at its first bar (splits and executions of that bar booked):
 * ours against the broker's, executions still queued counted. A difference halts trading.
 */
export async function checkDrift(s: Session): Promise<void> {
  s.driftCheck = false;
  const local = new Map<string, number>();
  for (const p of s.algo.ledger.positions.values()) local.set(p.asset.symbol, p.amount);
  for (const e of s.manager.pending) {
    if (e.type === "fill") {
      local.set(e.fill.symbol, (local.get(e.fill.symbol) ?? 0) + e.fill.amount);
    }
  }
  const broker = new Map((await s.broker.positions()).map((p) => [p.symbol, p.amount]));
  const drift: { symbol: string; local: number; broker: number }[] = [];
  for (const symbol of new Set([...local.keys(), ...broker.keys()])) {
    const l = local.get(symbol) ?? 0, b = broker.get(symbol) ?? 0;
    if (l !== b) drift.push({ symbol, local: l, broker: b });
  }
  // Cash too: ours is the broker's plus what corporate actions paid us (the simulated venue books
  // none). A paper venue agrees to the cent; a broker's interest and fees are only reported.
  const account = await s.broker.account();
  const ledger = s.algo.ledger;
  const pending = s.manager.pending.reduce(
    (c, e) => (e.type === "fill" ? c - e.fill.amount * e.fill.price - e.fill.commission : c),
    0,
  );
  const ours = ledger.cash + pending - ledger.corporate_cash, theirs = account.cash;
  const cashOff = Math.abs(ours - theirs) > 0.005 + 1e-9 * Math.abs(theirs);
  s.journal.write("position_check", { drift, cash: { ours, broker: theirs } }, true);
  if (cashOff && !s.paper) {
    s.log.warn("cash_difference", {
      message: `cash differs from the broker's: ours ${ours.toFixed(2)}, broker ${
        theirs.toFixed(2)
      } (interest, fees or transfers it made)`,
    });
  }
  if (cashOff && s.paper) drift.push({ symbol: "cash", local: ours, broker: theirs });
  if (!drift.length) return;
  const report = drift.map((d) => `${d.symbol}: ours ${d.local}, broker ${d.broker}`).join("; ");
  s.risk.setState("HALTED", `position drift at restart: ${report}`);
  s.log.warn("reconciliation_drift", {
    message: `positions differ from the broker (${report}); trading HALTED until resolved`,
  });
}
