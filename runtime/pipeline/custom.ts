/**
 * User-defined terms: `CustomFactor`, `CustomFilter` and `CustomClassifier`. Declare `inputs`,
 * `window_length` (and optionally `params`, `outputs`, `mask`) as static fields or constructor
 * options, and a `compute(today, assets, out, ...inputs)` that fills `out` for one day from
 * `window_length`-day windows of each input. zipline's contract, over typed arrays:
 *
 * - `today`: the day (UTC-midnight ms); `assets`: the sids computed today (those the mask passes);
 * - `out`: a typed array with one slot per asset in `assets` (an object of them for `outputs`);
 * - each input: a `Window` — `values` is `window_length × assets.length`, date-major (row `t`,
 *   asset `j` at `t * cols + j`), oldest row first, adjusted for splits and dividends as of today.
 *
 * Parameters declared in `static params` are passed as constructor options and read in compute
 * as `this.params.name`. Window objects are reused from day to day: read them, do not keep them.
 *
 * @example
 * ```ts
 * class TenDayRange extends CustomFactor {
 *   static override inputs = [EquityPricing.high, EquityPricing.low];
 *   static override window_length = 10;
 *   override compute(_today: number, assets: Int32Array, out: Float64Array, highs: Window, lows: Window) {
 *     for (let j = 0; j < assets.length; j++) {
 *       let hi = -Infinity, lo = Infinity;
 *       for (let t = 0; t < highs.rows; t++) {
 *         hi = Math.max(hi, highs.get(t, j));
 *         lo = Math.min(lo, lows.get(t, j));
 *       }
 *       out[j] = hi - lo;
 *     }
 *   }
 * }
 * ```
 */
import { UnexpectedTermArgument, WindowLengthNotPositive } from "./errors.ts";
import { Classifier } from "./classifier.ts";
import { Factor } from "./factor.ts";
import { Filter } from "./filter.ts";
import { Scratch } from "./kernels/columns.ts";
import {
  allocate,
  type ComputeContext,
  type ComputeInput,
  type MultiOutput,
  objectId,
  paramKey,
  type Term,
  type TermData,
  type TermKind,
  type TermSpec,
} from "./term.ts";
import type { WindowCursor } from "./window.ts";

/** A `window_length × cols` window of one input, date-major. */
export class Window {
  values: TermData = new Float64Array(0);
  rows = 0;
  cols = 0;

