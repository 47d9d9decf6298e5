/**
 * The bundles every Harvester knows: `csvdir` (a folder from `--csvdir` or `CSVDIR`),
 * `zipline-examples` (the data this repository ships, zipline's test bundle), `quandl` (Nasdaq Data
 * Link's WIKI/PRICES export) and `alpaca_api` (Alpaca market data v2).
 */
import { fromFileUrl } from "./store/file_url.ts";
import { csvdir_equities } from "./ingest/csvdir_bundle.ts";
import { register } from "./registry.ts";
import type { IngestFunction } from "./registry.ts";
import { installed } from "../runtime/install.ts";

/** The folder of the shipped zipline example data. */
export const ZIPLINE_EXAMPLES_DIR = fromFileUrl(installed("bundles/data/zipline_examples"));

register("csvdir", csvdir_equities(), { calendar_name: "CSVDIR" });
register(
  "zipline-examples",
  csvdir_equities({ csvdir: ZIPLINE_EXAMPLES_DIR, tframes: ["daily"] }),
  {
    calendar_name: "XNYS",
  },
);
/** An ingester loaded only when its bundle is ingested (network ingesters pull in zip and HTTP code). */
function lazy(load: () => Promise<IngestFunction>): IngestFunction {
  return async (args) => (await load())(args);
}

register(
  "quandl",
  lazy(async () => (await import("./ingest/quandl.ts")).quandl_bundle()),
  {
    calendar_name: "XNYS",
  },
);
register(
  "alpaca_api",
  lazy(async () => (await import("./ingest/alpaca_api.ts")).alpaca_api_bundle()),
  {
    calendar_name: "XNYS",
  },
);
