/**
 * The audit and replay journal: append-only JSON lines, one object per line with `ts` (ISO UTC)
 * and `type`. Lines that must be durable before something happens (an order id before the order
 * leaves the process) are written with `sync`, which fsyncs the file.
 *
 * Other lines are buffered in the process and handed to the OS in one write at the end of each
 * bar (`writeOut`), when 64 KB are pending, before any synced line, or within 100 ms: a system
 * call per line would cost more than the decision itself on the bar → order path. A process
 * killed mid-bar can lose that bar's unsynced lines; restarts never depend on them (order ids
 * are reserved durably in blocks and looked up at the broker).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";

export interface JournalEntry {
  ts: string;
  type: string;
  [field: string]: unknown;
}

const PENDING_LIMIT = 64 * 1024;
const PENDING_MS = 100;

export class Journal {
  private fd: number | null;
  private pending = "";
  private timer: number | null = null;
  /** Lines written by this process (for metrics and tests). */
  lines = 0;
  private lastT = NaN;
  private lastTs = "";

  constructor(readonly path: string | null, private readonly now: () => number = Date.now) {
    this.fd = path ? openSync(path, "a") : null;
  }

  /** Appends one entry; `sync` makes it (and every line before it) durable before returning. */
  write(type: string, fields: Record<string, unknown> = {}, sync = false): JournalEntry {
    const t = this.now();
    // Lines come in bursts within the same millisecond (a bar's fills and transitions).
    if (t !== this.lastT) {
      this.lastT = t;
      this.lastTs = new Date(t).toISOString();
    }
    const entry: JournalEntry = { ts: this.lastTs, type, ...fields };
    if (this.fd !== null) {
      this.pending += JSON.stringify(entry) + "\n";
      if (sync) this.flush();
      else if (this.pending.length >= PENDING_LIMIT) this.writeOut();
      else if (this.timer === null) {
        const id = setTimeout(() => {
          this.timer = null;
          this.writeOut();
        }, PENDING_MS);
        this.timer = Number(id);
        Deno.unrefTimer(this.timer);
      }
    }
    this.lines++;
    return entry;
  }

  /** Hands buffered lines to the OS: they then survive a crash of this process. */
  writeOut(): void {
    if (this.fd === null || this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    writeSync(this.fd, text);
  }

  /** Writes out and fsyncs: everything so far survives a crash of the machine. */
  flush(): void {
    if (this.fd === null) return;
    this.writeOut();
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.fd !== null) {
      this.flush();
      closeSync(this.fd);
      this.fd = null;
    }
  }
}

/** Every entry of a journal file; a torn last line (a crash mid-write) is ignored. */
export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const out: JournalEntry[] = [];
  const lines = readFileSync(path, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      if (i < lines.length - 2) {
        throw new Error(`${path}:${i + 1}: not a JSON line (${(e as Error).message})`);
      }
    }
  }
  return out;
}
