/**
 * Pipelines attached to a running algorithm: `attach_pipeline` in initialize, `pipeline_output`
 * afterwards. Results are computed in chunks of sessions (5, then 126 by default, as zipline)
 * starting at the first session asked for, cached, and sliced per day; `eager` pipelines are
 * computed before before_trading_start even when nobody asks.
 */
import type { DailyBarSource } from "../../bundles/mod.ts";
import type { Asset } from "../assets/asset.ts";
import type { SimplePipelineEngine } from "./engine.ts";
import {
  AttachPipelineAfterInitialize,
  DuplicatePipelineName,
  NoSuchPipeline,
  PipelineError,
  PipelineOutputDuringInitialize,
} from "./errors.ts";
import type { Pipeline } from "./pipeline.ts";
import { engineFor, type LoaderMap } from "./research.ts";
import { type ChunkResult, dayFrame, type PipelineFrame } from "./result.ts";

/** Options of `attach_pipeline`. */
export interface AttachOptions {
  /** Sessions per computation: a number, or a sequence (default 5, then 126 repeatedly). */
  chunks?: number | Iterable<number>;
  /** Compute before before_trading_start even if not asked for; @default true */
  eager?: boolean;
}

interface Attached {
  pipeline: Pipeline;
  chunks: Iterator<number>;
  eager: boolean;
  cache: ChunkResult | null;
}

function* defaultChunks(): Generator<number> {
  yield 5;
  while (true) yield 126;
}

function* repeat(n: number): Generator<number> {
  while (true) yield n;
}

/** What attached pipelines need of the algorithm running them. */
export interface PipelineHost {
  /** Whether initialize has run (pipelines attach during it, are read after it). */
  readonly initialized: boolean;
  /** The session being run (UTC-midnight ms). */
  readonly current_session: number;
  /** The run's sessions: chunks never reach past the last. */
  readonly sessions: Float64Array;
}

/** One algorithm's attached pipelines and the engine computing them. */
export class AlgorithmPipelines {
  readonly #pipes = new Map<string, Attached>();
  #engine: SimplePipelineEngine | null = null;
  #makeEngine: (() => SimplePipelineEngine) | null = null;
  /** Sessions per computation at most (a live session computes one day at a time). */
  maxChunk = Infinity;

  constructor(private readonly algo: PipelineHost) {}

  /** Sets how to build the engine (the engine does, with the bundle the run reads). */
  useEngine(make: () => SimplePipelineEngine): void {
    this.#makeEngine = make;
    this.#engine = null;
  }

  attach(pipeline: Pipeline, name: string, opts: AttachOptions = {}): Pipeline {
    if (this.algo.initialized) throw new AttachPipelineAfterInitialize();
    if (this.#pipes.has(name)) throw new DuplicatePipelineName(name);
    const chunks = opts.chunks === undefined
      ? defaultChunks()
      : typeof opts.chunks === "number"
      ? repeat(opts.chunks)
      : opts.chunks[Symbol.iterator]();
    this.#pipes.set(name, { pipeline, chunks, eager: opts.eager ?? true, cache: null });
    return pipeline;
  }

  /** Whether any pipeline is attached. */
  get size(): number {
    return this.#pipes.size;
  }

  /** Today's output of pipeline `name` (empty frame when nothing passed the screen). */
  async output(name: string): Promise<PipelineFrame> {
    if (!this.algo.initialized) throw new PipelineOutputDuringInitialize();
    const p = this.#pipes.get(name);
    if (!p) throw new NoSuchPipeline(name, [...this.#pipes.keys()]);
    const today = this.algo.current_session;
    const chunk = await this.#ensure(p, today);
    return dayFrame(chunk, chunk.dates.indexOf(today));
  }

  /** Computes every eager pipeline whose cache does not cover `session`. */
  async computeEager(session: number): Promise<void> {
    for (const p of this.#pipes.values()) if (p.eager) await this.#ensure(p, session);
  }

  async #ensure(p: Attached, today: number): Promise<ChunkResult> {
    if (p.cache && p.cache.dates.includes(today)) return p.cache;
    const engine = this.#engine ??= this.#makeEngine?.() ?? null;
    if (!engine) throw new PipelineError("internal: no pipeline engine for this run");
    const start = engine.sessionIndex(today);
    const simEnd = this.algo.sessions[this.algo.sessions.length - 1];
    const size = Math.min(p.chunks.next().value ?? 126, this.maxChunk);
    const end = Math.min(start + size, engine.sessionIndex(simEnd));
    p.cache = await engine.computeChunk(p.pipeline, start, Math.max(start, end));
    return p.cache;
  }
}

/**
 * A pipeline engine over the bundle a run reads, built on first use, with the run's own asset
 * objects so pipeline output and orders share them.
 */
export function bundleEngine(
  source: DailyBarSource,
  assets: readonly Asset[],
  loaders?: LoaderMap,
): () => SimplePipelineEngine {
  return () => engineFor(source, { assets, loaders });
}
