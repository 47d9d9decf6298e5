/**
 * `SimplePipelineEngine`: computes a pipeline over a range of sessions, chunk by chunk, for the
 * whole universe at once (zipline's engine). Per chunk:
 *
 * 1. plan the term graph (distinct terms once, extra leading rows for windows);
 * 2. the root mask: which assets were alive each day (start_date < day ≤ end_date), keeping the
 *    assets alive on some day of the chunk (its columns, sids ascending);
 * 3. load DataSet columns (grouped per loader and row count), adjusted as of each day;
 * 4. compute each term in dependency order over typed arrays — windowed terms through forward
 *    window cursors (views), the rest over whole arrays — freeing inputs no longer needed;
 * 5. keep the outputs' and the screen's rows for the requested days.
 */
import type { TradingCalendar } from "../../calendars/calendar.ts";
import { DAY_MS, isoDate } from "../../calendars/days.ts";
import { lowerBound, upperBound } from "../../calendars/precomputed.ts";
import type { Asset } from "../assets/asset.ts";
import { BoundColumn, type DataSet, EquityPricing } from "./dataset.ts";
import { NoFurtherDataError, NoLoaderForColumn, PipelineError } from "./errors.ts";
import { AssetExists } from "./filter.ts";
import { ExecutionPlan, SCREEN_NAME } from "./graph.ts";
import type { PipelineLoader } from "./loader.ts";
import type { Pipeline } from "./pipeline.ts";
import { type ChunkResult, PipelineResult } from "./result.ts";
import type { ComputeContext, ComputeInput, MultiOutput, Term, TermData } from "./term.ts";
import { AdjustedArray, WindowCursor } from "./window.ts";

/** What an engine computes over. */
export interface EngineOptions {
  /** The calendar whose sessions are the pipeline's days. */
  calendar: TradingCalendar;
  /** Every asset that may appear (any order). */
  assets: readonly Asset[];
  /** The loader of `EquityPricing` columns. */
  pricing?: PipelineLoader;
  /** Loaders by column or dataset, for datasets without their own loader. */
  loaders?: Map<BoundColumn | DataSet, PipelineLoader>;
}

type Value = TermData | MultiOutput | AdjustedArray;

const day = (ms: number) => isoDate(Math.floor(ms / DAY_MS));

/** Parses a session argument (UTC-midnight ms, Date, or "YYYY-MM-DD"). */
export function sessionArg(v: number | string | Date): number {
  if (typeof v === "number") return Math.floor(v / DAY_MS) * DAY_MS;
  if (v instanceof Date) return Math.floor(v.getTime() / DAY_MS) * DAY_MS;
  const ms = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms)) throw new PipelineError(`not a date: "${v}" (use YYYY-MM-DD)`);
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Computes pipelines (see the module documentation). */
export class SimplePipelineEngine {
  readonly sessions: Float64Array;
  readonly assets: readonly Asset[];
  readonly #starts: Float64Array;
  readonly #ends: Float64Array;

