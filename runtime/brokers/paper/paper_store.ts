/**
 * Where a paper venue keeps its book between runs: a JSON snapshot at `<path>`, rewritten
 * atomically (temp file, rename) at each session's end, and an op-log at `<path>.ops` of every
 * change since, appended before the venue reports the change — so a process killed at any moment
 * leaves a book that a restart rebuilds exactly (snapshot, then the ops after it). Ops are
 * numbered; a snapshot names the last it holds, so ops already folded into it are never applied
 * twice (a crash between the snapshot's rename and the op-log's removal).
 */
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import type { BookSnapshot, VenueOp, VenueStore } from "../simulated/venue_book.ts";

interface StoredSnapshot extends BookSnapshot {
  /** The number of the last op folded into this snapshot. */
  ops_folded: number;
}

export class PaperStore implements VenueStore {
  private fd: number | null = null;
  /** The number of the last op recorded. */
  private n = 0;

  constructor(readonly path: string) {}

  get opsPath(): string {
    return `${this.path}.ops`;
  }

  load(): { snapshot: BookSnapshot | null; ops: VenueOp[] } {
    let snapshot: StoredSnapshot | null = null;
    if (existsSync(this.path)) {
      snapshot = JSON.parse(readFileSync(this.path, "utf8")) as StoredSnapshot;
      this.n = snapshot.ops_folded ?? 0;
    }
    const folded = this.n;
    const ops: VenueOp[] = [];
    if (existsSync(this.opsPath)) {
      for (const line of readFileSync(this.opsPath, "utf8").split("\n")) {
        if (!line.trim()) continue;
        let rec: VenueOp & { n: number };
        try {
          rec = JSON.parse(line);
        } catch {
          continue; // a torn last line: the change was never reported
        }
        if (rec.n <= folded) continue;
        this.n = Math.max(this.n, rec.n);
        const { n: _n, ...op } = rec;
        ops.push(op as VenueOp);
      }
    }
    return { snapshot, ops };
  }

  record(op: VenueOp): void {
    this.fd ??= openSync(this.opsPath, "a");
    writeSync(this.fd, JSON.stringify({ n: ++this.n, ...op }) + "\n");
  }

  save(book: BookSnapshot): void {
    const stored: StoredSnapshot = { ...book, ops_folded: this.n };
    writeFileSync(`${this.path}.tmp`, JSON.stringify(stored));
    renameSync(`${this.path}.tmp`, this.path);
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
