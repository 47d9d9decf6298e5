/**
 * `Term`: a node of the pipeline graph — a DataSet column to load, or a computation over other
 * terms (its `inputs`) over a trailing window of `window_length` days, restricted to the assets
 * its `mask` filter passes. Terms are immutable descriptions; the engine computes each distinct
 * term once per chunk of days over the whole universe.
 *
 * Two terms built the same way (same kind, computation, parameters, inputs, window and mask) are
 * the same term: they share one `uid`, so a pipeline that asks for `RSI()` twice computes it once.
 *
 * Results are columnar: a term's output over `R` days and `N` assets is one typed array, date-major
 * (`t * N + j`) — Float64Array for factors, Uint8Array (0/1) for filters, Int32Array for
 * classifiers. A window is a contiguous view of `window_length` rows of such an array.
 */
import type { Asset } from "../assets/asset.ts";
import { NonWindowSafeInput } from "./errors.ts";
import type { WindowCursor } from "./window.ts";

/** What a term produces: numbers, booleans or integer labels. */
export type TermKind = "factor" | "filter" | "classifier";

/** One term's output over a chunk: `rows × cols`, date-major. */
export type TermData = Float64Array | Uint8Array | Int32Array;

/** A multi-output term's output: one array per output name. */
export type MultiOutput = Record<string, Float64Array>;

/** What a term's `_compute` receives per input: a window cursor (windowed terms) or an array. */
export type ComputeInput = WindowCursor | TermData | MultiOutput;

/** The chunk a term is computed over. */
export interface ComputeContext {
  /** The term's output dates (UTC-midnight ms), one per row. */
  readonly dates: Float64Array;
  /** Asset columns (sids ascending) and the assets themselves. */
  readonly sids: Int32Array;
  readonly assets: readonly Asset[];
  /** The term's mask over its rows, date-major, 1 = computed. */
  readonly mask: Uint8Array;
  readonly rows: number;
  readonly cols: number;
}

/** A non-windowed computation shared by many terms (rank, arithmetic, zscore, …). */
export interface TermOp {
  /** Name shown in `toString()` and part of the term's identity. */
  readonly name: string;
  /** Canonical text of the operation's parameters (part of the identity). */
  readonly params: string;
  compute(inputs: ComputeInput[], ctx: ComputeContext, term: Term): TermData | MultiOutput;
  /** Extra rows to compute before the start (downsampling aligns to a sampling date). */
  extraRows?(all: Float64Array, startIdx: number, minExtra: number): number;
}

/** How a term is built. */
export interface TermSpec {
  inputs?: readonly Term[];
  /** Trailing days per window; 0 = computed from its inputs' same-day values. */
  window_length?: number;
  /** Filter restricting the assets computed; null/undefined = every asset alive that day. */
  mask?: Term | null;
  /** 2 = one value per asset per day; 1 = one value per day (a slice). */
  ndim?: 1 | 2;
  window_safe?: boolean;
  missing_value?: number;
  outputs?: readonly string[] | null;
  op?: TermOp | null;
}

const interned = new Map<string, number>();
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

/** A small number naming an object (a class, a function) for the life of the process. */
export function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, id = nextObjectId++);
  return id;
}

