/** The state file of a live session: what it holds, and saving it after every session. */
import type { LedgerSnapshot } from "../finance/ledger.ts";
import type { PerfCounters, PerfSnapshot } from "../metrics/perf.ts";
import type { OrderRecord } from "../orders/manager.ts";
import type { TradingState } from "../orders/risk.ts";
import { encodeContext } from "./context_state.ts";
import { writeState } from "./persistence.ts";
import type { Session } from "./session.ts";

/** What the state file holds. */
export interface SessionState {
  /** Index (in the run's sessions) of the last completed session. */
  session_index: number;
  last_bar_time: number;
  ledger: LedgerSnapshot;
  /** The perf rows are in the perf log (`PerfCounters`); files from before it hold them here. */
  perf: PerfCounters | PerfSnapshot;
  orders: { orders: OrderRecord[]; execs: string[]; ids: { tag: string; next: number } };
  context: Record<string, never>;
  trading_state: TradingState;
  trading_state_reason: string;
  /** Journal lines written when this state was saved. */
  journal_lines: number;
  paper_state: string;
}

/** Saves everything after a session (atomic, checksummed). */
export function saveState(s: Session, sessionIndex: number, barTime: number): void {
  const { state, skipped } = encodeContext(s.context);
  if (skipped.length) {
    s.log.warn("state_skipped", {
      message: `not saved (cannot be serialised): ${skipped.join(", ")}`,
    });
  }
  s.journal.flush();
  s.perfLog.append(s.perf, s.benchmark, (i) => s.recorder.dayRows(i));
  const st: SessionState = {
    session_index: sessionIndex,
    last_bar_time: barTime,
    ledger: s.algo.ledger.snapshot(),
    perf: s.perf.counters(),
    orders: s.manager.snapshot(),
    context: state as Record<string, never>,
    trading_state: s.risk.state,
    trading_state_reason: s.risk.stateReason,
    journal_lines: s.journal.lines + s.journalBase,
    paper_state: `${s.opts.state_path}.paper.json`,
  };
  writeState(s.opts.state_path, st, s.opts.strategy_hash);
}
