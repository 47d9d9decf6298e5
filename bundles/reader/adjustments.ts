/**
 * Corporate-action adjustments, as zipline applies them: each has an effective date and a ratio
 * that multiplies prices (and, for splits, divides volumes) of every bar strictly before that
 * date, once the simulation has reached the date. Pure functions over sorted typed arrays.
 */
import { DAY_MS } from "../../calendars/days.ts";
import { upperBound } from "../../calendars/precomputed.ts";

/** One stored adjustment. `day` is the effective (ex) date as a day number. */
export interface Adjustment {
  sid: number;
  day: number;
  ratio: number;
  kind: "split" | "merger" | "dividend";
}

/** A column's adjustments keyed by the index of their effective date in a session array. */
export type AdjustmentIndex = Map<number, Adjustment[]>;

/**
 * zipline's `load_pricing_adjustments`: for each column, adjustments whose effective date lies
 * within the sessions, keyed by the session index of that date (searchsorted, side right, for a
 * date that is not a session). Price columns take every adjustment; `volume` takes splits only,
 * with the ratio inverted.
 */
export function pricingAdjustments(
  adjustments: readonly Adjustment[],
  columns: readonly string[],
  sessions: Float64Array,
): AdjustmentIndex[] {
  const first = sessions[0], last = sessions[sessions.length - 1];
  const price: AdjustmentIndex = new Map(), volume: AdjustmentIndex = new Map();
  const add = (m: AdjustmentIndex, i: number, a: Adjustment) => {
    const list = m.get(i);
    if (list) list.push(a);
    else m.set(i, [a]);
  };
  for (const a of adjustments) {
    const ms = a.day * DAY_MS;
    if (ms < first || ms > last) continue;
    let i = upperBound(sessions, ms);
    if (sessions[i - 1] === ms) i -= 1; // a session: its own index
    add(price, i, a);
    if (a.kind === "split") add(volume, i, { ...a, ratio: 1 / a.ratio });
  }
  return columns.map((c) => (c === "volume" ? volume : price));
}

/**
 * Per-asset cumulative adjustment factors, so that a price stored raw on day `d` seen as of day
 * `t` is `raw × factor(d, t)`, the product of the ratios of adjustments with `d < day ≤ t`.
 */
export class AdjustmentFactors {
  /** For each asset: effective days ascending, and the running product of ratios up to each. */
  private readonly days: Int32Array[];
  private readonly cumulative: Float64Array[];

  constructor(
    sids: readonly number[],
    adjustments: readonly Adjustment[],
    which: "price" | "volume",
  ) {
    const bySid = new Map<number, Adjustment[]>();
    for (const a of adjustments) {
      if (which === "volume" && a.kind !== "split") continue;
      const list = bySid.get(a.sid) ?? [];
      list.push(a);
      bySid.set(a.sid, list);
    }
    this.days = [];
    this.cumulative = [];
    for (const sid of sids) {
      const list = (bySid.get(sid) ?? []).sort((a, b) => a.day - b.day);
      const days = new Int32Array(list.length), cum = new Float64Array(list.length);
      let p = 1;
      list.forEach((a, k) => {
        p *= which === "volume" ? 1 / a.ratio : a.ratio;
        days[k] = a.day;
        cum[k] = p;
      });
      this.days.push(days);
      this.cumulative.push(cum);
    }
  }

  /** Number of adjustments of asset `i` with effective day ≤ `day`. */
  private countUpTo(i: number, day: number): number {
    const d = this.days[i];
    let lo = 0, hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (d[mid] <= day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Factor for a bar of asset index `i` on `barDay`, seen as of `asOfDay` (day numbers). */
  factor(i: number, barDay: number, asOfDay: number): number {
    const hi = this.countUpTo(i, asOfDay), lo = this.countUpTo(i, barDay);
    if (hi <= lo) return 1;
    const c = this.cumulative[i];
    return lo === 0 ? c[hi - 1] : c[hi - 1] / c[lo - 1];
  }

  /** Whether asset `i` has any adjustment. */
  has(i: number): boolean {
    return this.days[i].length > 0;
  }
}
