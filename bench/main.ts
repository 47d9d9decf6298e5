/** `deno task bench`: prints every performance figure the issues set targets for. */
import { benchCalendars } from "./calendars.ts";
import { benchBundles } from "./bundles.ts";

benchCalendars();
await benchBundles();
