/**
 * How a minute backtest reads its bundle: the first chunk is one session (the first bar waits for
 * it), every later one a whole chunk (21 sessions here) read ahead while the one before is
 * simulated; every session is read once, in order, and each minute's bar is the one written.
 * A window at the third chunk's first minute reaches back across the whole second chunk; one
 * reaching before the run's first session, or past the chunks held, reads the sessions it needs
 * (once for every asset and the minutes after), with the calendar's minutes as its labels.
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

/** The reader as the market sees it, recording each range asked for. */
function recording(reads: [number, number][]): BundleReader {
  return new Proxy(reader, {
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
}

/** Minutes of sessions `from`…`to` (indices into SESSIONS). */
const minutesOf = (from: number, to: number) =>
  SESSIONS.slice(from, to + 1).flatMap((s) => Array.from(cal.session_minutes(s)));

describe("minute chunks", () => {
  test("one session first, then whole chunks read ahead; every bar as written", async () => {
    const reads: [number, number][] = [];
    // Simulate sessions 1…23 (the data's first session is before the run).
    const t0 = portal.sessionIndex(SESSIONS[1]), t1 = portal.sessionIndex(SESSIONS[23]);
    const market = new MinuteMarket(portal, recording(reads), t1);
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
        const w = await market.history(a1, "close", count, "1m");
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

  test("windows before the run's first session, and past the chunks held", async () => {
    const reads: [number, number][] = [];
    const t0 = portal.sessionIndex(SESSIONS[1]), t1 = portal.sessionIndex(SESSIONS[24]);
    const market = new MinuteMarket(portal, recording(reads), t1);
    const [a0, a1] = portal.assets;
    await market.startSession(t0);
    market.advanceMinute(1);
    // Session 0 is before the run: its last 3 minutes and this session's first 2.
    const w = await market.history(a1, "close", 5, "1m");
    const last0 = cal.session_minute_count(SESSIONS[0]) - 1;
    expect([...w]).toEqual([
      px(1, 0, last0 - 2),
      px(1, 0, last0 - 1),
      px(1, 0, last0),
      px(1, 1, 0),
      px(1, 1, 1),
    ]);
    expect([...market.historyIndex(5, "1m")]).toEqual(minutesOf(0, 1).slice(last0 - 2, last0 + 3));
    // Read once (the one session there is), then at hand: the other asset, the next minute, volume.
    expect(reads.slice(1)).toEqual([[SESSIONS[2], SESSIONS[22]], [SESSIONS[0], SESSIONS[0]]]);
    const v = market.history(a0, "volume", 5, "1m");
    expect(v).toBeInstanceOf(Float64Array);
    expect([...(v as Float64Array)]).toEqual([last0 - 1, last0, last0 + 1, 1, 2]);
    market.advanceMinute(2);
    expect(market.history(a1, "close", 4, "1m")).toBeInstanceOf(Float64Array);
    expect(reads.length).toBe(3);
    // The third chunk's first minute: a window over every session since the data's first.
    for (let t = t0 + 1; t <= t0 + 22; t++) await market.startSession(t);
    market.advanceMinute(0);
    const all = minutesOf(0, 23).length - cal.session_minute_count(SESSIONS[23]) + 1;
    const long = await market.history(a0, "close", all, "1m");
    const want = SESSIONS.slice(0, 23).flatMap((s, si) =>
      Array.from(cal.session_minutes(s), (_, k) => px(0, si, k))
    );
    expect([...long]).toEqual([...want, px(0, 23, 0)]);
    expect([...market.historyIndex(all, "1m")]).toEqual(minutesOf(0, 23).slice(0, all));
    // Sessions 0 and 1 were read again for it (before the second chunk), and only they.
    expect(reads.slice(3)).toEqual([[SESSIONS[23], SESSIONS[24]], [SESSIONS[0], SESSIONS[1]]]);
    await market.settle();
  });
});
