/**
 * Live minute history stitched with the bundle's minute bars: yesterday's (and today's undelivered)
 * bundle minutes, then the feed's, on the calendar's grid — no gap, no duplicate, the feed's bar
 * winning a minute both have, adjusted as of today, `price` filled across the boundary — and the
 * bundle read once per session. The bundle is a real csvdir minute bundle (DuckDB store) written
 * here: AAA and BBB trade every minute of yesterday (AAA not in its last 5), BBB splits 2:1 today,
 * CCC has one minute bar a week earlier.
 */
import { beforeAll, describe, expect, test } from "vitest";
import {
  type BundleReader,
  csvdir_equities,
  ingest,
  load,
  openDaily,
  register,
} from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import type { Asset } from "../../runtime/assets/asset.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import { DailyPortal } from "../../runtime/portal/daily_portal.ts";
import { LiveMarket } from "../../runtime/portal/live_market.ts";
import type { MinuteBarSource } from "../../runtime/portal/live_minute_history.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";
import { minuteSession } from "./fed_paper_session.ts";

const cal = get_calendar("XNYS");
const WEEK_AGO = Date.UTC(2024, 6, 1), YESTERDAY = Date.UTC(2024, 6, 8);
const TODAY = Date.UTC(2024, 6, 9);
const Y = [...cal.session_minutes(YESTERDAY)], T = [...cal.session_minutes(TODAY)];
const m = (hhmm: string) => Date.parse(`2024-07-09T${hhmm}:00Z`);
const HEAD = "date,open,high,low,close,volume,dividend,split";
const row = (t: number, c: number, v: number, split = 1) =>
  `${new Date(t).toISOString().slice(0, 19).replace("T", " ")},${c},${c},${c},${c},${v},0,${split}`;
const csv = (rows: string[]) => [HEAD, ...rows].join("\n") + "\n";

/** AAA's close at yesterday's minute k (no bar in the last 5 minutes). */
const aaaY = (k: number) => 100 + k / 100;
/** BBB's close at yesterday's minute k, before today's 2:1 split. */
const bbbY = (k: number) => 50 + k / 50;

let root: string, reader: BundleReader, portal: DailyPortal, t: number;
let aaa: Asset, bbb: Asset, ccc: Asset;

beforeAll(async () => {
  root = tempRoot();
  const dir = csvFolder({
    "AAA.csv": csv([
      ...Y.slice(0, 385).map((x, k) => row(x, aaaY(k), 1000)),
      row(m("13:31"), 500, 5), // also delivered by the feed: the feed's wins
      row(m("13:33"), 503, 5), // not delivered by the feed: the bundle's is used
    ]),
    "BBB.csv": csv([
      ...Y.map((x, k) => row(x, bbbY(k), 300)),
      row(m("13:31"), 25.5, 7, 2), // the split's day
    ]),
    "CCC.csv": csv([row(cal.session_minutes(WEEK_AGO)[0], 70, 10)]),
  }, "minute");
  register("live-minute-history", csvdir_equities({ csvdir: dir }), { calendar_name: "XNYS" });
  await ingest("live-minute-history", { root });
  reader = await load("live-minute-history", { root });
  const source = await openDaily("live-minute-history", { root });
  portal = await DailyPortal.load(source, TODAY);
  source.close();
  [aaa, bbb, ccc] = ["AAA", "BBB", "CCC"].map((s) => portal.assets.find((a) => a.symbol === s)!);
  t = portal.sessionIndex(TODAY);
});

const bar = (symbol: string, time: number, close: number, volume = 100) => ({
  symbol,
  time,
  open: close,
  high: close,
  low: close,
  close,
  volume,
});

/** A reader that counts its minute reads. */
function counting(): MinuteBarSource & { reads: number } {
  const c = {
    reads: 0,
    loadMinuteRange: (...a: Parameters<BundleReader["loadMinuteRange"]>) => {
      c.reads++;
      return reader.loadMinuteRange(...a);
    },
  };
  return c;
}

