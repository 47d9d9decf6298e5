/** Bundles: the public face of `bundles/` (zipline's `zipline.data.bundles`). */
import "./builtin.ts";
export {
  bundle_names,
  clean,
  ingest,
  type IngestArgs,
  type IngestFunction,
  type IngestOptions,
  load,
  loadExtension,
  openDaily,
  register,
  resolveVersion,
  unregister,
} from "./registry.ts";
export { csvdir_equities } from "./ingest/csvdir_bundle.ts";
export { ZIPLINE_EXAMPLES_DIR } from "./builtin.ts";
export {
  type AssetRecord,
  BAR_FIELDS,
  type BarField,
  BundleReader,
  type DailyBars,
  type MinuteBars,
} from "./reader/bundle_reader.ts";
export { type Adjustment, AdjustmentFactors, pricingAdjustments } from "./reader/adjustments.ts";
export { BundleWriter } from "./store/writer.ts";
export { type DailyBarSource, DailyCache } from "./reader/daily_cache.ts";
export {
  type MinuteBarReader,
  MinuteCache,
  type MinuteSpan,
  type OpenMinuteBars,
  openMinuteBars,
  writeMinuteCache,
} from "./reader/minute_cache.ts";
export {
  type BundleVersion,
  harvesterRoot,
  listBundleDirs,
  listVersions,
  parseTimestamp,
} from "./paths.ts";
export * from "./errors.ts";
export { type Progress, silentProgress, streamProgress } from "./progress.ts";
