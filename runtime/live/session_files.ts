/**
 * A session's files before it starts: `--fresh` removes them, `--recover` sets them aside, and
 * otherwise the state file is read and checked against its journal and paper venue
 * (evidence.ts). Called with the state file's lock held.
 */
import { rmSync } from "node:fs";
import type { TradingCalendar } from "../../calendars/calendar.ts";
import type { Logger } from "../log.ts";
import { checkEvidence, idTagOf, setAsideForRecovery } from "./evidence.ts";
import { type JournalEntry, readJournal } from "./journal.ts";
import type { LiveOptions } from "./live_options.ts";
import { readState } from "./persistence.ts";
import { perfLogPath } from "./perf_log.ts";
import { LiveSessionError } from "./session_error.ts";
import type { SessionState } from "./session_state.ts";

/** The saved state (null: none), the journal's earlier entries, and the id family to keep. */
export interface PreparedFiles {
  saved: SessionState | null;
  earlier: JournalEntry[];
  tag: string | undefined;
}

export function prepareFiles(
  opts: LiveOptions,
  paperPath: string,
  calendar: TradingCalendar,
  sessions: Float64Array,
  log: Logger,
): PreparedFiles {
  const files = [
    opts.state_path,
    opts.journal_path,
    paperPath,
    `${paperPath}.ops`,
    perfLogPath(opts.state_path),
  ];
  if (opts.fresh) { for (const p of files) rmSync(p, { force: true }); }
  let saved = readState<SessionState>(opts.state_path, opts.strategy_hash);
  let earlier = readJournal(opts.journal_path), tag: string | undefined;
  if (opts.recover) {
    if (opts.broker) {
      throw new LiveSessionError(
        "--recover rebuilds a paper session; with a broker, restore the newest state file",
      );
    }
    tag = saved?.orders.ids.tag ?? idTagOf(earlier) ?? undefined;
    const moved = setAsideForRecovery(files, (opts.now ?? Date.now)());
    log.warn("recover", {
      message: `recovering: the session runs again from its first session; set aside: ${
        moved.join(", ")
      }`,
    });
    saved = null;
    earlier = [];
  } else {
    checkEvidence({
      statePath: opts.state_path,
      journalPath: opts.journal_path,
      saved,
      journal: earlier,
      paperPath: opts.broker ? undefined : paperPath,
      calendar,
      sessions,
    });
  }
  return { saved, earlier, tag };
}