/** Today's session at `minute` with the feed's bars so far; the bundle's minutes through `minutes`. */
function today(minute: number, minutes: MinuteBarSource | undefined = reader): LiveMarket {
  const market = new LiveMarket(portal, { now: () => minute, minutes });
  portal.advanceTo(t - 1);
  market.startSession(t);
  market.addBar(aaa, bar("AAA", m("13:31"), 200));
  market.addBar(aaa, bar("AAA", m("13:32"), 202));
  market.addBar(aaa, bar("AAA", m("13:34"), 204));
  market.addBar(bbb, bar("BBB", m("13:31"), 26));
  market.addBar(bbb, bar("BBB", m("13:32"), 26.1));
  market.addBar(ccc, bar("CCC", m("13:31"), 71));
  market.advanceTo(minute);
  return market;
}

const nans = (n: number) => Array<number>(n).fill(NaN);

describe("live minute history with the bundle's minutes", () => {
  test("yesterday's bundle minutes then today's: no gap, no duplicate, the feed's bar wins", async () => {
    const market = today(m("13:35"));
    const index = market.historyIndex(395, "1m");
    expect([...index]).toEqual([...Y, ...T.slice(0, 5)]);
    const close = await market.history(aaa, "close", 395, "1m");
    expect([...close.subarray(0, 385)]).toEqual(Y.slice(0, 385).map((_, k) => aaaY(k)));
    expect([...close.subarray(385)]).toEqual([...nans(5), 200, 202, 503, 204, NaN]);
    // The last price before the window (yesterday 19:55) fills it, then across the boundary.
    const price = await market.history(aaa, "price", 10, "1m");
    expect([...price]).toEqual([...Array(5).fill(aaaY(384)), 200, 202, 503, 204, 204]);
    const volume = await market.history(aaa, "volume", 10, "1m");
    expect([...volume]).toEqual([0, 0, 0, 0, 0, 100, 100, 5, 100, 0]);
    // A window inside today keeps the feed's earlier price.
    expect([...await market.history(aaa, "price", 1, "1m")]).toEqual([204]);
  });

  test("a split between yesterday and today adjusts yesterday's minutes (rounded)", async () => {
    const market = today(m("13:32"));
    const raw = await reader.loadMinuteSession([bbb.sid], YESTERDAY, ["close"]);
    expect(raw.fields.close![389]).toBeCloseTo(bbbY(389), 9); // stored unadjusted
    const close = await market.history(bbb, "close", 392, "1m");
    const want = Y.map((_, k) => Math.round(bbbY(k) * 500) / 1000);
    close.subarray(0, 390).forEach((v, k) => expect(v).toBeCloseTo(want[k], 9));
    expect([...close.subarray(390)]).toEqual([26, 26.1]); // today's: the feed's, unadjusted
    const high = await market.history(bbb, "high", 3, "1m");
    expect(high[0]).toBeCloseTo(want[389], 9);
    const volume = await market.history(bbb, "volume", 3, "1m");
    expect([...volume]).toEqual([600, 100, 100]);
    const price = await market.history(bbb, "price", 3, "1m");
    expect(price[0]).toBeCloseTo(want[389], 9);
  });

  test("an asset without bundle minutes: NaN-padded, price from yesterday's close", async () => {
    for (const source of [reader, undefined]) {
      const market = today(m("13:32"), source);
      expect([...await market.history(ccc, "close", 5, "1m")]).toEqual([...nans(3), 71, NaN]);
      expect([...await market.history(ccc, "volume", 5, "1m")]).toEqual([0, 0, 0, 100, 0]);
      expect([...await market.history(ccc, "price", 5, "1m")]).toEqual([70, 70, 70, 71, 71]);
    }
    // Longer than the bundle: NaN before its first session, its one bar a week ago, then filled.
    const market = today(m("13:32"));
    const before = [WEEK_AGO, Date.UTC(2024, 6, 2), Date.UTC(2024, 6, 3), Date.UTC(2024, 6, 5)]
      .reduce((n, s) => n + cal.session_minute_count(s), 0) + 390 + 2;
    const index = market.historyIndex(before + 10, "1m");
    expect([...index.subarray(0, 10)]).toEqual(nans(10));
    expect(index[10]).toBe(cal.session_minutes(WEEK_AGO)[0]);
    const price = await market.history(ccc, "price", before + 10, "1m");
    expect([...price.subarray(0, 11)]).toEqual([...nans(10), 70]);
    expect(price[before + 8]).toBe(71);
  });

  test("the bundle is read once per session, not on every call", async () => {
    const source = counting();
    const market = today(m("13:35"), source);
    const first = market.history(aaa, "close", 20, "1m");
    expect(first).toBeInstanceOf(Promise);
    // Asked again while the read is under way: the same read.
    const [a, b] = await Promise.all([first, market.history(aaa, "open", 20, "1m")]);
    expect(a[19]).toBeNaN();
    expect(b[18]).toBe(204);
    expect(source.reads).toBe(1);
    for (let i = 0; i < 200; i++) {
      for (const asset of [aaa, bbb, ccc]) {
        for (const f of ["open", "high", "low", "close", "volume", "price"] as const) {
          const w = market.history(asset, f, 1 + (i % 395), "1m");
          expect(w).toBeInstanceOf(Float64Array); // at hand: no read, no Promise
        }
      }
    }
    expect(source.reads).toBe(1); // BBB and CCC, tracked by the feed, joined AAA's read
    // A longer window needs earlier sessions: one more read, then at hand again.
    await market.history(bbb, "close", 800, "1m");
    expect(source.reads).toBe(2);
    expect(market.history(bbb, "close", 800, "1m")).toBeInstanceOf(Float64Array);
    // A new session reads again (its adjustments are as of that session).
    market.startSession(t);
    market.advanceTo(m("13:35"));
    await market.history(aaa, "close", 20, "1m");
    expect(source.reads).toBe(3);
  });

  test("settle waits for every read still running, a new session's start notwithstanding", async () => {
    // A read held until released: what a session's end finds when its strategy threw while a
    // window was being read (the bundle must not close under it).
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const held: MinuteBarSource = {
      loadMinuteRange: async (...a: Parameters<BundleReader["loadMinuteRange"]>) => {
        await gate;
        return reader.loadMinuteRange(...a);
      },
    };
    const market = today(m("13:35"), held);
    const window = market.history(aaa, "close", 20, "1m");
    expect(window).toBeInstanceOf(Promise);
    market.startSession(t); // forgets the read for its windows, not for settling
    let settled = false;
    const settling = market.settle().then(() => (settled = true));
    // Every callback queued so far runs before a timer's: the read is all that is left.
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    release();
    await settling;
    expect(settled).toBe(true);
    await window;
    await market.settle(); // nothing running: at once
  });

  test("before the first bar: yesterday's last minutes from the bundle", async () => {
    const market = new LiveMarket(portal, { now: () => m("12:45"), minutes: reader });
    portal.advanceTo(t - 1);
    market.startSession(t);
    expect([...market.historyIndex(3, "1m")]).toEqual(Y.slice(-3));
    const close = await market.history(bbb, "close", 3, "1m");
    close.forEach((v, k) => expect(v).toBeCloseTo(Math.round(bbbY(387 + k) * 500) / 1000, 9));
  });

  test("a live minute session (runLive) reads the bundle's minutes for data.history", async () => {
    const dir = csvFolder({ "AAPL.csv": csv(Y.map((x, k) => row(x, aaaY(k), 1000))) }, "minute");
    register("live-minute-e2e", csvdir_equities({ csvdir: dir }), { calendar_name: "XNYS" });
    const e2eRoot = tempRoot();
    await ingest("live-minute-e2e", { root: e2eRoot });
    const seen: number[][] = [];
    const strategy: Strategy = {
      initialize: async (c) => {
        c.asset = await c.symbol("AAPL");
      },
      handle_data: async (c, data) => {
        if (data.current_dt.getTime() !== m("13:35")) return;
        const h = await data.history(c.asset as Asset, "close", 8, "1m");
        seen.push([...h.values]);
      },
    };
    await minuteSession(e2eRoot, strategy, {
      start: "2024-07-09T13:29:00Z",
      end: "2024-07-09T13:37:00Z",
      bundle: "live-minute-e2e",
    });
    expect(seen).toEqual([[aaaY(387), aaaY(388), aaaY(389), 590, 590, 590, 590, 590]]);
  });
});
