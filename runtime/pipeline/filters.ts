/**
 * zipline's built-in filters: fixed asset sets (`StaticAssets`, `StaticSids`, `SingleAsset`),
 * data presence (`AllPresent`, `NotNullFilter`, `NullFilter`), smoothing over a window (`All`,
 * `Any`, `AtLeastN`) and `PercentileFilter`.
 */
import type { Asset } from "../assets/asset.ts";
import { isoDate } from "../../calendars/days.ts";
import { CustomFilter, type CustomTermOptions } from "./custom.ts";
import { BadPercentileBounds, NonExistentAssetInTimeFrame, PipelineError } from "./errors.ts";
import type { Factor } from "./factor.ts";
import { Filter } from "./filter.ts";
import { nullOp, percentileOp } from "./ops/cross_section.ts";
import type { Term, TermData, TermOp } from "./term.ts";

/** True for a fixed set of sids (wherever the mask passes). */
export class StaticSids extends Filter {
  constructor(sids: Iterable<number>) {
    super({ op: staticOp([...new Set(sids)].sort((a, b) => a - b)) });
  }
}

/** True for a fixed set of assets (wherever the mask passes). */
export class StaticAssets extends StaticSids {
  constructor(assets: Iterable<Asset>) {
    super([...assets].map((a) => a.sid));
  }
}

function staticOp(sids: number[]): TermOp {
  const set = new Set(sids);
  return {
    name: "StaticSids",
    params: sids.join(","),
    compute(_inputs, ctx) {
      const out = new Uint8Array(ctx.rows * ctx.cols);
      for (let j = 0; j < ctx.cols; j++) {
        if (!set.has(ctx.sids[j])) continue;
        for (let t = 0; t < ctx.rows; t++) out[t * ctx.cols + j] = ctx.mask[t * ctx.cols + j];
      }
      return out;
    },
  };
}

/**
 * True only for `asset`; an error unless the asset exists on every day computed (zipline's
 * `SingleAsset`, used to pin the target of rolling correlations).
 */
export class SingleAsset extends Filter {
  constructor(readonly asset: Asset) {
    super({ op: singleOp(asset) });
  }
}

function singleOp(asset: Asset): TermOp {
  return {
    name: "SingleAsset",
    params: `sid=${asset.sid}`,
    compute(_inputs, ctx) {
      const { rows, cols, sids, mask } = ctx, out = new Uint8Array(rows * cols);
      const j = sids.indexOf(asset.sid);
      let alive = 0;
      if (j >= 0) {
        for (let t = 0; t < rows; t++) {
          out[t * cols + j] = 1;
          alive += mask[t * cols + j];
        }
      }
      if (j < 0 || alive !== rows) {
        throw new NonExistentAssetInTimeFrame(
          String(asset),
          isoDate(ctx.dates[0] / 86_400_000),
          isoDate(ctx.dates[rows - 1] / 86_400_000),
        );
      }
      return out;
    },
  };
}

/** True where `term`'s value is missing. */
export class NullFilter extends Filter {
  constructor(term: Term) {
    super({ inputs: [term], op: nullOp(term.missing_value, false) });
  }
}

/** True where `term`'s value is present. */
export class NotNullFilter extends Filter {
  constructor(term: Term) {
    super({ inputs: [term], op: nullOp(term.missing_value, true) });
  }
}

/** True for values between two percentiles (0…100) of the day's masked-in values. */
export class PercentileFilter extends Filter {
  constructor(
    opts: { factor: Factor; min_percentile: number; max_percentile: number; mask?: Filter },
  ) {
    const { min_percentile: lo, max_percentile: hi } = opts;
    if (!(0 <= lo && lo < hi && hi <= 100)) throw new BadPercentileBounds(lo, hi, 100);
    super({ inputs: [opts.factor], mask: opts.mask, op: percentileOp(lo, hi) });
  }
}

/** True where the input had a value on every day of the window. */
export class AllPresent extends CustomFilter {
  constructor(opts: CustomTermOptions = {}) {
    super(opts);
    if (this.inputs.length !== 1 || this.inputs[0].kind === "filter") {
      throw new PipelineError("AllPresent takes one input, which cannot be a filter");
    }
  }

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const out = outs[0], missing = this.inputs[0].missing_value, nan = missing !== missing;
    for (let j = 0; j < N; j++) {
      let ok = 1;
      for (let t = 0; t < W && ok; t++) {
        const v = w[t * N + j];
        if (nan ? v !== v : v === missing) ok = 0;
      }
      out[j] = ok;
    }
  };
}

/** How many days of a filter's window were true, per asset. */
function trueCounts(w: TermData, W: number, N: number, j: number): number {
  let n = 0;
  for (let t = 0; t < W; t++) n += w[t * N + j] ? 1 : 0;
  return n;
}

/** True where the input filter was true on every day of the window. */
export class All extends CustomFilter {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    for (let j = 0; j < N; j++) outs[0][j] = trueCounts(w, W, N, j) === W ? 1 : 0;
  };
}

/** True where the input filter was true on at least one day of the window. */
export class Any extends CustomFilter {
  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    for (let j = 0; j < N; j++) outs[0][j] = trueCounts(w, W, N, j) > 0 ? 1 : 0;
  };
}

/** True where the input filter was true on at least `N` days of the window. */
export class AtLeastN extends CustomFilter {
  static override params: readonly string[] = ["N"];

  override kernel = (outs: TermData[], [w]: TermData[], W: number, N: number): void => {
    const n = this.params.N as number;
    for (let j = 0; j < N; j++) outs[0][j] = trueCounts(w, W, N, j) >= n ? 1 : 0;
  };
}
