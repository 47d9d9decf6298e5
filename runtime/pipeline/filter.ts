/**
 * `Filter`: a term producing true/false per asset per day — a screen, a mask, or a column of
 * booleans. Combine with `and`, `or`, `not` (zipline's `&`, `|`, `~`).
 *
 * @example
 * ```ts
 * const liquid = new AverageDollarVolume({ window_length: 20 }).top(500);
 * const cheap = EquityPricing.close.latest.lt(10);
 * new Pipeline({ columns: { cheap }, screen: liquid.and(cheap.not()) });
 * ```
 */
import type { Asset } from "../assets/asset.ts";
import { PipelineError } from "./errors.ts";
import { logicOp, notOp } from "./ops/arith.ts";
import {
  aliasOp,
  type DownsampleFrequency,
  downsampleOp,
  ifElseOp,
  sliceOp,
} from "./ops/structural.ts";
import { makeTerm, registerPrincipal, setRootMask, Term, type TermSpec } from "./term.ts";

/** A boolean pipeline term. */
export class Filter extends Term {
  readonly kind = "filter" as const;

  constructor(spec: TermSpec = {}) {
    super(spec, { window_safe: true, missing_value: 0 });
  }

  /** True where both filters are (zipline's `a & b`). */
  and(other: Filter | boolean): Filter {
    return logic(this, "&", other);
  }

  /** True where either filter is (zipline's `a | b`). */
  or(other: Filter | boolean): Filter {
    return logic(this, "|", other);
  }

  /** True where this filter is false (zipline's `~a`). */
  not(): Filter {
    return new Filter({ inputs: [this], op: notOp() });
  }

  /**
   * Values of `if_true` where this filter is true, of `if_false` elsewhere (same kind of term).
   * @example high.if_else(momentum, momentum.neg())
   */
  if_else<T extends Term>(if_true: T, if_false: T): T {
    if (if_true.kind !== if_false.kind) {
      throw new PipelineError(
        `if_else: mismatched kinds (${if_true.kind} and ${if_false.kind}); both must be the same`,
      );
    }
    if (!Object.is(if_true.missing_value, if_false.missing_value)) {
      throw new PipelineError("if_else: if_true and if_false have different missing values");
    }
    return makeTerm(if_true.kind, {
      inputs: [this, if_true, if_false],
      op: ifElseOp(),
      ndim: if_true.ndim,
      missing_value: if_true.missing_value,
      window_safe: this.window_safe && if_true.window_safe && if_false.window_safe,
    }) as T;
  }

  /** The same filter under a name (shown in the graph). */
  alias(name: string): Filter {
    return new Filter({
      inputs: [this],
      op: aliasOp(name),
      window_safe: this.window_safe,
      ndim: this.ndim,
    });
  }

  /** Computed on the first session of each period only, carried forward in between. */
  downsample(frequency: DownsampleFrequency): Filter {
    return new Filter({
      inputs: this.inputs,
      window_length: this.window_length,
      mask: this.mask,
      op: downsampleOp(this, frequency),
      window_safe: false,
    });
  }

  /** This filter's column for one asset (a one-column term, for windowed inputs). */
  slice(asset: Asset): Filter {
    return new Filter({ inputs: [this], op: sliceOp(asset), ndim: 1, mask: this.mask });
  }
}

function logic(self: Filter, op: "&" | "|", other: Filter | boolean): Filter {
  if (typeof other === "boolean") return new Filter({ inputs: [self], op: logicOp(op, other) });
  if (other.uid === self.uid) return new Filter({ inputs: [self], op: logicOp(op) });
  return new Filter({ inputs: [self, other], op: logicOp(op) });
}

registerPrincipal("filter", (spec) => new Filter(spec));

/** The root mask: true for assets alive on a day (start_date < day ≤ end_date). */
class AssetExistsFilter extends Filter {
  override dependencies(): [Term | null, number][] {
    return [];
  }
  override _compute(): never {
    throw new Error("AssetExists is computed by the engine");
  }
  override toString(): string {
    return "AssetExists()";
  }
}

/**
 * zipline's `AssetExists()`: the default mask of every term — assets with data known that
 * morning (alive after their first session, through their end date).
 */
export const AssetExists: Filter = new AssetExistsFilter();
setRootMask(AssetExists);
