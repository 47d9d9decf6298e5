/**
 * zipline's statistical factors: rolling Pearson/Spearman correlation and linear regression of
 * each asset against a target (a factor, or one asset's slice of it), their `…OfReturns`
 * shortcuts against one asset's returns, and `SimpleBeta`.
 */
import type { Asset } from "../../assets/asset.ts";
import { PipelineError } from "../errors.ts";
import { Factor } from "../factor.ts";
import { rollingSpec } from "../factor_builders.ts";
import { AssetExists, type Filter } from "../filter.ts";
import { SingleAsset } from "../filters.ts";
import {
  betaOp,
  pearsonOp,
  REGRESSION_OUTPUTS,
  regressionOp,
  spearmanOp,
} from "../ops/statistical.ts";
import type { Term } from "../term.ts";
import { Returns } from "./basic.ts";

/** Options of the rolling correlations. */
export interface CorrelationOptions {
  base_factor: Factor;
  target: Term;
  correlation_length: number;
  mask?: Filter;
}

/** Rolling Pearson correlation of each asset's `base_factor` with `target` (window ≥ 2). */
export class RollingPearson extends Factor {
  constructor(o: CorrelationOptions) {
    super(
      rollingSpec(
        o.base_factor,
        o.target,
        o.correlation_length,
        o.mask,
        pearsonOp(),
        "RollingPearson",
      ),
    );
  }
}

/** Rolling Spearman rank correlation of each asset's `base_factor` with `target`. */
export class RollingSpearman extends Factor {
  constructor(o: CorrelationOptions) {
    super(
      rollingSpec(
        o.base_factor,
        o.target,
        o.correlation_length,
        o.mask,
        spearmanOp(),
        "RollingSpearman",
      ),
    );
  }
}

/** Outputs of a rolling regression as properties. */
abstract class RegressionOutputs extends Factor {
  /** Intercepts. */
  get alpha(): Factor {
    return this.output("alpha");
  }
  /** Slopes. */
  get beta(): Factor {
    return this.output("beta");
  }
  /** Correlation coefficients. */
  get r_value(): Factor {
    return this.output("r_value");
  }
  /** Two-sided p-values of slope = 0. */
  get p_value(): Factor {
    return this.output("p_value");
  }
  /** Standard errors of the slopes. */
  get stderr(): Factor {
    return this.output("stderr");
  }
}

/** Rolling OLS of each asset's `dependent` on `independent`: alpha, beta, r_value, p_value, stderr. */
export class RollingLinearRegression extends RegressionOutputs {
  constructor(
    o: { dependent: Factor; independent: Term; regression_length: number; mask?: Filter },
  ) {
    super(
      rollingSpec(
        o.dependent,
        o.independent,
        o.regression_length,
        o.mask,
        regressionOp(),
        "RollingLinearRegression",
        [
          ...REGRESSION_OUTPUTS,
        ],
      ),
    );
  }
}

/** Options of the `…OfReturns` factors. */
export interface OfReturnsOptions {
  /** The asset every other asset is compared with. */
  target: Asset;
  /** Days of the returns (2 = daily returns). */
  returns_length: number;
  mask?: Filter;
}

function targetReturns(target: Asset, length: number): Factor {
  return new Returns({ window_length: length, mask: AssetExists.or(new SingleAsset(target)) });
}

/** The options of a rolling correlation between each asset's returns and the target's. */
function correlationOfReturns(o: OfReturnsOptions & { correlation_length: number }) {
  const returns = targetReturns(o.target, o.returns_length);
  return {
    base_factor: returns,
    target: returns.slice(o.target),
    correlation_length: o.correlation_length,
    mask: o.mask,
  };
}

/** Rolling Pearson correlation of each asset's returns with the target asset's. */
export class RollingPearsonOfReturns extends RollingPearson {
  constructor(o: OfReturnsOptions & { correlation_length: number }) {
    super(correlationOfReturns(o));
  }
}

/** Rolling Spearman correlation of each asset's returns with the target asset's. */
export class RollingSpearmanOfReturns extends RollingSpearman {
  constructor(o: OfReturnsOptions & { correlation_length: number }) {
    super(correlationOfReturns(o));
  }
}

/** Rolling regression of each asset's returns on the target asset's (alpha, beta, …). */
export class RollingLinearRegressionOfReturns extends RollingLinearRegression {
  constructor(o: OfReturnsOptions & { regression_length: number }) {
    const returns = targetReturns(o.target, o.returns_length);
    super({
      dependent: returns,
      independent: returns.slice(o.target),
      regression_length: o.regression_length,
      mask: o.mask,
    });
  }
}

/**
 * Slope of each asset's daily returns regressed on `target`'s over `regression_length` days;
 * NaN where more than `allowed_missing_percentage` (default 25 %) of the days are missing.
 */
export class SimpleBeta extends Factor {
  constructor(
    o: { target: Asset; regression_length: number; allowed_missing_percentage?: number },
  ) {
    const pct = o.allowed_missing_percentage ?? 0.25;
    if (!Number.isInteger(o.regression_length) || o.regression_length < 3) {
      throw new PipelineError(
        `SimpleBeta: regression_length must be an integer ≥ 3 (got ${o.regression_length})`,
      );
    }
    if (!(pct >= 0 && pct <= 1)) {
      throw new PipelineError(
        `SimpleBeta: allowed_missing_percentage must be in [0, 1] (got ${pct})`,
      );
    }
    const daily = targetReturns(o.target, 2);
    super({
      inputs: [daily, daily.slice(o.target)],
      window_length: o.regression_length,
      op: betaOp(Math.trunc(pct * o.regression_length)),
      window_safe: true,
    });
  }
}
