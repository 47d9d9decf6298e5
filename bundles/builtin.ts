/**
 * The bundles every Harvester knows: `csvdir` (a folder from `--csvdir` or `CSVDIR`),
 * `zipline-examples` (the data this repository ships, zipline's test bundle), `quandl` (Nasdaq Data
 * Link's WIKI/PRICES export) and `alpaca_api` (Alpaca market data v2).
 */
import { fromFileUrl } from "./store/file_url.ts";
import { csvdir_equities } from "./ingest/csvdir_bundle.ts";
import { register } from "./registry.ts";
import type { IngestFunction } from "./registry.ts";
import { lazyImport } from "../runtime/lazy.ts";

/** The folder of the shipped zipline example data. */
export const ZIPLINE_EXAMPLES_DIR = fromFileUrl(
  new URL("./data/zipline_examples", import.meta.url),
);

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
  lazy(async () =>
    (await lazyImport<typeof import("./ingest/quandl.ts")>(
      new URL("./ingest/quandl.ts", import.meta.url),
    )).quandl_bundle()
  ),
  {
    calendar_name: "XNYS",
  },
);
register(
  "alpaca_api",
  lazy(async () =>
    (await lazyImport<typeof import("./ingest/alpaca_api.ts")>(
      new URL("./ingest/alpaca_api.ts", import.meta.url),
    )).alpaca_api_bundle()
  ),
  {
    calendar_name: "XNYS",
  },
);
