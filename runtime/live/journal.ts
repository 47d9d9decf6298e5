/**
 * The audit and replay journal: append-only JSON lines, one object per line with `ts` (ISO UTC)
 * and `type`. Lines that must be durable before something happens (an order id before the order
 * leaves the process) are written with `sync`, which fsyncs the file.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";

export interface JournalEntry {
  ts: string;
  type: string;
  [field: string]: unknown;
}

export class Journal {
  private fd: number | null;
  /** Lines written by this process (for metrics and tests). */
  lines = 0;

  constructor(readonly path: string | null, private readonly now: () => number = Date.now) {
    this.fd = path ? openSync(path, "a") : null;
  }

  /** Appends one entry; `sync` makes it durable before returning. */
  write(type: string, fields: Record<string, unknown> = {}, sync = false): JournalEntry {
    const entry: JournalEntry = { ts: new Date(this.now()).toISOString(), type, ...fields };
    if (this.fd !== null) {
      writeSync(this.fd, JSON.stringify(entry) + "\n");
      if (sync) fsyncSync(this.fd);
    }
    this.lines++;
    return entry;
  }

  flush(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) {
      fsyncSync(this.fd);
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
