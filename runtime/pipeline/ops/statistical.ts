/**
 * Rolling statistics between a factor and a target (another factor, or one asset's slice of
 * one): Pearson and Spearman correlation and linear regression over trailing windows, as
 * zipline's RollingPearson, RollingSpearman and RollingLinearRegression compute them. Assets the
 * mask leaves out get NaN.
 */
import {
  betaCols,
  linregressCols,
  pearsonCols,
  type RegressionOut,
  spearmanCols,
} from "../kernels/regression.ts";
import type { ComputeContext, ComputeInput, MultiOutput, TermData, TermOp } from "../term.ts";
import type { WindowCursor } from "../window.ts";

/** The outputs of a rolling regression, in zipline's order. */
export const REGRESSION_OUTPUTS = ["alpha", "beta", "r_value", "p_value", "stderr"] as const;

/**
 * Runs `kernel` once per output row over the inputs' windows, writing into one row of each
 * output; masked-out assets are reset to NaN afterwards.
 */
export function perRow(
  inputs: ComputeInput[],
  ctx: ComputeContext,
  outputs: number,
  kernel: (outs: Float64Array[], wins: TermData[], winCols: number[]) => void,
): Float64Array[] {
  const { rows, cols, mask } = ctx;
  const outs = Array.from({ length: outputs }, () => new Float64Array(rows * cols).fill(NaN));
  const cursors = inputs as WindowCursor[];
  const winCols = cursors.map((c) => c.cols);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let any = false;
    for (let j = 0; j < cols && !any; j++) any = mask[b + j] === 1;
    const wins = cursors.map((c) => c.at(r));
    if (!any) continue;
    const rowOuts = outs.map((o) => o.subarray(b, b + cols));
    kernel(rowOuts, wins, winCols);
    for (let j = 0; j < cols; j++) {
      if (!mask[b + j]) { for (const o of rowOuts) o[j] = NaN; }
    }
  }
  return outs;
}

/** Pearson's r of each asset's window with the target's (zipline's `RollingPearson`). */
export function pearsonOp(): TermOp {
  return {
    name: "RollingPearson",
    params: "",
    compute(inputs, ctx) {
      const L = (inputs[0] as WindowCursor).length;
      return perRow(inputs, ctx, 1, ([out], [y, x], [, xc]) => {
        pearsonCols(y, x, xc, L, ctx.cols, out);
      })[0];
    },
  };
}

/** Spearman's rank correlation per asset with the target (zipline's `RollingSpearman`). */
export function spearmanOp(): TermOp {
  return {
    name: "RollingSpearman",
    params: "",
    compute(inputs, ctx) {
      const L = (inputs[0] as WindowCursor).length;
      return perRow(inputs, ctx, 1, ([out], [y, x], [, xc]) => {
        spearmanCols(y, x, xc, L, ctx.cols, out);
      })[0];
    },
  };
}

/** OLS of each asset's window on the target's: alpha, beta, r_value, p_value, stderr. */
export function regressionOp(): TermOp {
  return {
    name: "RollingLinearRegression",
    params: "",
    compute(inputs, ctx): MultiOutput {
      const L = (inputs[0] as WindowCursor).length;
      const outs = perRow(inputs, ctx, 5, (o, [y, x], [, xc]) => {
        const r: RegressionOut = {
          alpha: o[0],
          beta: o[1],
          r_value: o[2],
          p_value: o[3],
          stderr: o[4],
        };
        linregressCols(y, x, xc, L, ctx.cols, r);
      });
      return Object.fromEntries(REGRESSION_OUTPUTS.map((n, i) => [n, outs[i]]));
    },
  };
}

/** Slope of each asset's returns on the target's, allowing some missing days (`SimpleBeta`). */
export function betaOp(allowedMissing: number): TermOp {
  return {
    name: "SimpleBeta",
    params: `allowed_missing=${allowedMissing}`,
    compute(inputs, ctx) {
      const L = (inputs[0] as WindowCursor).length;
      return perRow(inputs, ctx, 1, ([out], [y, x], [, xc]) => {
        betaCols(y, x, xc, L, ctx.cols, allowedMissing, out);
      })[0];
    },
  };
}

/** `factor.clip(min, max)`: values limited to [min, max] (NaN stays NaN; masked-out NaN). */
export function clipOp(min: number, max: number): TermOp {
  return {
    name: "Clip",
    params: `${min},${max}`,
    compute(inputs, ctx) {
      const d = inputs[0] as Float64Array, mask = ctx.mask, out = new Float64Array(d.length);
      for (let k = 0; k < d.length; k++) {
        const v = d[k];
        out[k] = !mask[k] ? NaN : v < min ? min : v > max ? max : v;
      }
      return out;
    },
  };
}
