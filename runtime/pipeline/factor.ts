/**
 * `Factor`: a term producing a number per asset per day. Arithmetic and comparisons are methods
 * (`a.add(b)`, `a.gt(0)` for zipline's `a + b`, `a > 0`); normalisations, ranks, quantiles and
 * rolling correlations are methods too, with zipline's names and NaN/tie rules.
 *
 * @example
 * ```ts
 * const momentum = new Returns({ window_length: 126 });
 * const score = momentum.zscore({ mask: universe }).winsorize(0.05, 0.95);
 * const longs = score.top(20);
 * ```
 */
import type { Asset } from "../assets/asset.ts";
import { Classifier, Everything, Quantiles } from "./classifier.ts";
import { BadPercentileBounds, PipelineError } from "./errors.ts";
import { compare, grouped, math, rolling } from "./factor_builders.ts";
import { AssetExists, Filter } from "./filter.ts";
import type { RankMethod } from "./kernels/rows.ts";
import { type MathFunc, mathOp, unaryOp } from "./ops/arith.ts";
import {
  firstKOp,
  maximumOp,
  nullOp,
  percentileOp,
  rankOp,
  type RowTransform,
} from "./ops/cross_section.ts";
import {
  clipOp,
  pearsonOp,
  REGRESSION_OUTPUTS,
  regressionOp,
  spearmanOp,
} from "./ops/statistical.ts";
import {
  aliasOp,
  constantOp,
  type DownsampleFrequency,
  downsampleOp,
  fieldOp,
  sliceOp,
} from "./ops/structural.ts";
import { registerPrincipal, Term, type TermSpec } from "./term.ts";

/** `mask` and `groupby` options of the normalising methods. */
export interface GroupOptions {
  /** Only assets this filter passes take part (others get NaN). */
  mask?: Filter;
  /** Compute within each group of this classifier's labels. */
  groupby?: Classifier;
}

/** Options of `rank`. */
export interface RankOptions extends GroupOptions {
  /** Tie rule; @default "ordinal" */
  method?: RankMethod;
  /** @default true */
  ascending?: boolean;
}

const RANK_METHODS = new Set(["ordinal", "average", "min", "max", "dense"]);

/** A numeric pipeline term. */
export class Factor extends Term {
  readonly kind = "factor" as const;

  constructor(spec: TermSpec = {}) {
    super(spec, { window_safe: false, missing_value: NaN });
  }

  // --- arithmetic (zipline's operators) ---

  /** `this + other`. */
  add(other: Factor | number): Factor {
    return math(this, "+", other);
  }
  /** `this - other`. */
  sub(other: Factor | number): Factor {
    return math(this, "-", other);
  }
  /** `this * other`. */
  mul(other: Factor | number): Factor {
    return math(this, "*", other);
  }
  /** `this / other`. */
  div(other: Factor | number): Factor {
    return math(this, "/", other);
  }
  /** `this ** other`. */
  pow(other: Factor | number): Factor {
    return math(this, "**", other);
  }
  /** `this % other` (Python's modulo: the divisor's sign). */
  mod(other: Factor | number): Factor {
    return math(this, "%", other);
  }
  /** `value - this`. */
  rsub(value: number): Factor {
    return new Factor({ inputs: [this], op: mathOp("-", value, "left") });
  }
  /** `value / this`. */
  rdiv(value: number): Factor {
    return new Factor({ inputs: [this], op: mathOp("/", value, "left") });
  }
  /** `value ** this`. */
  rpow(value: number): Factor {
    return new Factor({ inputs: [this], op: mathOp("**", value, "left") });
  }
  /** `-this`. */
  neg(): Factor {
    return new Factor({ inputs: [this], op: unaryOp("neg") });
  }
  /** A math function of each value: `log`, `exp`, `sqrt`, `abs`, `sin`, … (numexpr's set). */
  apply(func: MathFunc): Factor {
    return new Factor({ inputs: [this], op: unaryOp(func) });
  }
  /** Natural logarithm. */
  log(): Factor {
    return this.apply("log");
  }
  /** Base-10 logarithm. */
  log10(): Factor {
    return this.apply("log10");
  }
  /** e to the power of each value. */
  exp(): Factor {
    return this.apply("exp");
  }
  /** Square root. */
  sqrt(): Factor {
    return this.apply("sqrt");
  }
  /** Absolute value. */
  abs(): Factor {
    return this.apply("abs");
  }

