/**
 * The audit and replay journal: append-only JSON lines, one object per line with `ts` (ISO UTC)
 * and `type`. Lines that must be durable before something happens are written with `sync`, which
 * writes out everything pending and fsyncs the file.
 *
 * Other entries wait in the process — not even serialised — and go to the OS in one write at the
 * end of each bar (`writeOut`), before any synced line, when many are pending, or within 100 ms:
 * the bar → order path then pays neither JSON nor a system call per line. A process killed
 * mid-bar loses that bar's unsynced lines; restarts never depend on them (order ids are reserved
 * durably in blocks and looked up at the broker). `writeOut` before each order
 * (`journal_before_send`) keeps every sent order's line through such a crash, at a write per order.
 */
import { existsSync, readFileSync } from "node:fs";
import { HarvesterError } from "../errors.ts";
import { cutTornTail, writing } from "../fs.ts";
import type { AuditLog } from "../orders/audit.ts";

export interface JournalEntry {
  ts: string;
  type: string;
  [field: string]: unknown;
}

const PENDING_LIMIT = 4_096;
const PENDING_MS = 100;

export class Journal implements AuditLog {
  /** A journal records (the audit log's `enabled`). */
  readonly enabled = true;
  private file: Deno.FsFile | null;
  /** Lines are encoded into this (grown as needed) rather than a new buffer per write. */
  private bytes = new Uint8Array(64 * 1024);
  private readonly encoder = new TextEncoder();
  /** Entries not yet written: ts, type, fields (callers hand over fields they no longer change). */
  private pending: [string, string, Record<string, unknown>][] = [];
  private timer: number | null = null;
  /** Lines written by this process (for metrics and tests). */
  lines = 0;
  private lastT = NaN;
  private lastTs = "";

  /** Bytes of a torn last line cut off when the journal was opened (0: none). */
  readonly repaired: number;

  constructor(readonly path: string | null, private readonly now: () => number = Date.now) {
    this.repaired = path ? cutTornTail(path) : 0;
    this.file = path ? Deno.openSync(path, { append: true, create: true }) : null;
    if (this.repaired > 0) this.write("journal_repaired", { bytes_dropped: this.repaired }, true);
  }

  /**
   * Appends one entry; `sync` makes it (and every line before it) durable before returning.
   * `fields` is serialised later: pass an object that is not changed afterwards.
   */
  write(type: string, fields: Record<string, unknown> = {}, sync = false): void {
    const t = this.now();
    // Lines come in bursts within the same millisecond (a bar's fills and transitions).
    if (t !== this.lastT) {
      this.lastT = t;
      this.lastTs = new Date(t).toISOString();
    }
    if (this.file !== null) {
      this.pending.push([this.lastTs, type, fields]);
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
  }

  /** Hands pending lines to the OS: they then survive a crash of this process. */
  writeOut(): void {
    if (this.file === null || this.pending.length === 0) return;
    let text = "";
    for (const [ts, type, fields] of this.pending) text += line(ts, type, fields);
    this.pending = [];
    if (text.length * 3 > this.bytes.length) this.bytes = new Uint8Array(text.length * 3);
    const { written } = this.encoder.encodeInto(text, this.bytes);
    const file = this.file;
    writing(this.path!, "append to the journal", () => {
      for (let at = 0; at < written;) at += file.writeSync(this.bytes.subarray(at, written));
    });
  }

  /** Writes out and fsyncs: everything so far survives a crash of the machine. */
  flush(): void {
    if (this.file === null) return;
    this.writeOut();
    const file = this.file;
    writing(this.path!, "sync the journal", () => file.syncSync());
  }

  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.file !== null) {
      this.flush();
      this.file.close();
      this.file = null;
    }
  }
}

/**
 * One JSON line: `ts` and `type` first, then the fields — spliced as text rather than spread into
 * a new object.
 */
function line(ts: string, type: string, fields: Record<string, unknown>): string {
  if ("ts" in fields || "type" in fields) {
    return JSON.stringify({ ts, type, ...fields }) + "\n";
  }
  const rest = JSON.stringify(fields);
  const head = `{"ts":"${ts}","type":${JSON.stringify(type)}`;
  return (rest === "{}" ? head + "}" : head + "," + rest.slice(1)) + "\n";
}

/** A journal that cannot be read, naming the file and line. */
export class JournalReadError extends HarvesterError {
  override name = "JournalReadError";
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
        throw new JournalReadError(
          `${path}:${i + 1}: not a JSON line (${(e as Error).message}); the journal is damaged ` +
            "there: restore it, or start the session over with --fresh",
        );
      }
    }
  }
  return out;
}
