/**
 * A minute backtest whose strategy throws partway through: the strategy's own error comes out,
 * and the bundle's database is closed only once no chunk of minute bars is still being read in
 * the background. A minute run reads the next chunk while it simulates the current one; closing
 * DuckDB under that query crashed the process with a segmentation fault (about one run in six of
 * `harvester backtest` on a year of minutes) instead of reporting the strategy's error. A paper
 * session replaying minute bars reads them the same way.
 */
import { join } from "node:path";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { BundleReader } from "../../bundles/reader/bundle_reader.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { runLive } from "../../runtime/live/session.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
/** 30 sessions of one asset: a chunk is 21 sessions, so the second is read during the first. */
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 8, 30)))
  .slice(0, 30);

beforeAll(async () => {
  root = tempRoot();
  const lines = ["date,open,high,low,close,volume"];
  for (const s of SESSIONS) {
    cal.session_minutes(s).forEach((m, k) => {
      const t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
      lines.push(`${t},10,10.1,9.9,${10 + k / 1000},1000`);
    });
  }
  register(
    "minute-failure",
    csvdir_equities({ csvdir: csvFolder({ "AAA.csv": lines.join("\n") }, "minute") }),
    {
      calendar_name: "XNYS",
    },
  );
  await ingest("minute-failure", { root });
});

afterEach(() => vi.restoreAllMocks());

/** Counts chunk reads in flight, and how many were in flight at each close of a bundle. */
function watchReads() {
  const seen = { reading: 0, atClose: [] as number[] };
  const load = BundleReader.prototype.loadMinuteRange;
  vi.spyOn(BundleReader.prototype, "loadMinuteRange").mockImplementation(function (
    this: BundleReader,
    ...args: Parameters<BundleReader["loadMinuteRange"]>
  ) {
    seen.reading++;
    return load.apply(this, args).finally(() => seen.reading--);
  });
  const close = BundleReader.prototype.close;
  vi.spyOn(BundleReader.prototype, "close").mockImplementation(function (this: BundleReader) {
    seen.atClose.push(seen.reading);
    close.call(this);
  });
  return seen;
}

/** Throws on its first bar: the second chunk's read has just been started then. */
const throwing = (): Strategy => {
  let bars = 0;
  return {
    initialize() {},
    handle_data() {
      if (++bars === 1) throw new Error("the strategy's own mistake");
    },
  };
};

const END = new Date(SESSIONS[29]).toISOString().slice(0, 10);

test("a backtest whose strategy throws: its error, and no chunk read running when the bundle closes", async () => {
  const seen = watchReads();
  const run = run_algorithm({
    start: "2024-07-01",
    end: END,
    bundle: "minute-failure",
    data_frequency: "minute",
    root,
    // The minute bars from the database, as a run without a minute cache reads them (too many
    // bars to cache, or a disk that refused it): chunks are queries on DuckDB's threads then.
    environ: { HARVESTER_MINUTE_CACHE: "off", HARVESTER_DAILY_CACHE: "off" },
    no_benchmark: true,
    strategy: throwing(),
  });
  await expect(run).rejects.toThrow("the strategy's own mistake");
  expect(seen.atClose).toEqual([0]);
  expect(seen.reading).toBe(0);
});

test("a minute paper replay whose strategy throws: the same", async () => {
  const seen = watchReads();
  const dir = tempRoot("hv-minute-failure-");
  const run = runLive({
    strategy: throwing(),
    strategy_hash: "x",
    start: "2024-07-01",
    end: END,
    root,
    bundle: "minute-failure",
    data_frequency: "minute",
    speed: "max",
    state_path: join(dir, "s.json"),
    journal_path: join(dir, "j.jsonl"),
    environ: { HARVESTER_MINUTE_CACHE: "off", HARVESTER_DAILY_CACHE: "off" },
    no_benchmark: true,
  });
  await expect(run).rejects.toThrow("the strategy's own mistake");
  expect(seen.atClose).toEqual([0]);
  expect(seen.reading).toBe(0);
});