  /** The value of row `t` (0 = oldest), column `j`. */
  get(t: number, j: number): number {
    return this.values[t * this.cols + j];
  }
  /** Row `t` (all assets) as a view. */
  row(t: number): TermData {
    return this.values.subarray(t * this.cols, (t + 1) * this.cols);
  }
  /** The most recent row as a view. */
  last(): TermData {
    return this.row(this.rows - 1);
  }
  /** Column `j` (one asset's history) as a new array. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let t = 0; t < this.rows; t++) out[t] = this.values[t * this.cols + j];
    return out;
  }
}

/**
 * The user's compute function; `out` is a Float64Array (factors), Uint8Array (filters),
 * Int32Array (classifiers), or an object of Float64Arrays for several outputs.
 */
export type ComputeFunction = (
  today: number,
  assets: Int32Array,
  out: never,
  ...inputs: Window[]
) => void;

/** Options of the custom term constructors; any other key is a declared parameter. */
export interface CustomTermOptions {
  inputs?: readonly Term[];
  window_length?: number;
  mask?: Filter | null;
  outputs?: readonly string[];
  missing_value?: number;
  window_safe?: boolean;
  /** The compute function, instead of overriding `compute` in a subclass. */
  compute?: ComputeFunction;
  [param: string]: unknown;
}

/** Class-level defaults a custom term class may declare. */
interface CustomStatics {
  name: string;
  inputs?: readonly Term[];
  window_length?: number;
  params?: Record<string, unknown> | readonly string[];
  outputs?: readonly string[];
  mask?: Filter | null;
  window_safe?: boolean;
  missing_value?: number;
}

const KNOWN = new Set([
  "inputs",
  "window_length",
  "mask",
  "outputs",
  "missing_value",
  "window_safe",
  "compute",
]);

/** A built-in's columnwise kernel: fills one day's outputs for every column at once. */
export type Kernel = (outs: TermData[], wins: TermData[], W: number, N: number) => void;

interface Resolved {
  spec: TermSpec;
  params: Record<string, unknown>;
  compute?: ComputeFunction;
}

function resolve(cls: CustomStatics, opts: CustomTermOptions): Resolved {
  const declared = cls.params ?? {};
  const names = Array.isArray(declared) ? declared : Object.keys(declared);
  const params: Record<string, unknown> = Array.isArray(declared) ? {} : { ...declared };
  for (const [k, v] of Object.entries(opts)) {
    if (KNOWN.has(k)) continue;
    if (!names.includes(k)) {
      throw new UnexpectedTermArgument(
        `${cls.name} received an unexpected option "${k}"; its parameters: ${
          names.join(", ") || "none"
        }`,
      );
    }
    params[k] = v;
  }
  for (const n of names) {
    if (!(n in params)) throw new UnexpectedTermArgument(`${cls.name} needs the parameter "${n}"`);
  }
  const window_length = opts.window_length ?? cls.window_length;
  if (typeof window_length !== "number" || !Number.isInteger(window_length) || window_length < 1) {
    throw new WindowLengthNotPositive(cls.name, window_length);
  }
  const inputs = opts.inputs ?? cls.inputs;
  if (!inputs) {
    throw new UnexpectedTermArgument(`${cls.name} needs inputs (a static field or option)`);
  }
  return {
    spec: {
      inputs,
      window_length,
      mask: opts.mask !== undefined ? opts.mask : cls.mask,
      outputs: opts.outputs ?? cls.outputs,
      missing_value: opts.missing_value ?? cls.missing_value,
      window_safe: opts.window_safe ?? cls.window_safe,
    },
    params,
    compute: opts.compute,
  };
}

/** What the three custom classes share. */
interface CustomTerm extends Term {
  readonly params: Record<string, unknown>;
  kernel?: Kernel;
  compute(today: number, assets: Int32Array, out: unknown, ...inputs: Window[]): void;
}

/** Computes a custom term over a chunk: its kernel on every column, or compute per masked day. */
function runCustom(
  term: CustomTerm,
  fn: ComputeFunction | undefined,
  inputs: ComputeInput[],
  ctx: ComputeContext,
): TermData | MultiOutput {
  const { rows: R, cols: N, mask, sids, dates } = ctx, W = term.window_length;
  const kind: TermKind = term.kind, missing = term.missing_value;
  const names = term.outputs ?? ["_"];
  const outs = names.map(() => allocate(kind, R * N, missing));
  const cursors = inputs as WindowCursor[];
  const wins: TermData[] = new Array(cursors.length);
  const windows = cursors.map(() => new Window());
  const idx = new Int32Array(N);
  const compute = fn ?? term.compute.bind(term);
  const scratchIn = cursors.map(() => new Float64Array(0) as TermData);
  for (let r = 0; r < R; r++) {
    const b = r * N;
    let m = 0;
    for (let j = 0; j < N; j++) if (mask[b + j]) idx[m++] = j;
    for (let k = 0; k < cursors.length; k++) wins[k] = cursors[k].at(r);
    if (m === 0) continue;
    const rowOuts = outs.map((o) => o.subarray(b, b + N));
    if (term.kernel) {
      term.kernel(rowOuts, wins, W, N);
      if (m < N) {
        for (let j = 0; j < N; j++) if (!mask[b + j]) { for (const o of rowOuts) o[j] = missing; }
      }
      continue;
    }
    const full = m === N;
    for (let k = 0; k < cursors.length; k++) {
      const c = cursors[k].cols, w = windows[k];
      w.rows = W;
      w.cols = full || c === 1 ? c : m;
      if (full || c === 1) {
        w.values = wins[k];
        continue;
      }
      // Only the masked-in assets' columns, as zipline passes them.
      if (scratchIn[k].length !== W * m || scratchIn[k].constructor !== wins[k].constructor) {
        scratchIn[k] = new (wins[k].constructor as { new (n: number): TermData })(W * m);
      }
      const dst = scratchIn[k], src = wins[k];
      for (let t = 0; t < W; t++) {
        for (let q = 0; q < m; q++) dst[t * m + q] = src[t * c + idx[q]];
      }
      w.values = dst;
    }
    const outRows = full ? rowOuts : rowOuts.map(() => allocate(kind, m, missing));
    const assets = full ? sids : Int32Array.from(idx.subarray(0, m), (j) => sids[j]);
    const out = term.outputs
      ? Object.fromEntries(names.map((n, i) => [n, outRows[i]]))
      : outRows[0];
    compute.call(term, dates[r], assets, out as never, ...windows);
    if (!full) {
      for (let i = 0; i < names.length; i++) {
        for (let q = 0; q < m; q++) rowOuts[i][idx[q]] = outRows[i][q];
      }
    }
  }
  return term.outputs
    ? Object.fromEntries(names.map((n, i) => [n, outs[i] as Float64Array]))
    : outs[0];
}

function notDefined(name: string): never {
  throw new Error(`${name} must define compute(today, assets, out, ...inputs)`);
}

/** A user-defined factor (see the module documentation). */
export class CustomFactor extends Factor implements CustomTerm {
  /** Default inputs, window length, parameters and outputs; subclasses override. */
  static inputs?: readonly Term[];
  static window_length?: number;
  static params?: Record<string, unknown> | readonly string[];
  static outputs?: readonly string[];
  static mask?: Filter | null;
  static window_safe?: boolean;
  static missing_value?: number;
  readonly params: Record<string, unknown>;
  /** Built-ins' columnwise kernel (internal). */
  kernel?: Kernel;
  /** Scratch arrays for built-in kernels (internal). */
  protected readonly scratch: Scratch = new Scratch();
  readonly #fn?: ComputeFunction;

