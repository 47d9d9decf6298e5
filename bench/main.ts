/** `deno task bench`: prints every performance figure the issues set targets for. */
import { benchCalendars } from "./calendars.ts";
import { benchBundles } from "./bundles.ts";
import { benchEngine, benchLarge } from "./engine.ts";
import { benchLive } from "./live.ts";
import { benchPipeline } from "./pipeline.ts";
import { benchSweep } from "./sweep.ts";
import { benchUserProcess } from "./user_process.ts";
import { benchWriters } from "./writers.ts";

const only = Deno.args[0];
if (!only || only === "calendars") benchCalendars();
if (!only || only === "bundles") await benchBundles();
if (!only || only === "engine") await benchEngine();
if (!only || only === "user") await benchUserProcess();
if (!only || only === "writers") await benchWriters();
if (!only || only === "large") await benchLarge();
if (!only || only === "live") await benchLive();
if (!only || only === "pipeline") await benchPipeline();
if (!only || only === "sweep") await benchSweep();
