/**
 * How a minute backtest reads its bundle: the first chunk is one session (the first bar waits for
 * it), every later one a whole chunk (21 sessions here) read ahead while the one before is
 * simulated; every session is read once, in order, and each minute's bar is the one written.
 * A window at the third chunk's first minute reaches back across the whole second chunk.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { type BundleReader, csvdir_equities, ingest, load, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { DailyPortal } from "../../runtime/portal/daily_portal.ts";
import { MinuteMarket } from "../../runtime/portal/minute_market.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

const cal = get_calendar("XNYS");
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 7, 30)))
  .slice(0, 25);
/** The close of asset `j` at minute `k` of session `s`. */
const px = (j: number, s: number, k: number) => 100 * (j + 1) + s + k / 1000;
const stamp = (m: number) => new Date(m).toISOString().slice(0, 19).replace("T", " ");

let reader: BundleReader;
let portal: DailyPortal;

beforeAll(async () => {
  const root = tempRoot();
  const files: Record<string, string> = {};
  for (const j of [0, 1]) {
    const lines = ["date,open,high,low,close,volume"];
    SESSIONS.forEach((s, si) =>
      cal.session_minutes(s).forEach((m, k) => {
        const p = px(j, si, k);
        lines.push(`${stamp(m)},${p},${p},${p},${p},${k + 1}`);
      })
    );
    files[`S${j}.csv`] = lines.join("\n") + "\n";
  }
  register("minute-chunks", csvdir_equities({ csvdir: csvFolder(files, "minute") }), {
    calendar_name: "XNYS",
  });
  await ingest("minute-chunks", { root });
  reader = await load("minute-chunks", { root });
  portal = await DailyPortal.load(reader, SESSIONS[SESSIONS.length - 1]);
  return () => reader.close();
});

describe("minute chunks", () => {
  test("one session first, then whole chunks read ahead; every bar as written", async () => {
    const reads: [number, number][] = [];
    // The reader as the market sees it, recording each range asked for.
    const recording = new Proxy(reader, {
      get(target, key) {
        if (key === "loadMinuteRange") {
          return (sids: number[], first: number, last: number) => {
            reads.push([first, last]);
            return target.loadMinuteRange(sids, first, last);
          };
        }
        const v = Reflect.get(target, key);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    // Simulate sessions 1…23 (the data's first session is before the run).
    const t0 = portal.sessionIndex(SESSIONS[1]), t1 = portal.sessionIndex(SESSIONS[23]);
    const market = new MinuteMarket(portal, recording, t1);
    const [a0, a1] = portal.assets;
    const readsBefore: number[] = [];
    for (let t = t0; t <= t1; t++) {
      readsBefore.push(reads.length);
      await market.startSession(t);
      const si = t - t0 + 1;
      for (const k of [0, 200, market.sessionMinutes - 1]) {
        market.advanceMinute(k);
        expect(market.spot(a0, "close")).toBe(px(0, si, k));
        expect(market.spot(a1, "volume")).toBe(k + 1);
      }
      if (t === t0 + 22) {
        // The third chunk's first minute: a window over the whole second chunk (sessions
        // 2…22, the early close of 3 July among them) and this minute is all real bars.
        market.advanceMinute(0);
        let count = 1;
        for (let i = 2; i <= 22; i++) count += cal.session_minute_count(SESSIONS[i]);
        const w = market.history(a1, "close", count, "1m");
        expect(w[0]).toBe(px(1, 2, 0));
        expect(w[w.length - 2]).toBe(px(1, 22, cal.session_minute_count(SESSIONS[22]) - 1));
        expect(w[w.length - 1]).toBe(px(1, si, 0));
        expect(w.every((v) => v === v)).toBe(true);
      }
    }
    await market.settle();
    const day = (i: number) => SESSIONS[i];
    expect(reads).toEqual([[day(1), day(1)], [day(2), day(22)], [day(23), day(23)]]);
    // Read ahead: the second chunk was asked for as the first session began, the third as the
    // second chunk's first session began.
    expect(readsBefore[0]).toBe(0);
    expect(readsBefore[1]).toBe(2);
    expect(readsBefore[2]).toBe(3);
  });
});
