/**
 * Per-day (cross-sectional) operations: rank, the grouped row transforms (demean, zscore,
 * winsorize, grouped rank), quantile labels, percentile and maximum filters, the `Everything`
 * classifier and the null checks — each with zipline's NaN, mask and tie rules.
 */
import {
  demeanAt,
  quantileLabels,
  quantileSorted,
  type RankMethod,
  rankPositions,
  rankScratch,
  selectFirst,
  sortedValues,
  winsorizeAt,
  zscoreAt,
} from "../kernels/rows.ts";
import type { TermData, TermOp } from "../term.ts";

/**
 * zipline's `Rank`: per day, ranks of the values the mask passes (NaN and masked-out → NaN),
 * "ordinal" ties broken by asset order.
 */
export function rankOp(method: RankMethod, ascending: boolean): TermOp {
  return {
    name: "Rank",
    params: `method=${method},ascending=${ascending}`,
    compute(inputs, ctx) {
      const data = inputs[0] as TermData, { rows, cols, mask } = ctx;
      const out = new Float64Array(rows * cols).fill(NaN), idx = new Int32Array(cols);
      const scratch = rankScratch(cols);
      for (let t = 0; t < rows; t++) {
        const b = t * cols, row = data.subarray(b, b + cols), o = out.subarray(b, b + cols);
        let n = 0;
        for (let j = 0; j < cols; j++) {
          const v = row[j];
          if (mask[b + j] && v === v) idx[n++] = j;
        }
        rankPositions(row, idx, n, method, ascending, o, scratch);
      }
      return out;
    },
  };
}

/**
 * `top(k)` / `bottom(k)` without groupby: exactly the assets `rank(...) <= k` keeps (NaN and
 * masked-out never; ties to the lower sid), found by selection rather than a full rank. An
 * optional second input (the root mask) is and-ed in, as the comparison filter would be.
 */
export function firstKOp(k: number, ascending: boolean): TermOp {
  return {
    name: ascending ? "Bottom" : "Top",
    params: `k=${k}`,
    compute(inputs, ctx) {
      const data = inputs[0] as TermData, alive = inputs[1] as Uint8Array | undefined;
      const { rows, cols, mask } = ctx;
      const out = new Uint8Array(rows * cols), idx = new Int32Array(cols);
      const scratch = rankScratch(cols);
      for (let t = 0; t < rows; t++) {
        const b = t * cols, row = data.subarray(b, b + cols);
        let n = 0;
        for (let j = 0; j < cols; j++) {
          const v = row[j];
          if (mask[b + j] && v === v) idx[n++] = j;
        }
        selectFirst(row, idx, n, k, ascending, out.subarray(b, b + cols), scratch);
        if (alive) { for (let j = 0; j < cols; j++) out[b + j] &= alive[b + j]; }
      }
      return out;
    },
  };
}

/** The row transforms `GroupedRowTransform` applies within each group. */
export type RowTransform =
  | { kind: "demean" }
  | { kind: "zscore" }
  | { kind: "winsorize"; min: number; max: number }
  | { kind: "rank"; method: RankMethod; ascending: boolean };

/**
 * zipline's `GroupedRowTransform`: inputs are the factor and a classifier of group labels;
 * per day the transform runs over each group of masked-in assets; masked-out or unlabelled
 * assets get `missing`.
 */
export function groupedOp(transform: RowTransform, missing: number, nullLabel: number): TermOp {
  return {
    name: "GroupedRowTransform",
    params: JSON.stringify(transform),
    compute(inputs, ctx) {
      const data = inputs[0] as Float64Array, labels = inputs[1] as Int32Array;
      const { rows, cols, mask } = ctx;
      const out = new Float64Array(rows * cols).fill(missing);
      const order = new Int32Array(cols), idx = new Int32Array(cols), tmp = new Int32Array(cols);
      const scratch = rankScratch(cols);
      for (let t = 0; t < rows; t++) {
        const b = t * cols, row = data.subarray(b, b + cols), o = out.subarray(b, b + cols);
        let n = 0;
        for (let j = 0; j < cols; j++) {
          if (mask[b + j] && labels[b + j] !== nullLabel) order[n++] = j;
        }
        // Group by label (stable, so each group keeps asset order).
        const part = order.subarray(0, n).sort((x, y) =>
          (labels[b + x] - labels[b + y]) || (x - y)
        );
        for (let s = 0; s < n;) {
          let e = s + 1;
          while (e < n && labels[b + part[e]] === labels[b + part[s]]) e++;
          const g = part.subarray(s, e), m = e - s;
          if (transform.kind === "demean") demeanAt(row, g, m, o);
          else if (transform.kind === "zscore") zscoreAt(row, g, m, o);
          else if (transform.kind === "winsorize") {
            winsorizeAt(row, g, m, transform.min, transform.max, o, tmp);
          } else {
            let k = 0;
            for (let q = 0; q < m; q++) {
              if (row[g[q]] === row[g[q]]) idx[k++] = g[q];
              else o[g[q]] = NaN;
            }
            rankPositions(row, idx, k, transform.method, transform.ascending, o, scratch);
          }
          s = e;
        }
      }
      return out;
    },
  };
}

