/**
 * Execution corrections. TWS corrects an execution by reporting a new one whose execId differs only
 * after the final period ("….01.01" corrected by "….01.02"); the correction replaces the original
 * (its shares and price are the execution's, not a delta). An execution is tracked by its base
 * (all but the last component); booking a higher revision first books a reversal of the one booked
 * before (same order and price, opposite amount, commission 0, exec id `<execId>~reversed`).
 *
 * @example
 * revisionOf("0000e0d5.6552e2ad.01.02"); // { base: "0000e0d5.6552e2ad.01", rev: 2 }
 */
import type { ExecRecord } from "./executions.ts";

/** The exec id suffix of a reversing fill. */
export const REVERSED = "~reversed";

/** An execId's base (all but the last dot-separated component) and revision (the last, in hex). */
export function revisionOf(execId: string): { base: string; rev: number } {
  const dot = execId.lastIndexOf(".");
  if (dot < 0) return { base: execId, rev: 0 };
  const rev = parseInt(execId.slice(dot + 1), 16);
  return { base: execId.slice(0, dot), rev: Number.isNaN(rev) ? 0 : rev };
}

/** The fill that undoes a booked execution: opposite amount at the same price (at `time`). */
export function reversalOf(r: ExecRecord, time: number = r.time): ExecRecord {
  return { ...r, execId: r.execId + REVERSED, amount: -r.amount, time };
}

/** Of each execution in a reqExecutions answer, its latest revision (first appearance order). */
export function latestOf(recs: readonly ExecRecord[]): ExecRecord[] {
  const out = new Map<string, ExecRecord>();
  for (const r of recs) {
    const { base } = revisionOf(r.execId), had = out.get(base);
    if (!had || newer(r.execId, had.execId)) out.set(base, r);
  }
  return [...out.values()];
}

/** Whether an exec id is that of a reversing fill. */
export function isReversal(execId: string): boolean {
  return execId.endsWith(REVERSED);
}

/**
 * A reqExecutions answer as the fills a ledger that dedups by exec id must see, so that it ends with
 * only each execution's latest revision whatever it booked before: per base, the revisions in
 * ascending order, each but the last followed by its reversal (`known` adds a revision booked
 * earlier that the answer lacks). First appearance order of the bases is kept.
 */
export function chainOf(
  recs: readonly ExecRecord[],
  known: (base: string) => ExecRecord | undefined = () => undefined,
): ExecRecord[] {
  const groups = new Map<string, Map<string, ExecRecord>>();
  for (const r of recs) {
    const { base } = revisionOf(r.execId);
    let g = groups.get(base);
    if (!g) {
      g = new Map();
      const k = known(base);
      if (k) g.set(k.execId, k);
      groups.set(base, g);
    }
    g.set(r.execId, r);
  }
  const out: ExecRecord[] = [];
  for (const g of groups.values()) {
    const revs = [...g.values()].sort((a, b) =>
      revisionOf(a.execId).rev - revisionOf(b.execId).rev
    );
    revs.forEach((r, i) => {
      out.push(r);
      if (i < revs.length - 1) out.push(reversalOf(r, revs[i + 1].time));
    });
  }
  return out;
}

/** Per base: the latest revision seen (live) and the latest booked. */
export class Revisions {
  private readonly seen = new Map<string, ExecRecord>();
  private readonly booked = new Map<string, ExecRecord>();

  /** The latest revision seen of an execution's base. */
  seenOf(execId: string): ExecRecord | undefined {
    return this.seen.get(revisionOf(execId).base);
  }

  /** The latest revision booked of an execution's base. */
  bookedOf(execId: string): ExecRecord | undefined {
    return this.booked.get(revisionOf(execId).base);
  }

  /** The booked revision of a base (for `chainOf`). */
  bookedBase(base: string): ExecRecord | undefined {
    return this.booked.get(base);
  }

  /** Records a revision as seen (when it is the highest so far). */
  see(r: ExecRecord): void {
    const s = this.seenOf(r.execId);
    if (!s || newer(r.execId, s.execId)) this.seen.set(revisionOf(r.execId).base, r);
  }

  /** Records a revision as booked (and seen). */
  book(r: ExecRecord): void {
    this.see(r);
    this.booked.set(revisionOf(r.execId).base, r);
  }
}

/** Whether `a` is a higher revision of the same execution than `b`. */
export function newer(a: string, b: string): boolean {
  const x = revisionOf(a), y = revisionOf(b);
  return x.base === y.base && x.rev > y.rev;
}
