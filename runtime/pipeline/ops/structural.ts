/**
 * Operations that reshape or route values rather than compute new ones: `alias`, `if_else`,
 * constants (for `fillna`), one-asset slices (`term.slice(asset)`), one output of a multi-output
 * term, and `downsample` (compute on the first session of each week/month/quarter/year, carry
 * the value forward in between).
 */
import type { Asset } from "../../assets/asset.ts";
import { dayFromYmd, isoDate, ymdFromDay } from "../../../calendars/days.ts";
import { NonExistentAssetInTimeFrame, PipelineError } from "../errors.ts";
import type { ComputeContext, ComputeInput, MultiOutput, Term, TermData, TermOp } from "../term.ts";
import type { WindowCursor } from "../window.ts";

/** `term.alias(name)`: the same values under a name. */
export function aliasOp(name: string): TermOp {
  return {
    name: "Aliased",
    params: JSON.stringify(name),
    compute: (inputs) => inputs[0] as TermData,
  };
}

/** `filter.if_else(a, b)`: `a` where the filter is true, else `b`. */
export function ifElseOp(): TermOp {
  return {
    name: "IfElse",
    params: "",
    compute(inputs) {
      const c = inputs[0] as Uint8Array, a = inputs[1] as TermData, b = inputs[2] as TermData;
      const out = a.slice();
      for (let k = 0; k < c.length; k++) if (!c[k]) out[k] = b[k];
      return out;
    },
  };
}

/** A constant value everywhere (typed for the term's kind). */
export function constantOp(value: number): TermOp {
  return {
    name: "Constant",
    params: String(value),
    compute(_inputs, ctx, term) {
      const n = ctx.rows * ctx.cols;
      if (term.kind === "factor") return new Float64Array(n).fill(value);
      if (term.kind === "filter") return new Uint8Array(n).fill(value ? 1 : 0);
      return new Int32Array(n).fill(value);
    },
  };
}

/** `term.slice(asset)`: that asset's column (a one-column term). */
export function sliceOp(asset: Asset): TermOp {
  return {
    name: "Slice",
    params: `sid=${asset.sid}`,
    compute(inputs, ctx) {
      const data = inputs[0] as TermData, { rows, cols, sids } = ctx;
      let j = -1;
      for (let k = 0; k < sids.length; k++) if (sids[k] === asset.sid) j = k;
      if (j < 0) {
        throw new NonExistentAssetInTimeFrame(
          String(asset),
          isoDate(ctx.dates[0] / 86_400_000),
          isoDate(ctx.dates[rows - 1] / 86_400_000),
        );
      }
      const out = new (data.constructor as { new (n: number): TermData })(rows);
      for (let t = 0; t < rows; t++) out[t] = data[t * cols + j];
      return out;
    },
  };
}

/** One named output of a multi-output term. */
export function fieldOp(name: string): TermOp {
  return {
    name: "RecarrayField",
    params: JSON.stringify(name),
    compute(inputs) {
      const rec = inputs[0] as MultiOutput;
      if (!(name in rec)) throw new PipelineError(`no output named "${name}"`);
      return rec[name];
    },
  };
}

/** Periods `downsample` samples on. */
export type DownsampleFrequency = "year_start" | "quarter_start" | "month_start" | "week_start";

/** The period of a session for a frequency (ISO week number for weeks, as zipline). */
function period(ms: number, frequency: DownsampleFrequency): number {
  const day = Math.floor(ms / 86_400_000);
  const [y, m] = ymdFromDay(day);
  if (frequency === "year_start") return y;
  if (frequency === "quarter_start") return Math.floor((m - 1) / 3);
  if (frequency === "month_start") return m;
  // ISO week: the week of the Thursday in the same Monday-based week.
  const weekday = (day + 3) % 7; // 0 = Monday
  const thursday = day - weekday + 3;
  const [ty] = ymdFromDay(thursday);
  return Math.floor((thursday - dayFromYmd(ty, 1, 1)) / 7) + 1;
}

/** Indices of `dates` where the period changes (always including 0). */
export function samplingIndices(
  dates: ArrayLike<number>,
  frequency: DownsampleFrequency,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    if (i === 0 || period(dates[i], frequency) !== period(dates[i - 1], frequency)) out.push(i);
  }
  return out;
}

/** One row of a window cursor, re-based so the wrapped term sees its row 0. */
class RowWindows {
  constructor(private readonly src: WindowCursor, private readonly row: number) {}
  get cols(): number {
    return this.src.cols;
  }
  get length(): number {
    return this.src.length;
  }
  at(_r: number): TermData {
    return this.src.at(this.row);
  }
}

/**
 * `term.downsample(frequency)`: computes `wrapped` only on sampling sessions (the first of each
 * period within the chunk, starting with the chunk's first row) and repeats that row until the
 * next one.
 */
export function downsampleOp(wrapped: Term, frequency: DownsampleFrequency): TermOp {
  return {
    name: "Downsampled",
    params: `${frequency},term#${wrapped.uid}`,
    extraRows(all, startIdx, minExtra) {
      const pos = startIdx - minExtra;
      if (pos < 0) return minExtra;
      // Step back to the most recent sampling date at or before the start.
      let s = pos;
      while (s > 0 && period(all[s], frequency) === period(all[s - 1], frequency)) s--;
      return minExtra + (pos - s);
    },
    compute(inputs, ctx) {
      const { rows, cols } = ctx;
      const samples = new Set(samplingIndices(ctx.dates, frequency));
      let out: TermData | null = null;
      let last: TermData | null = null;
      for (let r = 0; r < rows; r++) {
        if (samples.has(r)) {
          const sub: ComputeInput[] = inputs.map((x) => rowOf(x, r, rows, cols, wrapped.windowed));
          const one: ComputeContext = {
            ...ctx,
            dates: ctx.dates.subarray(r, r + 1),
            mask: ctx.mask.subarray(r * cols, (r + 1) * cols),
            rows: 1,
          };
          last = wrapped._compute(sub, one) as TermData;
          if (!out) out = new (last.constructor as { new (n: number): TermData })(rows * cols);
        }
        out!.set(last!.subarray(0, cols), r * cols);
      }
      return out ?? new Float64Array(0);
    },
  };
}

function rowOf(x: ComputeInput, r: number, rows: number, cols: number, windowed: boolean) {
  if (windowed) return new RowWindows(x as WindowCursor, r) as unknown as WindowCursor;
  const d = x as TermData, c = d.length === rows ? 1 : cols;
  return d.subarray(r * c, (r + 1) * c);
}
