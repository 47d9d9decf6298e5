/**
 * The Pipeline API (zipline's `zipline.pipeline`): declare factors, filters and classifiers over
 * datasets, compute them for the whole universe each day, read the day's output in a strategy.
 *
 * @example
 * ```ts
 * import { attach_pipeline, pipeline_output, Pipeline, factors } from "harvester/api";
 *
 * export function initialize() {
 *   const rsi = new factors.RSI();
 *   attach_pipeline(new Pipeline({ columns: { longs: rsi.top(3) } }), "rsi");
 * }
 * export async function before_trading_start(context: Context) {
 *   context.longs = (await pipeline_output("rsi")).where("longs");
 * }
 * ```
 */
export { Term, type TermKind } from "./term.ts";
export { Factor, type GroupOptions, type RankOptions } from "./factor.ts";
export { AssetExists, Filter } from "./filter.ts";
export { Classifier, Everything, Quantiles } from "./classifier.ts";
export {
  CustomClassifier,
  CustomFactor,
  CustomFilter,
  type CustomTermOptions,
  Window,
} from "./custom.ts";
export {
  BoundColumn,
  Column,
  type ColumnDType,
  DataSet,
  EquityPricing,
  Latest,
  USEquityPricing,
} from "./dataset.ts";
export { Pipeline, type PipelineOptions } from "./pipeline.ts";
export { SimplePipelineEngine } from "./engine.ts";
export { type ChunkResult, PipelineFrame, PipelineResult } from "./result.ts";
export { engineFor, run_pipeline, type RunPipelineOptions } from "./research.ts";
export type { LoadRequest, PipelineLoader } from "./loader.ts";
export { AdjustedArray } from "./window.ts";
export { EquityPricingLoader } from "./loaders/pricing.ts";
export { CSVLoader, DuckDBLoader, TableLoader, type TableLoaderOptions } from "./loaders/table.ts";
export type { AttachOptions } from "./attached.ts";
export * from "./errors.ts";
export * from "./factors/basic.ts";
export * from "./factors/technical.ts";
export * from "./factors/statistical.ts";
export * from "./filters.ts";
export type { RankMethod } from "./kernels/rows.ts";
export type { DownsampleFrequency } from "./ops/structural.ts";
export type { MathFunc } from "./ops/arith.ts";

import * as basic from "./factors/basic.ts";
import * as technical from "./factors/technical.ts";
import * as statistical from "./factors/statistical.ts";
import * as filterModule from "./filters.ts";
import { CustomClassifier, CustomFactor, CustomFilter } from "./custom.ts";
import { Latest } from "./dataset.ts";
import { AssetExists } from "./filter.ts";
import { Everything, Quantiles } from "./classifier.ts";
import { CSVLoader, DuckDBLoader, TableLoader } from "./loaders/table.ts";
import { EquityPricingLoader } from "./loaders/pricing.ts";

/** zipline's `zipline.pipeline.factors`. */
export const factors = { ...basic, ...technical, ...statistical, CustomFactor, Latest };
/** zipline's `zipline.pipeline.filters`. */
export const filters = { ...filterModule, CustomFilter, AssetExists };
/** zipline's `zipline.pipeline.classifiers`. */
export const classifiers = { CustomClassifier, Everything, Quantiles };
/** zipline's `zipline.pipeline.loaders` (plus the table loaders). */
export const loaders = { EquityPricingLoader, CSVLoader, DuckDBLoader, TableLoader };
