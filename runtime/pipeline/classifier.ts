/**
 * `Classifier`: a term producing an integer label per asset per day (−1 = no label), used to
 * group assets (`groupby` of rank, zscore, demean, winsorize, top, bottom) or to select them.
 *
 * @example
 * ```ts
 * const deciles = new Returns({ window_length: 20 }).deciles();
 * const topDecile = deciles.eq(9);
 * ```
 */
import type { Asset } from "../assets/asset.ts";
import { PipelineError } from "./errors.ts";
import { Factor } from "./factor.ts";
import { Filter } from "./filter.ts";
import { everythingOp, nullOp, quantilesOp } from "./ops/cross_section.ts";
import {
  aliasOp,
  constantOp,
  type DownsampleFrequency,
  downsampleOp,
  sliceOp,
} from "./ops/structural.ts";
import { registerPrincipal, Term, type TermOp, type TermSpec } from "./term.ts";

/** An integer-labelled pipeline term. */
export class Classifier extends Term {
  readonly kind = "classifier" as const;

  constructor(spec: TermSpec = {}) {
    super(spec, { window_safe: false, missing_value: -1 });
  }

  /** True where the label equals `value`. */
  eq(value: number): Filter {
    if (value === this.missing_value) {
      throw new PipelineError(
        `eq(${value}) compares with the missing value, which never matches; use isnull()`,
      );
    }
    return new Filter({ inputs: [this], op: labelOp("==", [value], this.missing_value) });
  }

  /** True where the label is present and differs from `value`. */
  ne(value: number): Filter {
    return new Filter({ inputs: [this], op: labelOp("!=", [value], this.missing_value) });
  }

  /** True where the label is one of `choices`. */
  element_of(choices: Iterable<number>): Filter {
    const list = [...new Set(choices)].sort((a, b) => a - b);
    if (list.includes(this.missing_value)) {
      throw new PipelineError(
        `element_of: choices include the missing value ${this.missing_value}; use isnull()`,
      );
    }
    return new Filter({ inputs: [this], op: labelOp("in", list, this.missing_value) });
  }

  /** True where there is no label. */
  isnull(): Filter {
    return new Filter({ inputs: [this], op: nullOp(this.missing_value, false) });
  }

  /** True where there is a label. */
  notnull(): Filter {
    return new Filter({ inputs: [this], op: nullOp(this.missing_value, true) });
  }

  /** Per asset, how many assets (passing `mask`) share its label that day. */
  peer_count(opts: { mask?: Filter } = {}): Factor {
    return new Factor({ inputs: [this], mask: opts.mask, op: peerCountOp(this.missing_value) });
  }

  /** Missing labels replaced by `value` (or by another classifier's labels). */
  fillna(value: number | Classifier): Classifier {
    const other = typeof value === "number"
      ? new Classifier({ op: constantOp(value), missing_value: this.missing_value })
      : value;
    return this.notnull().if_else<Classifier>(this, other);
  }

  /** The same classifier under a name. */
  alias(name: string): Classifier {
    return new Classifier({ inputs: [this], op: aliasOp(name), missing_value: this.missing_value });
  }

  /** Computed on the first session of each period only, carried forward in between. */
  downsample(frequency: DownsampleFrequency): Classifier {
    return new Classifier({
      inputs: this.inputs,
      window_length: this.window_length,
      mask: this.mask,
      op: downsampleOp(this, frequency),
      missing_value: this.missing_value,
    });
  }

  /** This classifier's column for one asset (a one-column term). */
  slice(asset: Asset): Classifier {
    return new Classifier({
      inputs: [this],
      op: sliceOp(asset),
      ndim: 1,
      mask: this.mask,
      missing_value: this.missing_value,
    });
  }
}

registerPrincipal("classifier", (spec) => new Classifier(spec));

function labelOp(how: "==" | "!=" | "in", values: number[], missing: number): TermOp {
  const set = new Set(values);
  return {
    name: "LabelFilter",
    params: `${how}${values.join(",")}`,
    compute(inputs, ctx) {
      const d = inputs[0] as Int32Array, mask = ctx.mask, out = new Uint8Array(d.length);
      for (let k = 0; k < d.length; k++) {
        const v = d[k];
        const hit = how === "=="
          ? v === values[0]
          : how === "!="
          ? v !== values[0] && v !== missing
          : set.has(v);
        out[k] = hit && mask[k] ? 1 : 0;
      }
      return out;
    },
  };
}

function peerCountOp(missing: number): TermOp {
  return {
    name: "PeerCount",
    params: "",
    compute(inputs, ctx) {
      const d = inputs[0] as Int32Array, { rows, cols, mask } = ctx;
      const out = new Float64Array(rows * cols).fill(NaN), counts = new Map<number, number>();
      for (let t = 0; t < rows; t++) {
        const b = t * cols;
        counts.clear();
        for (let j = 0; j < cols; j++) {
          if (mask[b + j] && d[b + j] !== missing) {
            counts.set(d[b + j], (counts.get(d[b + j]) ?? 0) + 1);
          }
        }
        for (let j = 0; j < cols; j++) {
          if (mask[b + j] && d[b + j] !== missing) out[b + j] = counts.get(d[b + j])!;
        }
      }
      return out;
    },
  };
}

/** zipline's `Everything()`: one label (0) for every asset the mask passes. */
export class Everything extends Classifier {
  constructor(opts: { mask?: Filter | null } = {}) {
    super({ op: everythingOp(), mask: opts.mask });
  }
}

/** zipline's `Quantiles`: per day, labels 0…bins−1 of a factor's quantile (NaN → −1). */
export class Quantiles extends Classifier {
  constructor(opts: { inputs: [Factor]; bins: number; mask?: Filter | null }) {
    super({ inputs: opts.inputs, op: quantilesOp(opts.bins), mask: opts.mask });
  }
}
