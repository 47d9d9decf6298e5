/**
 * The bundles every Harvester knows: `csvdir` (a folder from `--csvdir` or `CSVDIR`) and
 * `zipline-examples` (the data this repository ships, zipline's test bundle).
 */
import { fromFileUrl } from "./store/file_url.ts";
import { csvdir_equities } from "./ingest/csvdir.ts";
import { register } from "./registry.ts";

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