/** Canonical text of a parameter value, for term identity. */
export function paramKey(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (typeof v === "function") return `fn#${objectId(v)}`;
  if (v instanceof Term) return `term#${v.uid}`;
  if (Array.isArray(v)) return `[${v.map(paramKey).join(",")}]`;
  if (v instanceof Set) return `{${[...v].map(paramKey).sort().join(",")}}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}#${objectId(v)}`;
  const sid = (v as { sid?: unknown }).sid;
  if (typeof sid === "number") return `asset#${sid}`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, x]) => `${k}:${paramKey(x)}`).join(",")}}`;
}

/** A pipeline term. Build factors, filters and classifiers, not this base. */
export abstract class Term {
  abstract readonly kind: TermKind;
  readonly inputs: readonly Term[];
  readonly window_length: number;
  /** The mask filter; null means the root mask (assets alive that day). */
  readonly mask: Term | null;
  readonly ndim: 1 | 2;
  readonly window_safe: boolean;
  readonly missing_value: number;
  readonly outputs: readonly string[] | null;
  readonly op: TermOp | null;
  #uid = -1;

  constructor(spec: TermSpec, defaults: { window_safe: boolean; missing_value: number }) {
    this.inputs = spec.inputs ?? [];
    this.window_length = spec.window_length ?? 0;
    this.mask = spec.mask && !isRootMask(spec.mask) ? spec.mask : null;
    this.ndim = spec.ndim ?? 2;
    this.window_safe = spec.window_safe ?? defaults.window_safe;
    this.missing_value = spec.missing_value ?? defaults.missing_value;
    this.outputs = spec.outputs && spec.outputs.length ? spec.outputs : null;
    this.op = spec.op ?? null;
    if (this.window_length > 1) {
      for (const child of this.inputs) {
        if (!child.window_safe) throw new NonWindowSafeInput(this.toString(), child.toString());
      }
    }
  }

  /** The term's identity: equal for terms that compute the same thing. */
  get uid(): number {
    if (this.#uid < 0) {
      const text = this.identity();
      let id = interned.get(text);
      if (id === undefined) interned.set(text, id = interned.size + 1);
      this.#uid = id;
    }
    return this.#uid;
  }

  /** Whether the term computes over trailing windows of its inputs. */
  get windowed(): boolean {
    return this.window_length > 0;
  }

  /** Whether the term is loaded from data rather than computed. */
  get loadable(): boolean {
    return false;
  }

  /** Text naming what this term computes (the class and its parameters, or its operation). */
  protected describe(): string {
    return this.op ? `${this.op.name}(${this.op.params})` : this.constructor.name;
  }

  /** The identity text that `uid` interns. */
  protected identity(): string {
    const what = this.op
      ? `${this.op.name}(${this.op.params})`
      : `${this.constructor.name}#${objectId(this.constructor)}(${this.identityParams()})`;
    return [
      this.kind,
      what,
      this.inputs.map((t) => t.uid).join(","),
      this.window_length,
      this.mask ? this.mask.uid : 0,
      this.ndim,
      paramKey(this.missing_value),
      this.outputs ? this.outputs.join(",") : "",
    ].join("|");
  }

  /** Canonical text of a class-based term's parameters (part of its identity). */
  protected identityParams(): string {
    return "";
  }

  /** Inputs with the extra rows each needs (window_length − 1), then the mask (0 extra rows). */
  dependencies(): [Term | null, number][] {
    const extra = Math.max(0, this.window_length - 1);
    const out: [Term | null, number][] = this.inputs.map((t) => [t, extra]);
    out.push([this.mask, 0]);
    return out;
  }

  /** Extra rows to compute before the requested start, given what dependents need. */
  computeExtraRows(all: Float64Array, startIdx: number, minExtra: number): number {
    return this.op?.extraRows ? this.op.extraRows(all, startIdx, minExtra) : minExtra;
  }

  /** Computes the term over a chunk (engine internal). */
  _compute(inputs: ComputeInput[], ctx: ComputeContext): TermData | MultiOutput {
    if (!this.op) throw new Error(`${this} has no computation`);
    return this.op.compute(inputs, ctx, this);
  }

  toString(): string {
    const inner = this.inputs.map((t) => t.shortName()).join(", ");
    const w = this.window_length ? `, window_length=${this.window_length}` : "";
    return `${this.describe()}([${inner}]${w})`;
  }

  /** A short name for nested display. */
  shortName(): string {
    return `${this.describe()}(...)`;
  }
}

let rootMask: Term | null = null;

/** Registers the root mask term (`AssetExists`), which terms store as `mask: null`. */
export function setRootMask(term: Term): void {
  rootMask = term;
}

function isRootMask(t: Term): boolean {
  return t === rootMask;
}

/** A new array of `n` missing values for a kind. */
export function allocate(kind: TermKind, n: number, missing: number): TermData {
  if (kind === "factor") return new Float64Array(n).fill(missing);
  if (kind === "filter") return new Uint8Array(n).fill(missing ? 1 : 0);
  return new Int32Array(n).fill(missing);
}

const principals: Partial<Record<TermKind, (spec: TermSpec) => Term>> = {};

/** Registers how to build a plain term of a kind (each of factor/filter/classifier does). */
export function registerPrincipal(kind: TermKind, make: (spec: TermSpec) => Term): void {
  principals[kind] = make;
}

/** A plain factor, filter or classifier built from a spec. */
export function makeTerm(kind: TermKind, spec: TermSpec): Term {
  const make = principals[kind];
  if (!make) throw new Error(`pipeline: no ${kind} class loaded (import runtime/pipeline/mod.ts)`);
  return make(spec);
}

/** The root mask term, as registered. */
export function rootMaskTerm(): Term {
  if (!rootMask) {
    throw new Error("pipeline: AssetExists not loaded (import runtime/pipeline/mod.ts)");
  }
  return rootMask;
}