  // --- comparisons (filters) ---

  /** `this < other`. */
  lt(other: Factor | number): Filter {
    return compare(this, "<", other);
  }
  /** `this <= other`. */
  le(other: Factor | number): Filter {
    return compare(this, "<=", other);
  }
  /** `this > other`. */
  gt(other: Factor | number): Filter {
    return compare(this, ">", other);
  }
  /** `this >= other`. */
  ge(other: Factor | number): Filter {
    return compare(this, ">=", other);
  }
  /** `this == other`. */
  eq(other: Factor | number): Filter {
    return compare(this, "==", other);
  }
  /** `this != other`. */
  ne(other: Factor | number): Filter {
    return compare(this, "!=", other);
  }

  // --- missing values ---

  /** True where the value is NaN (zipline: `self != self`). */
  isnan(): Filter {
    return compare(this, "!=", this);
  }
  /** True where the value is not NaN. */
  notnan(): Filter {
    return this.isnan().not();
  }
  /** True where the value is finite. */
  isfinite(): Filter {
    return this.gt(-Infinity).and(this.lt(Infinity));
  }
  /** Same as `isnan()`. */
  isnull(): Filter {
    return this.isnan();
  }
  /** True where the value is not missing (not masked: every asset). */
  notnull(): Filter {
    return new Filter({ inputs: [this], op: nullOp(this.missing_value, true) });
  }
  /** Missing values replaced by a number or by another factor's values. */
  fillna(value: number | Factor): Factor {
    const other = typeof value === "number" ? new Factor({ op: constantOp(value) }) : value;
    return this.notnull().if_else<Factor>(this, other);
  }
  /** Values limited to [min_bound, max_bound]. */
  clip(min_bound: number, max_bound: number, opts: { mask?: Filter } = {}): Factor {
    return new Factor({ inputs: [this], mask: opts.mask, op: clipOp(min_bound, max_bound) });
  }

  // --- cross-sectional ---

  /**
   * Per day, the rank of each asset's value (1 = smallest, or largest when `ascending` is
   * false); NaN or masked-out → NaN. "ordinal" ties go to the asset with the lower sid.
   */
  rank(opts: RankOptions = {}): Factor {
    const method = opts.method ?? "ordinal", ascending = opts.ascending ?? true;
    if (!RANK_METHODS.has(method)) {
      throw new PipelineError(
        `rank: unknown method "${method}"; use ${[...RANK_METHODS].join(", ")}`,
      );
    }
    if (!opts.groupby) {
      return new Factor({
        inputs: [this],
        mask: opts.mask,
        op: rankOp(method, ascending),
        window_safe: true,
      });
    }
    return grouped(this, { kind: "rank", method, ascending }, opts, true, NaN);
  }

  /** The `n` assets with the largest values each day (per group with `groupby`). */
  top(n: number, opts: GroupOptions = {}): Filter {
    if (n === 1) {
      const groupby = opts.groupby ?? new Everything();
      return new Filter({
        inputs: [this, groupby],
        mask: opts.mask,
        op: maximumOp(groupby.missing_value),
      });
    }
    return this.firstK(n, false, opts);
  }

  /** The `n` assets with the smallest values each day (per group with `groupby`). */
  bottom(n: number, opts: GroupOptions = {}): Filter {
    return this.firstK(n, true, opts);
  }

  /** zipline's `rank(ascending, mask, groupby) <= n`; without groupby, by selection. */
  private firstK(n: number, ascending: boolean, opts: GroupOptions): Filter {
    if (opts.groupby) return this.rank({ ascending, ...opts }).le(n);
    const inputs = opts.mask ? [this, AssetExists] : [this];
    return new Filter({ inputs, mask: opts.mask, op: firstKOp(n, ascending) });
  }

  /** Per day, (value − mean) / standard deviation (ddof 0) over masked-in assets or groups. */
  zscore(opts: GroupOptions = {}): Factor {
    return grouped(this, { kind: "zscore" }, opts, true, this.missing_value);
  }

  /** Per day, value − mean over masked-in assets (or within each group). */
  demean(opts: GroupOptions = {}): Factor {
    return grouped(this, { kind: "demean" }, opts, this.window_safe, this.missing_value);
  }

