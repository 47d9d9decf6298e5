/**
 * A minute backtest reuses the bundle arrays of the chunks it has dropped for the chunks it reads
 * later (a dozen 3.3 MB chunks a year of ten assets, each touched afresh page by page otherwise):
 * every bar still reads as written, and the windows a strategy kept from earlier chunks — views
 * of the visible arrays, which are never reused — keep their values.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { type BundleReader, csvdir_equities, ingest, load, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import { DailyPortal } from "../../runtime/portal/daily_portal.ts";
import { MinuteMarket } from "../../runtime/portal/minute_market.ts";
import { BufferPool } from "../../runtime/portal/buffer_pool.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

const cal = get_calendar("XNYS");
// 67 sessions, the run from the second: chunks of 1, 21, 21, 21 and 2 sessions. The fourth read
// is made as the third chunk starts, when the first has been dropped; the fifth as the fourth
// starts, when the second has been (its visible arrays as large as its bundle arrays).
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 0, 2), Date.UTC(2024, 4, 31)))
  .slice(0, 67);
/** The close of minute `k` of session `s`. */
const px = (s: number, k: number) => 100 + s + k / 1000;
const stamp = (m: number) => new Date(m).toISOString().slice(0, 19).replace("T", " ");

let reader: BundleReader;
let portal: DailyPortal;

beforeAll(async () => {
  const root = tempRoot();
  const lines = ["date,open,high,low,close,volume"];
  SESSIONS.forEach((s, si) =>
    cal.session_minutes(s).forEach((m, k) => {
      const p = px(si, k);
      lines.push(`${stamp(m)},${p},${p},${p},${p},${k + 1}`);
    })
  );
  register(
    "minute-reuse",
    csvdir_equities({ csvdir: csvFolder({ "A.csv": lines.join("\n") + "\n" }, "minute") }),
    {
      calendar_name: "XNYS",
    },
  );
  await ingest("minute-reuse", { root });
  reader = await load("minute-reuse", { root });
  portal = await DailyPortal.load(reader, SESSIONS[SESSIONS.length - 1]);
  return () => reader.close();
});

describe("BufferPool", () => {
  test("hands out the smallest free buffer that fits, new ones at the least size, keeps a bound", () => {
    const pool = new BufferPool(2, 800);
    const a = pool.take(10), b = pool.take(150);
    expect(a.length).toBe(10);
    expect(a.buffer.byteLength).toBe(800); // at least minBytes
    expect(b.buffer.byteLength).toBe(1200);
    const c = pool.take(5);
    pool.give([b, a, c]); // keeps two: b's and a's
    expect(pool.size).toBe(2);
    const d = pool.take(20);
    expect(d.buffer).toBe(a.buffer); // 800 bytes fit 20 numbers: the smaller of the two
    expect(d.length).toBe(20);
    expect(pool.take(120).buffer).toBe(b.buffer);
    expect(pool.size).toBe(0);
    pool.give([d, d]); // once, however often given
    expect(pool.size).toBe(1);
  });
});

describe("a minute run's chunks", () => {
  test("dropped chunks' bundle arrays serve later reads; kept windows hold their values", async () => {
    const buffers: ArrayBufferLike[][] = [];
    const recording = new Proxy(reader, {
      get(target, key) {
        if (key === "loadMinuteRange") {
          return async (...args: Parameters<BundleReader["loadMinuteRange"]>) => {
            const bars = await target.loadMinuteRange(...args);
            buffers.push(Object.values(bars.fields).map((f) => f!.buffer));
            return bars;
          };
        }
        const v = Reflect.get(target, key);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const t0 = portal.sessionIndex(SESSIONS[1]), t1 = portal.sessionIndex(SESSIONS[66]);
    const market = new MinuteMarket(portal, recording, t1);
    const [a] = portal.assets;
    const kept: { si: number; w: Float64Array }[] = [];
    for (let t = t0; t <= t1; t++) {
      await market.startSession(t);
      const si = t - t0 + 1;
      for (const k of [0, 100, market.sessionMinutes - 1]) {
        market.advanceMinute(k);
        expect(market.spot(a, "close")).toBe(px(si, k));
        expect(market.spot(a, "volume")).toBe(k + 1);
      }
      // A window within the session, kept as a strategy may keep it.
      market.advanceMinute(60);
      const w = await market.history(a, "close", 50, "1m");
      kept.push({ si, w });
    }
    await market.settle();
    for (const { si, w } of kept) {
      expect([...w]).toEqual(Array.from({ length: 50 }, (_, i) => px(si, 11 + i)));
    }
    expect(buffers.length).toBe(5);
    // The fourth read's arrays are the first chunk's, the fifth's the second's (the same
    // buffers, not equal ones); the first three reads share none.
    const same = (x: ArrayBufferLike[], y: ArrayBufferLike[]) => x.every((b, i) => b === y[i]);
    expect(same(buffers[3], buffers[0])).toBe(true);
    expect(same(buffers[4], buffers[1])).toBe(true);
    expect(new Set(buffers.slice(0, 3).flat()).size).toBe(15);
  });
});
