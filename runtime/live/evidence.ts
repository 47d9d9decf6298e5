/**
 * A session's files must agree before it starts: the state file, its journal and the paper
 * venue's book. Activity the state does not know of — a journal or a venue beside a missing state
 * file, or more than the one session a crash can leave unsaved — means the state file is not the
 * session's newest (deleted, or an older copy put back). Starting from it would decide sessions a
 * second time and send their orders again, so the start is refused with what was found and the
 * ways on (`--fresh`, `--recover`, or the right state file).
 */
import { existsSync, renameSync } from "node:fs";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { PaperStore } from "../brokers/paper/paper_store.ts";
import { HarvesterError } from "../errors.ts";
import type { JournalEntry } from "./journal.ts";
import type { SessionState } from "./session_state.ts";

/** Files that disagree with the state file; the message says what was found and what to do. */
export class StateMismatchError extends HarvesterError {
  override name = "StateMismatchError";
  constructor(readonly statePath: string, found: string, paper: boolean) {
    super(
      `${statePath}: ${found}. The state file is not this session's newest (deleted, or an ` +
        `older copy put back): starting from it would decide sessions again and send their ` +
        `orders twice. Restore the newest state file, ` +
        (paper
          ? "or --recover (the session is run again from its first session against a rebuilt " +
            "paper venue; the old journal and venue files are kept aside), "
          : "") +
        "or --fresh to start over (every file of the session removed)",
    );
  }
}

/** What the paper venue's files show it did (the last bar it matched, orders it accepted). */
export function venueActivity(paperPath: string): { lastBar: number; orders: number } {
  if (!existsSync(paperPath) && !existsSync(`${paperPath}.ops`)) {
    return { lastBar: -Infinity, orders: 0 };
  }
  const { snapshot, ops } = new PaperStore(paperPath).load();
  let lastBar = snapshot?.lastBar ?? -Infinity, orders = snapshot?.seq ?? 0;
  for (const op of ops) {
    if (op.op === "bar") lastBar = Math.max(lastBar, op.time);
    if (op.op === "submit") orders++;
  }
  return { lastBar, orders };
}

/**
 * Refuses to start when the journal or the paper venue shows activity past the state file. A
 * crash can leave one session unsaved (its lines, its venue's bars); more than that cannot be.
 */
export function checkEvidence(o: {
  statePath: string;
  journalPath: string;
  saved: SessionState | null;
  journal: readonly JournalEntry[];
  /** The paper venue's book (absent with a real broker). */
  paperPath?: string;
  calendar: TradingCalendar;
  sessions: Float64Array;
}): void {
  const paper = o.paperPath !== undefined;
  const venue = paper ? venueActivity(o.paperPath!) : { lastBar: -Infinity, orders: 0 };
  const ended = o.journal.filter((e) => e.type === "session_end");
  if (!o.saved) {
    const ran = o.journal.some((e) => e.type === "session_started");
    if (ran || venue.orders > 0 || venue.lastBar > -Infinity) {
      const what = ran
        ? `it is missing, but its journal ${o.journalPath} shows a session that ran ` +
          `(${ended.length} session(s) ended)`
        : `it is missing, but the paper venue ${o.paperPath} has ${venue.orders} order(s)`;
      throw new StateMismatchError(o.statePath, what, paper);
    }
    return;
  }
  const after = o.journal.slice(o.saved.journal_lines).filter((e) => e.type === "session_end");
  if (after.length >= 2) {
    throw new StateMismatchError(
      o.statePath,
      `its journal ${o.journalPath} shows ${after.length} sessions ended after this state ` +
        `was saved (the last: ${after[after.length - 1].session})`,
      paper,
    );
  }
  // The venue may have matched the session after the state (the one a crash interrupted), no more.
  const next = o.sessions[o.saved.session_index + 1];
  const limit = next === undefined ? Infinity : o.calendar.session_close(next);
  if (venue.lastBar > limit) {
    throw new StateMismatchError(
      o.statePath,
      `the paper venue ${o.paperPath} has traded through ${
        isoDate(Math.floor(venue.lastBar / DAY_MS))
      }, past the state's next session`,
      paper,
    );
  }
}

/**
 * `--recover` of a paper session: its journal, venue, perf log and state are moved aside (the
 * suffix names the time), so that the session runs again from its first session, under the same
 * id family, against a rebuilt venue — the simulated venue is deterministic, so the run ends as
 * the original would have.
 */
export function setAsideForRecovery(files: readonly string[], now: number): string[] {
  const suffix = `.before-recover-${new Date(now).toISOString().replaceAll(":", "-")}`;
  const moved: string[] = [];
  for (const f of files) {
    if (!existsSync(f)) continue;
    renameSync(f, f + suffix);
    moved.push(f + suffix);
  }
  return moved;
}

/** The id family (`hv<tag>-`) the journal's orders and reservations used, if any. */
export function idTagOf(journal: readonly JournalEntry[]): string | null {
  for (const e of journal) {
    const id = e.client_order_id;
    if (typeof id === "string") {
      const m = /^hv([0-9a-f]{8})-\d+$/.exec(id);
      if (m) return m[1];
    }
  }
  return null;
}
