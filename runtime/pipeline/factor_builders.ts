/**
 * How Factor's methods build their terms: arithmetic and comparison nodes, grouped row
 * transforms with zipline's mask and groupby defaults, and rolling statistics against a target.
 * Terms are made through the kind registry, so this module needs no class from factor.ts.
 */
import type { Classifier } from "./classifier.ts";
import { IncompatibleTerms, PipelineError } from "./errors.ts";
import type { Factor, GroupOptions } from "./factor.ts";
import type { Filter } from "./filter.ts";
import { type CompareOp, compareOp, type MathOp, mathOp } from "./ops/arith.ts";
import { everythingOp, groupedOp, type RowTransform } from "./ops/cross_section.ts";
import { makeTerm, type Term, type TermOp, type TermSpec } from "./term.ts";

const factor = (spec: TermSpec) => makeTerm("factor", spec) as Factor;
const filter = (spec: TermSpec) => makeTerm("filter", spec) as Filter;

/** `self op other` (one input when both sides are the same term). */
export function math(self: Factor, op: MathOp, other: Factor | number): Factor {
  if (typeof other === "number") return factor({ inputs: [self], op: mathOp(op, other) });
  const inputs = other.uid === self.uid ? [self] : [self, other];
  return factor({ inputs, op: mathOp(op) });
}

/** `self op other` as a filter. */
export function compare(self: Factor, op: CompareOp, other: Factor | number): Filter {
  if (typeof other === "number") return filter({ inputs: [self], op: compareOp(op, other) });
  const inputs = other.uid === self.uid ? [self] : [self, other];
  return filter({ inputs, op: compareOp(op) });
}

/** zipline: a given mask is and-ed with the factor's own. */
function combinedMask(self: Factor, mask: Filter | undefined): Filter | null {
  const own = self.mask as Filter | null;
  if (!mask) return own;
  return own ? mask.and(own) : mask;
}

/** A GroupedRowTransform: `groupby` defaults to Everything over the combined mask. */
export function grouped(
  self: Factor,
  transform: RowTransform,
  opts: GroupOptions,
  window_safe: boolean,
  missing: number,
): Factor {
  const mask = combinedMask(self, opts.mask);
  const groupby: Classifier = opts.groupby ??
    makeTerm("classifier", { op: everythingOp(), mask }) as Classifier;
  return factor({
    inputs: [self, groupby],
    mask,
    op: groupedOp(transform, missing, groupby.missing_value),
    window_safe,
    missing_value: missing,
  });
}

/** The spec of a rolling statistic of `self` against `target` (shared with the named classes). */
export function rollingSpec(
  self: Factor,
  target: Term,
  length: number,
  mask: Filter | null | undefined,
  op: TermOp,
  what: string,
  outputs?: string[],
): TermSpec {
  if (!Number.isInteger(length) || length < 2) {
    throw new PipelineError(`${what}: window length must be an integer ≥ 2 (got ${length})`);
  }
  if (target.ndim === 2 && (self.mask?.uid ?? 0) !== (target.mask?.uid ?? 0)) {
    throw new IncompatibleTerms(`${what}: ${self} and ${target} have different masks`);
  }
  return { inputs: [self, target], window_length: length, mask, op, window_safe: true, outputs };
}

/** A rolling statistic of `self` against `target` as a factor. */
export function rolling(
  self: Factor,
  target: Term,
  length: number,
  mask: Filter | undefined,
  op: TermOp,
  what: string,
  outputs?: string[],
): Factor {
  return factor(rollingSpec(self, target, length, mask, op, what, outputs));
}