  constructor(private readonly opts: EngineOptions) {
    this.sessions = opts.calendar.all_sessions;
    this.assets = [...opts.assets].sort((a, b) => a.sid - b.sid);
    // Unknown dates do not limit a lifetime.
    this.#starts = Float64Array.from(
      this.assets,
      (a) => a.start_date === a.start_date ? a.start_date : -Infinity,
    );
    this.#ends = Float64Array.from(
      this.assets,
      (a) => a.end_date === a.end_date ? a.end_date : Infinity,
    );
  }

  /**
   * The pipeline's output for every session from `start` to `end` (both sessions).
   * @example const result = await engine.run_pipeline(pipe, "2014-01-02", "2014-12-31");
   */
  async run_pipeline(
    pipeline: Pipeline,
    start: number | string | Date,
    end: number | string | Date,
  ): Promise<PipelineResult> {
    const [i, j] = this.range(start, end);
    return new PipelineResult(
      [await this.computeChunk(pipeline, i, j)],
      Object.keys(pipeline.columns),
    );
  }

  /** As `run_pipeline`, computed `chunksize` sessions at a time (less memory). */
  async run_chunked_pipeline(
    pipeline: Pipeline,
    start: number | string | Date,
    end: number | string | Date,
    chunksize: number,
  ): Promise<PipelineResult> {
    const [i, j] = this.range(start, end);
    const chunks: ChunkResult[] = [];
    for (let s = i; s <= j; s += chunksize) {
      chunks.push(await this.computeChunk(pipeline, s, Math.min(j, s + chunksize - 1)));
    }
    return new PipelineResult(chunks, Object.keys(pipeline.columns));
  }

  /** Index of a session in the calendar; an error if it is not one. */
  sessionIndex(session: number): number {
    const i = lowerBound(this.sessions, session);
    if (this.sessions[i] !== session) {
      throw new PipelineError(`${day(session)} is not a ${this.opts.calendar.name} session`);
    }
    return i;
  }

  private range(start: number | string | Date, end: number | string | Date): [number, number] {
    const s = sessionArg(start), e = sessionArg(end);
    if (e < s) throw new PipelineError(`start ${day(s)} is after end ${day(e)}`);
    return [this.sessionIndex(s), this.sessionIndex(e)];
  }

  /** Computes sessions `startIdx…endIdx` (calendar indices) of a pipeline. */
  async computeChunk(pipeline: Pipeline, startIdx: number, endIdx: number): Promise<ChunkResult> {
    const outputs = new Map<string, Term>(Object.entries(pipeline.columns));
    outputs.set(SCREEN_NAME, pipeline.screen ?? AssetExists);
    const plan = new ExecutionPlan(outputs, this.sessions, startIdx);
    const first = startIdx - plan.rootExtra;
    if (first < 0) {
      throw new NoFurtherDataError(
        `the pipeline needs ${plan.rootExtra} sessions before ${day(this.sessions[startIdx])}, ` +
          `before the calendar's first session ${day(this.sessions[0])}; start later`,
      );
    }
    const dates = this.sessions.subarray(first, endIdx + 1), nOut = endIdx - startIdx + 1;
    const { assets, sids, mask: root } = this.rootMask(dates);
    const N = assets.length;
    const ws = new Map<number, Value>([[plan.rootUid, root]]);
    await this.loadAll(plan, dates, assets, sids, ws);
    const refs = plan.refcounts();
    for (const term of plan.order) {
      if (ws.has(term.uid)) continue;
      const E = plan.extraOf(term), R = nOut + E, off = plan.rootExtra - E;
      const maskData = ws.get(term.mask ? term.mask.uid : plan.rootUid) as Uint8Array;
      const mOff = (plan.extraOf(term.mask) - E) * N;
      const ctx: ComputeContext = {
        dates: dates.subarray(off),
        sids,
        assets,
        mask: maskData.subarray(mOff, mOff + R * N),
        rows: R,
        cols: N,
      };
      const inputs = term.inputs.map((inp) => this.inputFor(term, inp, plan, ws, R, N));
      const result = term._compute(inputs, ctx);
      checkShape(term, result, R, term.ndim === 1 ? 1 : N);
      ws.set(term.uid, result);
      for (const [dep] of term.dependencies()) {
        const u = dep ? dep.uid : plan.rootUid;
        const left = refs.get(u)! - 1;
        refs.set(u, left);
        if (left === 0) ws.delete(u);
      }
    }
    const slice = (t: Term): TermData => {
      const v = ws.get(t.uid);
      const data = v instanceof AdjustedArray ? v.data : v as TermData;
      const E = plan.extraOf(t);
      return data.subarray(E * N, (E + nOut) * N);
    };
    const columns = [...outputs].filter(([n]) => n !== SCREEN_NAME).map(([name, t]) => ({
      name,
      kind: t.kind,
      data: slice(t),
    }));
    return {
      dates: dates.slice(plan.rootExtra),
      assets,
      screen: slice(outputs.get(SCREEN_NAME)!) as Uint8Array,
      columns,
    };
  }

  /** The trimmed input of `term` for `inp`: a window cursor (windowed) or a row-aligned view. */
  private inputFor(
    term: Term,
    inp: Term,
    plan: ExecutionPlan,
    ws: Map<number, Value>,
    R: number,
    N: number,
  ): ComputeInput {
    const v = ws.get(inp.uid);
    if (v === undefined) throw new Error(`pipeline: ${inp} was not computed before ${term}`);
    const cols = inp.ndim === 1 ? 1 : N, E = plan.extraOf(term), Ein = plan.extraOf(inp);
    if (term.windowed) {
      if (!(v instanceof AdjustedArray) && !ArrayBuffer.isView(v)) {
        throw new PipelineError(
          `${term}: a multi-output term cannot be a windowed input; use .output(name)`,
        );
      }
      const data = v instanceof AdjustedArray ? v.data : v;
      const adj = v instanceof AdjustedArray ? v.adjustments : null;
      return new WindowCursor(
        data,
        cols,
        term.window_length,
        Ein - E - (term.window_length - 1),
        adj,
      );
    }
    const off = (Ein - E) * cols;
    if (v instanceof AdjustedArray) return v.data.subarray(off, off + R * cols);
    if (ArrayBuffer.isView(v)) return v.subarray(off, off + R * cols);
    return Object.fromEntries(
      Object.entries(v).map(([k, a]) => [k, a.subarray(off, off + R * cols)]),
    );
  }

  /** Loads every DataSet column the plan uses, one request per loader and row count. */
  private async loadAll(
    plan: ExecutionPlan,
    dates: Float64Array,
    assets: readonly Asset[],
    sids: Int32Array,
    ws: Map<number, Value>,
  ): Promise<void> {
    const groups = new Map<PipelineLoader, Map<number, BoundColumn[]>>();
    for (const t of plan.order) {
      if (!(t instanceof BoundColumn)) continue;
      const loader = this.loaderFor(t), E = plan.extraOf(t);
      const byExtra = groups.get(loader) ?? new Map<number, BoundColumn[]>();
      groups.set(loader, byExtra);
      byExtra.set(E, [...(byExtra.get(E) ?? []), t]);
    }
    for (const [loader, byExtra] of groups) {
      for (const [E, columns] of byExtra) {
        const loaded = await loader.load({
          columns,
          dates: dates.subarray(plan.rootExtra - E),
          sessions: this.sessions,
          assets,
          sids,
        });
        columns.forEach((c, k) => ws.set(c.uid, loaded[k]));
      }
    }
  }

  private loaderFor(column: BoundColumn): PipelineLoader {
    const own = column.dataset.loader ?? this.opts.loaders?.get(column) ??
      this.opts.loaders?.get(column.dataset);
    if (own) return own;
    if (column.dataset === EquityPricing && this.opts.pricing) return this.opts.pricing;
    throw new NoLoaderForColumn(String(column));
  }

  /** Lifetimes over `dates`: assets alive on some day, and the alive matrix (date-major). */
  private rootMask(dates: Float64Array): { assets: Asset[]; sids: Int32Array; mask: Uint8Array } {
    const R = dates.length, ranges: [number, number, number][] = [];
    for (let a = 0; a < this.assets.length; a++) {
      // Alive on d when start_date < d ≤ end_date (data known that morning).
      const lo = upperBound(dates, this.#starts[a]), hi = upperBound(dates, this.#ends[a]);
      if (hi > lo) ranges.push([a, lo, hi]);
    }
    const N = ranges.length, mask = new Uint8Array(R * N);
    ranges.forEach(([, lo, hi], j) => {
      for (let t = lo; t < hi; t++) mask[t * N + j] = 1;
    });
    const assets = ranges.map(([a]) => this.assets[a]);
    return { assets, sids: Int32Array.from(assets, (a) => a.sid), mask };
  }
}

function checkShape(term: Term, v: TermData | MultiOutput, R: number, cols: number): void {
  const arrays = ArrayBuffer.isView(v) ? [v] : Object.values(v);
  for (const a of arrays) {
    if (a.length !== R * cols) {
      throw new PipelineError(`${term} computed ${a.length} values, expected ${R} days × ${cols}`);
    }
  }
}