  constructor(opts: CustomTermOptions = {}) {
    const r = resolve(new.target as unknown as CustomStatics, opts);
    super({ window_safe: false, ...r.spec });
    this.params = r.params;
    this.#fn = r.compute;
  }

  /** Fills `out` for one day; override in subclasses (or pass `compute` as an option). */
  compute(_today: number, _assets: Int32Array, _out: unknown, ..._inputs: Window[]): void {
    notDefined(this.constructor.name);
  }

  protected override identityParams(): string {
    return paramKey(this.params) + (this.#fn ? `fn#${objectId(this.#fn)}` : "");
  }

  override _compute(inputs: ComputeInput[], ctx: ComputeContext): TermData | MultiOutput {
    return runCustom(this, this.#fn, inputs, ctx);
  }
}

/** A user-defined filter: `out` is a Uint8Array (1 = pass). */
export class CustomFilter extends Filter implements CustomTerm {
  static inputs?: readonly Term[];
  static window_length?: number;
  static params?: Record<string, unknown> | readonly string[];
  static mask?: Filter | null;
  static window_safe?: boolean;
  readonly params: Record<string, unknown>;
  kernel?: Kernel;
  readonly #fn?: ComputeFunction;

  constructor(opts: CustomTermOptions = {}) {
    const r = resolve(new.target as unknown as CustomStatics, opts);
    super(r.spec);
    this.params = r.params;
    this.#fn = r.compute;
  }

  /** Fills `out` (1/0) for one day; override in subclasses (or pass `compute`). */
  compute(_today: number, _assets: Int32Array, _out: unknown, ..._inputs: Window[]): void {
    notDefined(this.constructor.name);
  }

  protected override identityParams(): string {
    return paramKey(this.params) + (this.#fn ? `fn#${objectId(this.#fn)}` : "");
  }

  override _compute(inputs: ComputeInput[], ctx: ComputeContext): TermData | MultiOutput {
    return runCustom(this, this.#fn, inputs, ctx);
  }
}

/** A user-defined classifier: `out` is an Int32Array of labels (−1 = none). */
export class CustomClassifier extends Classifier implements CustomTerm {
  static inputs?: readonly Term[];
  static window_length?: number;
  static params?: Record<string, unknown> | readonly string[];
  static mask?: Filter | null;
  static missing_value?: number;
  readonly params: Record<string, unknown>;
  kernel?: Kernel;
  readonly #fn?: ComputeFunction;

  constructor(opts: CustomTermOptions = {}) {
    const r = resolve(new.target as unknown as CustomStatics, opts);
    super(r.spec);
    this.params = r.params;
    this.#fn = r.compute;
  }

  /** Fills `out` (labels) for one day; override in subclasses (or pass `compute`). */
  compute(_today: number, _assets: Int32Array, _out: unknown, ..._inputs: Window[]): void {
    notDefined(this.constructor.name);
  }

  protected override identityParams(): string {
    return paramKey(this.params) + (this.#fn ? `fn#${objectId(this.#fn)}` : "");
  }

  override _compute(inputs: ComputeInput[], ctx: ComputeContext): TermData | MultiOutput {
    return runCustom(this, this.#fn, inputs, ctx);
  }
}
