/**
 * Rolling correlation and regression kernels over date-major windows: zipline's
 * `vectorized_pearson_r`, `vectorized_beta`, and scipy's `spearmanr` and `linregress` applied
 * column by column. A target with one column is broadcast to every column.
 */
import { studentTSf } from "../../frames/distributions.ts";
import { rankPositions } from "./rows.ts";

const at = (w: ArrayLike<number>, cols: number, t: number, j: number) =>
  cols === 1 ? w[t] : w[t * cols + j];

/**
 * Pearson's r of each column of `y` with `x` (zipline's `vectorized_pearson_r`, allowed_missing
 * 0): any NaN in a column (of either side) gives NaN.
 */
export function pearsonCols(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  xCols: number,
  rows: number,
  cols: number,
  out: Float64Array,
): void {
  for (let j = 0; j < cols; j++) {
    let mx = 0, my = 0;
    for (let t = 0; t < rows; t++) {
      mx += at(x, xCols, t, j);
      my += y[t * cols + j];
    }
    mx /= rows;
    my /= rows;
    let vx = 0, vy = 0, c = 0;
    for (let t = 0; t < rows; t++) {
      const dx = at(x, xCols, t, j) - mx, dy = y[t * cols + j] - my;
      vx += dx * dx;
      vy += dy * dy;
      c += dx * dy;
    }
    out[j] = (c / rows) / Math.sqrt((vx / rows) * (vy / rows));
  }
}

/**
 * zipline's `vectorized_beta`: slope of each column of `y` regressed on `x`, over rows where
 * both are present; NaN when more than `allowedMissing` rows are missing.
 */
export function betaCols(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  xCols: number,
  rows: number,
  cols: number,
  allowedMissing: number,
  out: Float64Array,
): void {
  for (let j = 0; j < cols; j++) {
    // The independent variable takes the dependent's missing pattern.
    let sx = 0, n = 0, missing = 0;
    for (let t = 0; t < rows; t++) {
      const yv = y[t * cols + j], xv = yv === yv ? at(x, xCols, t, j) : NaN;
      if (xv === xv) {
        sx += xv;
        n++;
      } else missing++;
    }
    const mx = n ? sx / n : NaN;
    let cov = 0, cn = 0, v = 0;
    for (let t = 0; t < rows; t++) {
      const yv = y[t * cols + j], xv = yv === yv ? at(x, xCols, t, j) : NaN;
      const r = xv - mx;
      if (r === r) {
        v += r * r;
        const p = r * yv;
        if (p === p) {
          cov += p;
          cn++;
        }
      }
    }
    out[j] = missing > allowedMissing ? NaN : (cn ? cov / cn : NaN) / (n ? v / n : NaN);
  }
}

/** scipy's `rankdata(…, "average")` of a column into `out` (length `rows`). */
function averageRanks(v: Float64Array, idx: Int32Array, out: Float64Array): void {
  for (let k = 0; k < v.length; k++) idx[k] = k;
  rankPositions(v, idx, v.length, "average", true, out);
}

/** Pearson r of two equal-length vectors as numpy's corrcoef computes it (NaN if constant). */
function corrcoef(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let saa = 0, sbb = 0, sab = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  const r = (sab / Math.sqrt(saa)) / Math.sqrt(sbb);
  return r !== r ? NaN : Math.max(-1, Math.min(1, r));
}

/** scipy's `spearmanr(y[:, j], x[:, j])[0]` per column: NaN anywhere gives NaN. */
export function spearmanCols(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  xCols: number,
  rows: number,
  cols: number,
  out: Float64Array,
): void {
  const a = new Float64Array(rows), b = new Float64Array(rows);
  const ra = new Float64Array(rows), rb = new Float64Array(rows), idx = new Int32Array(rows);
  for (let j = 0; j < cols; j++) {
    let nan = false;
    for (let t = 0; t < rows; t++) {
      a[t] = y[t * cols + j];
      b[t] = at(x, xCols, t, j);
      if (a[t] !== a[t] || b[t] !== b[t]) nan = true;
    }
    if (nan) {
      out[j] = NaN;
      continue;
    }
    averageRanks(a, idx, ra);
    averageRanks(b, idx, rb);
    out[j] = corrcoef(ra, rb);
  }
}

/** The five outputs of scipy's `linregress(x, y)`, per column. */
export interface RegressionOut {
  alpha: Float64Array;
  beta: Float64Array;
  r_value: Float64Array;
  p_value: Float64Array;
  stderr: Float64Array;
}

/**
 * scipy's `linregress(x, y)` per column: slope (beta), intercept (alpha), r, the two-sided
 * p-value of slope = 0 (Student's t, n − 2 degrees of freedom) and the slope's standard error.
 * NaN in a column propagates; all-equal x gives NaN (scipy raises).
 */
export function linregressCols(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  xCols: number,
  rows: number,
  cols: number,
  out: RegressionOut,
): void {
  const n = rows;
  for (let j = 0; j < cols; j++) {
    let mx = 0, my = 0;
    for (let t = 0; t < n; t++) {
      mx += at(x, xCols, t, j);
      my += y[t * cols + j];
    }
    mx /= n;
    my /= n;
    let sxx = 0, syy = 0, sxy = 0;
    for (let t = 0; t < n; t++) {
      const dx = at(x, xCols, t, j) - mx, dy = y[t * cols + j] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    sxx /= n;
    syy /= n;
    sxy /= n;
    if (sxx === 0 || sxx !== sxx || syy !== syy) {
      out.alpha[j] =
        out.beta[j] =
        out.r_value[j] =
        out.p_value[j] =
        out.stderr[j] =
          NaN;
      continue;
    }
    const den = Math.sqrt(sxx * syy);
    let r = den === 0 ? 0 : sxy / den;
    r = Math.max(-1, Math.min(1, r));
    const slope = sxy / sxx;
    out.beta[j] = slope;
    out.alpha[j] = my - slope * mx;
    out.r_value[j] = r;
    if (n === 2) {
      out.p_value[j] = y[j] === y[cols + j] ? 1 : 0;
      out.stderr[j] = 0;
      continue;
    }
    const df = n - 2, TINY = 1e-20;
    const tstat = r * Math.sqrt(df / ((1 - r + TINY) * (1 + r + TINY)));
    out.p_value[j] = 2 * studentTSf(Math.abs(tstat), df);
    out.stderr[j] = Math.sqrt((1 - r * r) * syy / sxx / df);
  }
}