/** zipline's `Quantiles(bins)`: per day, pandas `qcut` labels of masked-in values (else −1). */
export function quantilesOp(bins: number): TermOp {
  return {
    name: "Quantiles",
    params: `bins=${bins}`,
    compute(inputs, ctx) {
      const data = inputs[0] as Float64Array, { rows, cols, mask } = ctx;
      const out = new Int32Array(rows * cols).fill(-1);
      const idx = new Int32Array(cols), buf = new Float64Array(cols);
      for (let t = 0; t < rows; t++) {
        const b = t * cols, row = data.subarray(b, b + cols), o = out.subarray(b, b + cols);
        let n = 0;
        for (let j = 0; j < cols; j++) if (mask[b + j]) idx[n++] = j;
        quantileLabels(row, idx, n, bins, buf, o, -1);
      }
      return out;
    },
  };
}

/**
 * zipline's `PercentileFilter`: per day, values between the `min` and `max` percentiles
 * (numpy's linear `nanpercentile`) of the masked-in values, bounds included.
 */
export function percentileOp(min: number, max: number): TermOp {
  return {
    name: "PercentileFilter",
    params: `min=${min},max=${max}`,
    compute(inputs, ctx) {
      const data = inputs[0] as Float64Array, { rows, cols, mask } = ctx;
      const out = new Uint8Array(rows * cols), idx = new Int32Array(cols);
      const buf = new Float64Array(cols);
      for (let t = 0; t < rows; t++) {
        const b = t * cols;
        let n = 0;
        for (let j = 0; j < cols; j++) if (mask[b + j]) idx[n++] = j;
        const m = sortedValues(data.subarray(b, b + cols), idx, n, buf);
        const lo = quantileSorted(buf, m, min / 100), hi = quantileSorted(buf, m, max / 100);
        for (let k = 0; k < n; k++) {
          const v = data[b + idx[k]];
          out[b + idx[k]] = lo <= v && v <= hi ? 1 : 0;
        }
      }
      return out;
    },
  };
}

/**
 * zipline's `MaximumFilter` (`top(1)`): per day and group, the first asset holding the largest
 * non-NaN masked-in value.
 */
export function maximumOp(nullLabel: number): TermOp {
  return {
    name: "Maximum",
    params: "",
    compute(inputs, ctx) {
      const data = inputs[0] as Float64Array, labels = inputs[1] as Int32Array;
      const { rows, cols, mask } = ctx;
      const out = new Uint8Array(rows * cols), best = new Map<number, number>();
      for (let t = 0; t < rows; t++) {
        const b = t * cols;
        best.clear();
        for (let j = 0; j < cols; j++) {
          const v = data[b + j], g = labels[b + j];
          if (!mask[b + j] || g === nullLabel || v !== v) continue;
          const cur = best.get(g);
          if (cur === undefined || v > data[b + cur]) best.set(g, j);
        }
        for (const j of best.values()) out[b + j] = 1;
      }
      return out;
    },
  };
}

/** zipline's `Everything` classifier: label 0 wherever the mask passes, else −1. */
export function everythingOp(): TermOp {
  return {
    name: "Everything",
    params: "",
    compute(_inputs, ctx) {
      const out = new Int32Array(ctx.rows * ctx.cols);
      for (let k = 0; k < out.length; k++) out[k] = ctx.mask[k] ? 0 : -1;
      return out;
    },
  };
}

/** `NullFilter` / `NotNullFilter`: whether values equal the input's missing value (or NaN). */
export function nullOp(missing: number, negate: boolean): TermOp {
  return {
    name: negate ? "NotNullFilter" : "NullFilter",
    params: String(missing),
    compute(inputs) {
      const d = inputs[0] as TermData, out = new Uint8Array(d.length);
      const isNaNMissing = missing !== missing;
      for (let k = 0; k < d.length; k++) {
        const v = d[k], isNull = isNaNMissing ? v !== v : v === missing;
        out[k] = isNull !== negate ? 1 : 0;
      }
      return out;
    },
  };
}
