/**
 * After a restart: what we persisted and what the journal says was in flight, against what the
 * broker reports. Executions we missed are booked (deduped by execution id), our orders are
 * re-attached or resolved, orders the broker never received end REJECTED — never re-sent —,
 * foreign orders are adopted as external, and positions that still differ halt the session.
 */
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import type { BrokerOrder } from "../brokers/broker.ts";
import { reconcile } from "../orders/reconcile.ts";
import { TERMINAL } from "../orders/state.ts";
import { restoreContext } from "./context_state.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import { PerfTracker } from "../metrics/perf.ts";
import type { Session } from "./session.ts";
import type { SessionState } from "./session_state.ts";

export async function reconcileAtStart(
  s: Session,
  saved: SessionState,
  since: readonly JournalEntry[],
  all: readonly JournalEntry[],
): Promise<void> {
  const { manager, broker, journal, algo } = s;
  // Orders whose ids reached the journal after the last state save: sent, or about to be.
  const inflight = since.filter((e) =>
    e.type === "order_submitted" && !manager.orders.has(String(e.client_order_id))
  );
  for (const e of inflight) manager.trackInFlight(e);
  // Ids reserved but not seen in the state or the journal (unflushed lines lost in the crash):
  // ask the broker about each in order until one is unknown — it never received later ones.
  const ceiling = Math.max(
    0,
    ...all.filter((e) => e.type === "ids_reserved").map((e) => Number(e.up_to)),
  );
  for (let seq = manager.nextSeq(); seq <= ceiling; seq++) {
    const id = manager.idOf(seq);
    if (manager.orders.has(id)) continue;
    const b = await broker.order(id);
    if (!b) break;
    manager.adoptState(b, false);
    manager.observe(id);
    inflight.push({
      ts: new Date(b.submitted_at).toISOString(),
      type: "order_submitted",
      client_order_id: id,
    });
  }
  // Executions the broker made while we were away (or before we could book them).
  for (const fill of await broker.executions(saved.last_bar_time - 1)) {
    manager.ingest({ type: "fill", fill });
  }
  manager.drain();
  const local = [...manager.orders.values()].map((m) => ({
    client_order_id: m.client_order_id,
    state: m.state,
    symbol: m.symbol,
  }));
  const brokerOpen = await broker.openOrders();
  const openIds = new Set(brokerOpen.map((o) => o.client_order_id));
  const lookups = new Map<string, BrokerOrder | null>();
  for (const o of local) {
    // Finished orders are final: asking the broker about each would be a call per old order.
    if (!TERMINAL.has(o.state) && !openIds.has(o.client_order_id)) {
      lookups.set(o.client_order_id, await broker.order(o.client_order_id));
    }
  }
  const localPositions = new Map<string, number>();
  for (const p of algo.ledger.positions.values()) localPositions.set(p.asset.symbol, p.amount);
  const r = reconcile({
    local,
    brokerOpen,
    lookups,
    localPositions,
    brokerPositions: await broker.positions(),
    ours: (id) => manager.owns(id),
  });
  for (const b of r.reattach) manager.adoptState(b, false);
  for (const b of r.resolved) manager.adoptState(b, false);
  for (const o of r.unknown) manager.markLost(o.client_order_id);
  for (const b of r.adopt) manager.adoptState(b, true);
  journal.write("reconciliation", {
    reattached: r.reattach.map((o) => o.client_order_id),
    resolved: r.resolved.map((o) => `${o.client_order_id}:${o.state}`),
    lost: r.unknown.map((o) => o.client_order_id),
    adopted: r.adopt.map((o) => o.client_order_id),
    drift: r.drift,
  }, true);
  if (r.drift.length) {
    const report = r.drift.map((d) => `${d.symbol}: ours ${d.local}, broker ${d.broker}`).join(
      "; ",
    );
    s.risk.setState("HALTED", `position drift at restart: ${report}`);
    s.log.warn("reconciliation_drift", {
      message: `positions differ from the broker (${report}); trading HALTED until resolved`,
    });
  }
  // A session whose decisions went out before the crash is not decided again: its orders exist.
  const next = saved.session_index + 1;
  const decided = since.find((e) => e.type === "decided" && e.session_index === next);
  if (decided) {
    restoreContext(
      s.context as unknown as Record<string, unknown>,
      decided.context as Record<string, never>,
      (sid) => algo.portal.asset(sid),
    );
    s.skipDecisionAt = next;
  } else if (inflight.length) {
    s.skipDecisionAt = saved.session_index + 1;
    s.log.warn("interrupted_bar", {
      message: `the session of ${
        isoDate(s.sessions[saved.session_index + 1] / DAY_MS)
      } was interrupted after sending ${inflight.length} order(s); it is not decided again`,
    });
  }
}

/**
 * Continues a session from its state file: ledger, perf table, orders, the strategy's context
 * and trading state restored, then reconciled with the broker, and `session_restored` journaled.
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
  }
  s.manager.restore(saved.orders);
  restoreContext(
    s.context as unknown as Record<string, unknown>,
    saved.context,
    (sid) => algo.portal.asset(sid),
  );
  s.risk.setState(saved.trading_state, saved.trading_state_reason);
  s.resumeAt = saved.session_index + 1;
  const entries = readJournal(s.opts.journal_path);
  await reconcileAtStart(s, saved, entries.slice(saved.journal_lines), entries);
  s.journal.write("session_restored", {
    resume_at: s.resumeAt < s.sessions.length ? isoDate(s.sessions[s.resumeAt] / DAY_MS) : null,
    orders: saved.orders.orders.length,
    positions: saved.ledger.positions.length,
    trading_state: s.risk.state,
  }, true);
}
