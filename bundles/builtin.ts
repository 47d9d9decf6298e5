/**
 * The bundles every Harvester knows: `csvdir` (a folder from `--csvdir` or `CSVDIR`),
 * `zipline-examples` (the data this repository ships, zipline's test bundle), `quandl` (Nasdaq Data
 * Link's WIKI/PRICES export) and `alpaca_api` (Alpaca market data v2).
 */
import { fromFileUrl } from "./store/file_url.ts";
import { csvdir_equities } from "./ingest/csvdir.ts";
import { register } from "./registry.ts";
import { quandl_bundle } from "./ingest/quandl.ts";
import { alpaca_api_bundle } from "./ingest/alpaca_api.ts";

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
register("quandl", quandl_bundle(), { calendar_name: "XNYS" });
register("alpaca_api", alpaca_api_bundle(), { calendar_name: "XNYS" });
