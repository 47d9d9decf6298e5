/**
 * The arguments of `set_slippage` and `set_commission` in zipline's three forms — one model
 * (`set_slippage(model)`), zipline's keyword arguments as an options object
 * (`set_slippage({ us_equities, us_futures })`) and zipline's positional pair
 * (`set_slippage(equities, futures)`) — checked at the call, so a wrong object fails there with
 * a message saying what to pass, never later at the first fill.
 */
import {
  type AssetType as CommissionAssetType,
  type CommissionModel,
  NoCommission,
  PerDollar,
  PerShare,
  PerTrade,
} from "../finance/commission.ts";
import type { MarketView } from "../finance/market_view.ts";
import type { Order, Transaction } from "../finance/order.ts";
import {
  type AssetType as SlippageAssetType,
  type Fill,
  type FillSimulator,
  SlippageModel,
} from "../finance/slippage.ts";
import { HarvesterError } from "../errors.ts";

/** zipline's `UnsupportedSlippageModel` / `UnsupportedCommissionModel`, with what to pass. */
export class UnsupportedModel extends HarvesterError {
  override name = "UnsupportedModel";
}

/** zipline's `IncompatibleSlippageModel` / `IncompatibleCommissionModel`. */
export class IncompatibleModel extends HarvesterError {
  override name = "IncompatibleModel";
}

/** What each setter takes: the method a model must have and the built-in models to name. */
export interface ModelKind {
  fn: "set_slippage" | "set_commission";
  /** The method zipline's subclasses implement. */
  method: "process_order" | "calculate";
  /** The namespace and base class, e.g. `slippage.SlippageModel`. */
  base: string;
  builtins: string;
}

export const SLIPPAGE: ModelKind = {
  fn: "set_slippage",
  method: "process_order",
  base: "slippage.SlippageModel",
  builtins:
    "slippage.FixedBasisPointsSlippage, slippage.VolumeShareSlippage, slippage.FixedSlippage",
};

export const COMMISSION: ModelKind = {
  fn: "set_commission",
  method: "calculate",
  base: "commission.CommissionModel",
  builtins: "commission.PerShare, commission.PerTrade, commission.PerDollar",
};

/** The models a call sets, by asset class. */
export interface ModelChoice<M> {
  us_equities?: M;
  us_futures?: M;
}

const KEYS = ["us_equities", "us_futures"];

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "function") return `the function ${v.name || "(anonymous)"}`;
  if (typeof v !== "object") return JSON.stringify(v) ?? String(v);
  const ctor = (v as object).constructor;
  if (ctor && ctor !== Object) return `a ${ctor.name}`;
  const keys = Object.keys(v as object);
  return keys.length ? `an object with ${keys.join(", ")}` : "an empty object";
}

function hasMethod(v: unknown, name: string): boolean {
  return typeof v === "object" && v !== null &&
    typeof (v as Record<string, unknown>)[name] === "function";
}

/**
 * A model object: has the method (a subclass of zipline's base class, or duck-typed).
 *
 * @example
 * ```ts
 * isModel(SLIPPAGE, new slippage.FixedSlippage()); // true
 * isModel(SLIPPAGE, { us_equities: m }); // false: options
 * ```
 */
export function isModel(kind: ModelKind, v: unknown): boolean {
  return hasMethod(v, kind.method) ||
    (kind.method === "process_order" && hasMethod(v, "simulate"));
}

function checkModel<M>(kind: ModelKind, key: string, v: unknown, asset: "Equity" | "Future"): M {
  if (typeof v === "function" && hasMethod(v.prototype, kind.method)) {
    throw new UnsupportedModel(
      `${kind.fn}: ${key} is the class ${v.name}, not a model; pass an instance: new ${v.name}(…)`,
    );
  }
  if (!isModel(kind, v)) {
    throw new UnsupportedModel(
      `${kind.fn}: ${key} must be a model — ${kind.builtins}, or a class extending ${kind.base} ` +
        `that implements ${kind.method}(…) — but got ${describe(v)}`,
    );
  }
  const allowed =
    (v as { allowed_asset_types?: readonly (SlippageAssetType | CommissionAssetType)[] })
      .allowed_asset_types;
  if (Array.isArray(allowed) && !allowed.includes(asset)) {
    const what = kind.fn === "set_slippage" ? "slippage" : "commission";
    throw new IncompatibleModel(
      `You attempted to set an incompatible ${what} model for ${
        asset === "Equity" ? "equities" : "futures"
      }. The ${what} model '${describe(v).replace(/^an? /, "")}' only supports ${
        allowed.join(", ")
      }.`,
    );
  }
  return v as M;
}

