/**
 * Comparing two runs' results for the parity suite: every perf column (NaN equals NaN), every
 * recorded column, and every row of the positions, orders and transactions tables. Order ids
 * differ between runs only by their id family (`hv<tag>-n`), which is taken out.
 */
import type { Results } from "../../runtime/metrics/results.ts";
import { PERF_COLUMNS } from "../../runtime/metrics/perf.ts";

const sameNumber = (x: number, y: number) => x === y || (Number.isNaN(x) && Number.isNaN(y));
const stripIds = (v: unknown) => typeof v === "string" ? v.replace(/^hv[0-9a-f]{8}-/, "hv-") : v;

function rowsDiffer(
  name: string,
  a: readonly object[],
  b: readonly object[],
  out: string[],
): void {
  if (a.length !== b.length) out.push(`${name}: ${a.length} rows vs ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as Record<string, unknown>, y = b[i] as Record<string, unknown>;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const u = stripIds(x[k]), v = stripIds(y[k]);
      const same = typeof u === "number" && typeof v === "number" ? sameNumber(u, v) : u === v;
      if (!same) {
        out.push(`${name}[${i}].${k}: ${JSON.stringify(u)} vs ${JSON.stringify(v)}`);
        return; // the first difference of a table says enough
      }
    }
  }
}

/** Every difference between two runs (empty: identical). */
export function differences(a: Results, b: Results): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`perf: ${a.length} rows vs ${b.length}`);
  const n = Math.min(a.length, b.length);
  for (const c of PERF_COLUMNS) {
    for (let i = 0; i < n; i++) {
      if (!sameNumber(a.perf[c][i], b.perf[c][i])) {
        out.push(`perf.${c}[${i}]: ${a.perf[c][i]} vs ${b.perf[c][i]}`);
        break;
      }
    }
  }
  const names = new Set([...a.recorded.keys(), ...b.recorded.keys()]);
  for (const k of names) {
    const x = a.recorded.get(k) ?? [], y = b.recorded.get(k) ?? [];
    for (let i = 0; i < n; i++) {
      const u = x[i], v = y[i];
      const same = typeof u === "number" && typeof v === "number" ? sameNumber(u, v) : u === v;
      if (!same) {
        out.push(`recorded.${k}[${i}]: ${u} vs ${v}`);
        break;
      }
    }
  }
  rowsDiffer("positions", a.positions, b.positions, out);
  rowsDiffer("orders", a.orders, b.orders, out);
  rowsDiffer("transactions", a.transactions, b.transactions, out);
  return out;
}
