/**
 * A live session's perf rows, appended to `<state>.perf.jsonl` as sessions complete instead of
 * being rewritten into every state save: a save then costs the same in year two as on day one
 * (and makes no garbage that grows with the days). The state file says how many rows count;
 * lines past that — a crash between this append and the state save — are dropped on open.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import type { PerfRowRecord, PerfTracker } from "../metrics/perf.ts";
import type { DayRows } from "../metrics/recorder.ts";
import { writing } from "../fs.ts";
import { StateFileError } from "./persistence.ts";

export const perfLogPath = (statePath: string) => `${statePath}.perf.jsonl`;

export class PerfLog {
  private fd: number;
  private logged: number;
  /** The rows kept when opened (what a restart continues from). */
  readonly restored: PerfRowRecord[];

  /** Opens the log keeping its first `rows` lines (the state file's count; 0 for a new one). */
  constructor(readonly path: string, rows = 0) {
    const kept = rows > 0 ? PerfLog.read(path, rows) : [];
    this.restored = kept;
    // Rewritten when it holds more than the state counts (or is new), so appends follow on.
    const text = kept.map((r) => JSON.stringify(r) + "\n").join("");
    this.fd = writing(path, "rewrite", () => {
      const fd = openSync(path, "w");
      writeSync(fd, text);
      fsyncSync(fd);
      return fd;
    });
    this.logged = rows;
  }

  /** The first `rows` records; a missing or short log is a damaged state (use --fresh). */
  static read(path: string, rows: number): PerfRowRecord[] {
    if (!existsSync(path)) {
      throw new StateFileError(`${path} is missing but the state file counts ${rows} perf rows`);
    }
    const lines = readFileSync(path, "utf8").split("\n").filter((l) => l.trim() !== "");
    if (lines.length < rows) {
      throw new StateFileError(
        `${path} has ${lines.length} perf rows, the state file counts ${rows}; use --fresh`,
      );
    }
    return lines.slice(0, rows).map((l, i) => {
      try {
        return JSON.parse(l) as PerfRowRecord;
      } catch {
        throw new StateFileError(`${path}:${i + 1}: not a JSON line (damaged?); use --fresh`);
      }
    });
  }

  /**
   * Appends the rows completed since the last call, durably, each with its session's side-table
   * rows (`tables(i)`), so a restarted session's results cover every process.
   */
  append(
    perf: PerfTracker,
    benchmark: ArrayLike<number>,
    tables?: (i: number) => DayRows,
  ): void {
    if (perf.rows <= this.logged) return;
    let text = "";
    for (let i = this.logged; i < perf.rows; i++) {
      const row = perf.rowRecord(i, benchmark[i]);
      if (tables && i === perf.rows - 1) row.tables = tables(i);
      text += JSON.stringify(row) + "\n";
    }
    writing(this.path, "append the session's perf rows to", () => {
      writeSync(this.fd, text);
      fsyncSync(this.fd);
    });
    this.logged = perf.rows;
  }

  close(): void {
    closeSync(this.fd);
  }
}