/**
 * The models of a `set_slippage` / `set_commission` call, checked.
 *
 * @example
 * ```ts
 * modelArgs(SLIPPAGE, [new slippage.FixedSlippage()]); // { us_equities: FixedSlippage }
 * modelArgs(SLIPPAGE, [{ us_equities: m, us_futures: f }]); // both
 * modelArgs(COMMISSION, [{ cost: 1 }]); // throws UnsupportedModel naming what to pass
 * ```
 */
export function modelArgs<M>(kind: ModelKind, args: readonly unknown[]): ModelChoice<M> {
  if (args.length > 2) {
    throw new UnsupportedModel(
      `${kind.fn} takes a model, or { us_equities, us_futures }; got ${args.length} arguments`,
    );
  }
  const [first, second] = args;
  if (args.length === 0 || (first == null && second == null)) {
    throw new UnsupportedModel(
      `${kind.fn} needs a model, e.g. ${kind.fn}(new ${kind.builtins.split(",")[0]}())`,
    );
  }
  const out: ModelChoice<M> = {};
  const options = typeof first === "object" && first !== null && !isModel(kind, first) &&
    (first.constructor === Object || first.constructor === undefined);
  if (options && second === undefined) {
    const unknown = Object.keys(first).filter((k) => !KEYS.includes(k));
    if (unknown.length) {
      throw new UnsupportedModel(
        `${kind.fn}: unknown option${unknown.length > 1 ? "s" : ""} ${
          unknown.map((k) => `"${k}"`).join(", ")
        }; pass a model, or { us_equities: model, us_futures: model }`,
      );
    }
    const o = first as Record<string, unknown>;
    if (o.us_equities == null && o.us_futures == null) {
      throw new UnsupportedModel(`${kind.fn}: { us_equities, us_futures } names no model`);
    }
    if (o.us_equities != null) {
      out.us_equities = checkModel(kind, "us_equities", o.us_equities, "Equity");
    }
    if (o.us_futures != null) {
      out.us_futures = checkModel(kind, "us_futures", o.us_futures, "Future");
    }
    return out;
  }
  if (first != null) out.us_equities = checkModel(kind, "us_equities", first, "Equity");
  if (second != null) out.us_futures = checkModel(kind, "us_futures", second, "Future");
  return out;
}

/**
 * A slippage model the venue can run: zipline subclasses as they are; a plain object with
 * `process_order` runs inside zipline's bar loop.
 *
 * @example
 * ```ts
 * runnableSlippage({ process_order: (data, order) => [data.current(order.asset, "close"), order.amount] });
 * ```
 */
export function runnableSlippage(model: object): FillSimulator {
  if (hasMethod(model, "simulate")) return model as FillSimulator;
  const m = model as Pick<SlippageModel, "process_order">;
  return new (class extends SlippageModel {
    process_order(data: MarketView, order: Order): Fill | null {
      return m.process_order(data, order);
    }
  })();
}

/** A commission model's result that cannot be charged. */
export class BadCommission extends HarvesterError {
  override name = "BadCommission";
}

const BUILTIN_COMMISSIONS: readonly unknown[] = [PerShare, PerTrade, PerDollar, NoCommission];

/**
 * A commission model the venue can run: built-ins as they are; any other model's result is
 * checked at each fill (a finite number), so a bad return fails there naming the model instead of
 * turning cash into NaN.
 *
 * @example
 * ```ts
 * checkedCommission(new MyCommission()).calculate(order, txn);
 * ```
 */
export function checkedCommission(model: object): Pick<CommissionModel, "calculate"> {
  const m = model as Pick<CommissionModel, "calculate">;
  if (BUILTIN_COMMISSIONS.includes(model.constructor)) return m;
  const name = model.constructor?.name && model.constructor !== Object
    ? model.constructor.name
    : "the commission model";
  return {
    calculate(order: Order, txn: Transaction): number {
      const c = m.calculate(order, txn);
      if (typeof c !== "number" || !Number.isFinite(c)) {
        throw new BadCommission(
          `${name}.calculate returned ${
            String(c)
          } for a fill of ${txn.amount} ${txn.asset.symbol}; ` +
            "return the commission in dollars, a finite number",
        );
      }
      return c;
    },
  };
}
