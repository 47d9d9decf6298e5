/**
 * Where a paper venue keeps its book between runs: a JSON snapshot at `<path>`, rewritten
 * atomically (temp file, fsync, rename) at each session's end, and an op-log at `<path>.ops` of
 * every change since, appended before the venue reports the change — so a process killed at any
 * moment leaves a book that a restart rebuilds exactly (snapshot, then the ops after it).
 *
 * Both are checked as the session's state file is: the snapshot carries a sha256 of its content,
 * and each op-log line a hash chained to the line before it (and to the snapshot), so a damaged,
 * edited or foreign line is refused naming its file and line instead of being booked. A torn last
 * line (a crash mid-write) is cut off. Ops are numbered; a snapshot names the last it holds, so
 * ops already folded into it are never applied twice.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { HarvesterError } from "../../errors.ts";
import type { BookSnapshot, VenueOp, VenueStore } from "../simulated/venue_book.ts";
import { checkOp } from "./op_check.ts";
import { cutTornTail, writeFileAtomic, writing } from "../../fs.ts";

/** The snapshot format this venue writes. */
const FORMAT = 2;

/** A paper venue file that cannot be trusted, naming the file (and line). */
export class VenueBookError extends HarvesterError {
  override name = "VenueBookError";
  constructor(readonly path: string, readonly line: number | null, reason: string) {
    super(
      `${path}${line === null ? "" : `:${line}`}: ${reason}; ` +
        "restore the file, or start the session over with --fresh",
    );
  }
}

interface StoredSnapshot {
  format: number;
  sha256: string;
  /** The number of the last op folded into this snapshot, and its chain hash. */
  ops_folded: number;
  ops_head: string;
  book: BookSnapshot;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
/** The chain hash of an op-log line: its number and op, chained to the line before. */
const link = (prev: string, n: number, op: string) => sha(`${prev}|${n}|${op}`).slice(0, 16);

/** An op as the log holds it, with the line it came from (for messages). */
export interface LoggedOp {
  op: VenueOp;
  line: number;
}

export class PaperStore implements VenueStore {
  private fd: number | null = null;
  /** The number of the last op recorded, and the chain's head. */
  private n = 0;
  private head = "";

  constructor(readonly path: string) {}

  get opsPath(): string {
    return `${this.path}.ops`;
  }

  load(check?: (op: VenueOp) => string | null): { snapshot: BookSnapshot | null; ops: VenueOp[] } {
    const { snapshot, ops } = this.read(check);
    return { snapshot, ops: ops.map((o) => o.op) };
  }

  /** The snapshot and the ops after it, every line checked. */
  read(check?: (op: VenueOp) => string | null): { snapshot: BookSnapshot | null; ops: LoggedOp[] } {
    let snapshot: BookSnapshot | null = null;
    if (existsSync(this.path)) {
      const stored = this.readSnapshot();
      snapshot = stored.book;
      this.n = stored.ops_folded;
      this.head = stored.ops_head;
    }
    const ops: LoggedOp[] = [];
    if (!existsSync(this.opsPath)) return { snapshot, ops };
    cutTornTail(this.opsPath);
    const lines = readFileSync(this.opsPath, "utf8").split("\n");
    let prev = this.head;
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trim()) continue;
      let rec: Record<string, unknown>;
      try {
        rec = JSON.parse(lines[i]);
      } catch {
        throw new VenueBookError(this.opsPath, i + 1, "not a JSON line (damaged?)");
      }
      const { n, h, ...op } = rec;
      if (typeof n !== "number" || typeof h !== "string") {
        throw new VenueBookError(this.opsPath, i + 1, "not an op-log line (no number or hash)");
      }
      if (n <= this.n && ops.length === 0) {
        // Folded into the snapshot already (a crash between its rename and this log's removal).
        if (h === this.head || n < this.n) continue;
      }
      if (h !== link(prev, n, JSON.stringify(op))) {
        throw new VenueBookError(
          this.opsPath,
          i + 1,
          "this line was not written by the venue after the line before it (edited, inserted or " +
            "appended by hand)",
        );
      }
      const problem = checkOp(op) ?? check?.(op as VenueOp) ?? null;
      if (problem) throw new VenueBookError(this.opsPath, i + 1, problem);
      prev = h;
      this.n = n;
      ops.push({ op: op as VenueOp, line: i + 1 });
    }
    this.head = prev;
    return { snapshot, ops };
  }

  private readSnapshot(): StoredSnapshot {
    let stored: StoredSnapshot;
    const text = readFileSync(this.path, "utf8");
    try {
      stored = JSON.parse(text);
    } catch {
      throw new VenueBookError(this.path, null, "not valid JSON (damaged or truncated)");
    }
    if (stored.format !== FORMAT) {
      throw new VenueBookError(
        this.path,
        null,
        `written in format ${stored.format ?? "unknown"}, this Harvester reads ${FORMAT}`,
      );
    }
    if (sha(JSON.stringify(stored.book)) !== stored.sha256) {
      throw new VenueBookError(this.path, null, "fails its checksum (damaged or edited)");
    }
    return stored;
  }

  record(op: VenueOp): void {
    const n = this.n + 1, body = JSON.stringify(op);
    const head = link(this.head, n, body);
    // `n` and `h` first, then the op's own fields (spliced as text: the hash covers the body).
    const line = `{"n":${n},"h":"${head}",${body.slice(1)}\n`;
    writing(this.opsPath, "append to the paper venue's op-log", () => {
      this.fd ??= openSync(this.opsPath, "a");
      writeSync(this.fd, line);
    });
    this.n = n;
    this.head = head;
  }

  save(book: BookSnapshot): void {
    const stored: StoredSnapshot = {
      format: FORMAT,
      sha256: sha(JSON.stringify(book)),
      ops_folded: this.n,
      ops_head: this.head,
      book,
    };
    writeFileAtomic(this.path, JSON.stringify(stored), "save the paper venue's book to");
    this.closeOps();
    rmSync(this.opsPath, { force: true });
  }

  close(): void {
    this.closeOps();
  }

  private closeOps(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
  }
}