  /** Per day, values beyond the percentiles (0…1) replaced by the values at those ranks. */
  winsorize(min_percentile: number, max_percentile: number, opts: GroupOptions = {}): Factor {
    if (!(0 <= min_percentile && min_percentile < max_percentile && max_percentile <= 1)) {
      throw new BadPercentileBounds(min_percentile, max_percentile, 1);
    }
    const t: RowTransform = { kind: "winsorize", min: min_percentile, max: max_percentile };
    return grouped(this, t, opts, this.window_safe, this.missing_value);
  }

  /** Per day, labels 0…bins−1 of each value's quantile (NaN or masked-out → −1). */
  quantiles(bins: number, opts: { mask?: Filter } = {}): Classifier {
    return new Quantiles({ inputs: [this], bins, mask: opts.mask ?? (this.mask as Filter | null) });
  }
  /** `quantiles(4)`. */
  quartiles(opts: { mask?: Filter } = {}): Classifier {
    return this.quantiles(4, opts);
  }
  /** `quantiles(5)`. */
  quintiles(opts: { mask?: Filter } = {}): Classifier {
    return this.quantiles(5, opts);
  }
  /** `quantiles(10)`. */
  deciles(opts: { mask?: Filter } = {}): Classifier {
    return this.quantiles(10, opts);
  }

  /** True for values between two percentiles (0…100) of the day's masked-in values. */
  percentile_between(
    min_percentile: number,
    max_percentile: number,
    opts: { mask?: Filter } = {},
  ): Filter {
    if (!(0 <= min_percentile && min_percentile < max_percentile && max_percentile <= 100)) {
      throw new BadPercentileBounds(min_percentile, max_percentile, 100);
    }
    return new Filter({
      inputs: [this],
      mask: opts.mask,
      op: percentileOp(min_percentile, max_percentile),
    });
  }

  // --- rolling statistics against a target ---

  /** Rolling Pearson correlation of each asset's values with `target`'s. */
  pearsonr(target: Term, correlation_length: number, opts: { mask?: Filter } = {}): Factor {
    return rolling(this, target, correlation_length, opts.mask, pearsonOp(), "RollingPearson");
  }

  /** Rolling Spearman rank correlation of each asset's values with `target`'s. */
  spearmanr(target: Term, correlation_length: number, opts: { mask?: Filter } = {}): Factor {
    return rolling(this, target, correlation_length, opts.mask, spearmanOp(), "RollingSpearman");
  }

  /**
   * Rolling OLS of each asset's values on `target`'s; outputs `alpha`, `beta`, `r_value`,
   * `p_value`, `stderr` (select with `.output("beta")`).
   */
  linear_regression(target: Term, regression_length: number, opts: { mask?: Filter } = {}): Factor {
    return rolling(
      this,
      target,
      regression_length,
      opts.mask,
      regressionOp(),
      "RollingLinearRegression",
      [
        ...REGRESSION_OUTPUTS,
      ],
    );
  }

  // --- structure ---

  /** One output of a multi-output factor (BollingerBands, linear_regression, …). */
  output(name: string): Factor {
    if (!this.outputs?.includes(name)) {
      throw new PipelineError(
        `${this} has no output "${name}"; outputs: ${this.outputs?.join(", ") ?? "none"}`,
      );
    }
    return new Factor({
      inputs: [this],
      mask: this.mask,
      op: fieldOp(name),
      window_safe: this.window_safe,
    });
  }

  /** The same factor under a name. */
  alias(name: string): Factor {
    return new Factor({
      inputs: [this],
      op: aliasOp(name),
      window_safe: this.window_safe,
      ndim: this.ndim,
    });
  }

  /** Computed on the first session of each period only, carried forward in between. */
  downsample(frequency: DownsampleFrequency): Factor {
    return new Factor({
      inputs: this.inputs,
      window_length: this.window_length,
      mask: this.mask,
      op: downsampleOp(this, frequency),
      outputs: this.outputs,
    });
  }

  /** This factor's column for one asset (a one-column term, e.g. a rolling target). */
  slice(asset: Asset): Factor {
    return new Factor({
      inputs: [this],
      op: sliceOp(asset),
      ndim: 1,
      mask: this.mask,
      window_safe: this.window_safe,
    });
  }
}

registerPrincipal("factor", (spec) => new Factor(spec));
