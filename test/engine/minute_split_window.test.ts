/**
 * A minute window reaching back into the previous session is a view of the bundle's buffer only
 * when nothing lies between to adjust: across a split the earlier session's minutes come adjusted
 * (prices divided, volumes multiplied), for the single-asset path and the multi-asset path alike,
 * also when that session is before the run's first; an asset without the split, at the same
 * minutes, gets the stored bars.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { BarData, Context } from "../../runtime/entry/api.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
// 8, 9 and 10 July 2024: AAA splits 2:1 on the 9th, CCC on the 10th. A minute run reads one
// session, then the rest (see minute_chunks.test.ts): AAA's window on the 9th reaches into the
// previous chunk, CCC's on the 10th into an earlier session of the same chunk.
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 8), Date.UTC(2024, 6, 10)));
// Even thousandths: halved, still whole thousandths (no rounding tie to decide).
const px = (sym: number, s: number, k: number) => 100 * (sym + 1) + 10 * s + (2 * k) / 1000;
const SPLIT_SESSION = [1, NaN, 2];

beforeAll(async () => {
  root = tempRoot();
  const files: Record<string, string> = {};
  ["AAA", "BBB", "CCC"].forEach((sym, j) => {
    const lines = ["date,open,high,low,close,volume,dividend,split"];
    SESSIONS.forEach((s, si) =>
      cal.session_minutes(s).forEach((m, k) => {
        const p = px(j, si, k), split = si === SPLIT_SESSION[j] && k === 0 ? 2 : 1;
        const t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
        lines.push(`${t},${p},${p},${p},${p},${1000 + k},0,${split}`);
      })
    );
    files[`${sym}.csv`] = lines.join("\n") + "\n";
  });
  register("minute-split-window", csvdir_equities({ csvdir: csvFolder(files, "minute") }), {
    calendar_name: "XNYS",
  });
  await ingest("minute-split-window", { root });
});

/**
 * A minute run from `start` to `end` with AAA, BBB and CCC as `c.a`, `c.b`, `c.c`, calling
 * `at(c, data)` at every minute (`c.n` counts them from 1).
 */
function runWith(
  start: string,
  end: string,
  at: (c: Context, data: BarData) => Promise<void>,
): Promise<unknown> {
  return run_algorithm({
    start,
    end,
    bundle: "minute-split-window",
    data_frequency: "minute",
    root,
    no_benchmark: true,
    strategy: {
      initialize: async (c) => {
        [c.a, c.b, c.c] = await Promise.all(["AAA", "BBB", "CCC"].map((s) => c.symbol(s)));
        c.n = 0;
      },
      handle_data: async (c, data) => {
        c.n++;
        await at(c, data);
      },
    },
  });
}

describe("minute windows across a split", () => {
  test("the earlier session's minutes adjusted; the other asset's as stored", async () => {
    const seen: Record<string, number[]> = {};
    await runWith("2024-07-08", "2024-07-10", async (c, data) => {
      // The second minute of each session after the first: 5 minutes, 3 of them yesterday's.
      if (c.n % 390 !== 2 || c.n < 390) return;
      const day = data.current_dt.toISOString().slice(0, 10);
      for (const [name, asset] of [["AAA", c.a], ["BBB", c.b], ["CCC", c.c]] as const) {
        seen[`${day} ${name} close`] = [
          ...(await data.history(asset, "close", 5, "1m")).values,
        ];
        seen[`${day} ${name} volume`] = [
          ...(await data.history(asset, "volume", 5, "1m")).values,
        ];
        const frame = await data.history([asset], "close", 5, "1m");
        seen[`${day} ${name} frame`] = [...frame.get(asset)!.values];
      }
    });
    // Session s's last three minutes, stored or adjusted by f (rounded to 3 decimals).
    const yesterday = (j: number, s: number, f: number) =>
      [387, 388, 389].map((k) => f === 1 ? px(j, s, k) : Math.round(px(j, s, k) * f * 1000) / 1000);
    // 9 July: AAA's 8 July minutes halved (volumes doubled); BBB's as stored.
    expect(seen["2024-07-09 AAA close"]).toEqual([
      ...yesterday(0, 0, 0.5),
      px(0, 1, 0),
      px(0, 1, 1),
    ]);
    expect(seen["2024-07-09 AAA volume"]).toEqual([2 * 1387, 2 * 1388, 2 * 1389, 1000, 1001]);
    expect(seen["2024-07-09 AAA frame"]).toEqual(seen["2024-07-09 AAA close"]);
    expect(seen["2024-07-09 BBB close"]).toEqual([...yesterday(1, 0, 1), px(1, 1, 0), px(1, 1, 1)]);
    expect(seen["2024-07-09 BBB volume"]).toEqual([1387, 1388, 1389, 1000, 1001]);
    // 10 July: the split is before both sessions; nothing to adjust.
    expect(seen["2024-07-10 AAA close"]).toEqual([...yesterday(0, 1, 1), px(0, 2, 0), px(0, 2, 1)]);
    expect(seen["2024-07-10 AAA frame"]).toEqual(seen["2024-07-10 AAA close"]);
    // 10 July: CCC's 9 July minutes (the same chunk) halved, volumes doubled.
    expect(seen["2024-07-10 CCC close"]).toEqual([
      ...yesterday(2, 1, 0.5),
      px(2, 2, 0),
      px(2, 2, 1),
    ]);
    expect(seen["2024-07-10 CCC volume"]).toEqual([2 * 1387, 2 * 1388, 2 * 1389, 1000, 1001]);
    expect(seen["2024-07-10 CCC frame"]).toEqual(seen["2024-07-10 CCC close"]);
    expect(seen["2024-07-09 CCC close"]).toEqual([...yesterday(2, 0, 1), px(2, 1, 0), px(2, 1, 1)]);
    expect(seen["2024-07-10 BBB close"]).toEqual([...yesterday(1, 1, 1), px(1, 2, 0), px(1, 2, 1)]);
  });

  test("a run's first minutes reach into the session before it, adjusted as of the run", async () => {
    // The run starts on the 9th: the 8th's minutes are read from the bundle (zipline's history
    // is not bounded by the start), AAA's halved by the split on the 9th.
    const seen: Record<string, number[]> = {};
    await runWith("2024-07-09", "2024-07-09", async (c, data) => {
      if (c.n !== 2) return;
      seen.aaa = [...(await data.history(c.a, "close", 5, "1m")).values];
      seen.bbb = [...(await data.history(c.b, "price", 5, "1m")).values];
      seen.vol = [...(await data.history(c.a, "volume", 5, "1m")).values];
      const frame = await data.history([c.a, c.b], "close", 5, "1m");
      seen.frameA = [...frame.get(c.a)!.values];
      seen.index = Array.from(frame.index, Number);
    });
    const halved = [387, 388, 389].map((k) => Math.round(px(0, 0, k) * 0.5 * 1000) / 1000);
    expect(seen.aaa).toEqual([...halved, px(0, 1, 0), px(0, 1, 1)]);
    expect(seen.frameA).toEqual(seen.aaa);
    expect(seen.bbb).toEqual([
      px(1, 0, 387),
      px(1, 0, 388),
      px(1, 0, 389),
      px(1, 1, 0),
      px(1, 1, 1),
    ]);
    expect(seen.vol).toEqual([2 * 1387, 2 * 1388, 2 * 1389, 1000, 1001]);
    const minutes = [...cal.session_minutes(SESSIONS[0]), ...cal.session_minutes(SESSIONS[1])];
    expect(seen.index).toEqual(minutes.slice(387, 392));
  });
});
