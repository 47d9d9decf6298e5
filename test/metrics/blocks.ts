/** Helpers for the writers' tests: tables handed out a block at a time, and pieces put together. */
import type { Column, Table } from "../../runtime/metrics/tables/table.ts";

/**
 * `t` with `blocks`: its rows `k` at a time, copied into one set of arrays that every block
 * reuses (longer than the last block), as `blocked.ts` hands out the recorder's tables.
 */
export function inBlocks(t: Table, k: number): Table {
  return {
    length: t.length,
    columns: t.columns,
    *blocks() {
      const values = t.columns.map(() => new Array<unknown>(k));
      const columns = t.columns.map((c, j) => ({ ...c, values: values[j] }) as Column);
      for (let from = 0; from === 0 || from < t.length; from += k) {
        const n = Math.min(k, t.length - from);
        t.columns.forEach((c, j) => {
          for (let i = 0; i < n; i++) values[j][i] = c.values[from + i];
        });
        yield { length: n, columns };
      }
    },
  };
}

/** The pieces one after another in one array. */
export function joined(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

/** Each piece copied as it is handed out (its buffer is reused two pieces later). */
export function copies(pieces: Iterable<Uint8Array>): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of pieces) out.push(p.slice());
  return out;
}
