/**
 * Pipelines outside a backtest (research, notebooks): `run_pipeline(pipeline, start, end)` over
 * an ingested bundle, and `engineFor(source)` to build an engine over an open bundle.
 *
 * @example
 * ```ts
 * const result = await run_pipeline(
 *   new Pipeline({ columns: { rsi: new RSI() } }),
 *   "2013-10-07",
 *   "2013-11-29",
 * );
 * result.day("2013-10-07").get("rsi");
 * ```
 */
import { type DailyBarSource, ingest, NoIngestionError, openDaily } from "../../bundles/mod.ts";
import type { Asset } from "../assets/asset.ts";
import { assetsOfBundle } from "../assets/from_bundle.ts";
import type { BoundColumn, DataSet } from "./dataset.ts";
import { SimplePipelineEngine } from "./engine.ts";
import type { PipelineLoader } from "./loader.ts";
import { EquityPricingLoader } from "./loaders/pricing.ts";
import type { Pipeline } from "./pipeline.ts";
import type { PipelineResult } from "./result.ts";

/** Loaders for datasets that do not carry their own. */
export type LoaderMap = Map<BoundColumn | DataSet, PipelineLoader>;

/**
 * An engine over an open bundle: its calendar, its assets (or `assets`, the same objects a
 * backtest uses), EquityPricing from its bars, and `loaders` for other datasets.
 */
export function engineFor(
  source: DailyBarSource,
  opts: { assets?: readonly Asset[]; loaders?: LoaderMap } = {},
): SimplePipelineEngine {
  return new SimplePipelineEngine({
    calendar: source.calendar,
    assets: opts.assets ?? assetsOfBundle(source.assets),
    pricing: new EquityPricingLoader(source),
    loaders: opts.loaders,
  });
}

/** Options of `run_pipeline`. */
export interface RunPipelineOptions {
  /** @default "zipline-examples" */
  bundle?: string;
  root?: string;
  environ?: Record<string, string | undefined>;
  /** Use the newest ingestion at or before this time (UTC ms). */
  bundle_timestamp?: number;
  loaders?: LoaderMap;
  /** Compute this many sessions at a time (less memory); @default all at once */
  chunksize?: number;
}

/**
 * zipline's `run_pipeline` for research: the pipeline's output for every session from `start`
 * to `end` over a bundle (the shipped zipline-examples bundle is ingested on first use).
 */
export async function run_pipeline(
  pipeline: Pipeline,
  start: number | string | Date,
  end: number | string | Date,
  opts: RunPipelineOptions = {},
): Promise<PipelineResult> {
  const name = opts.bundle ?? "zipline-examples";
  const where = { root: opts.root, environ: opts.environ, timestamp: opts.bundle_timestamp };
  let source: DailyBarSource;
  try {
    source = await openDaily(name, where);
  } catch (e) {
    if (!(e instanceof NoIngestionError) || name !== "zipline-examples") throw e;
    await ingest(name, { root: opts.root, environ: opts.environ });
    source = await openDaily(name, where);
  }
  try {
    const engine = engineFor(source, { loaders: opts.loaders });
    return opts.chunksize
      ? await engine.run_chunked_pipeline(pipeline, start, end, opts.chunksize)
      : await engine.run_pipeline(pipeline, start, end);
  } finally {
    source.close();
  }
}
