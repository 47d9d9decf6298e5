/**
 * The pieces minute windows are assembled from (runtime/portal/minute_chunks.ts), on chunks made
 * by hand: two sessions of three minutes each, two assets.
 */
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import {
  adjustRun,
  type Chunk,
  closeBefore,
  copyChunkTail,
  holds,
  sessionOfPos,
  sessionsBack,
  windowStart,
} from "../../runtime/portal/minute_chunks.ts";

const CLOSE = 3;

/** A chunk of sessions `first`, `first + 1` (3 minutes each); asset 1's close `10 * p + 1`. */
function chunk(first: number, closes: number[][]): Chunk {
  const n = 6, close = new Float64Array(2 * n);
  closes.forEach((row, a) => row.forEach((v, p) => close[a * n + p] = v));
  return {
    first,
    bars: {
      sessions: new Float64Array(2),
      minutes: Float64Array.from({ length: n }, (_, p) => p * 60_000),
      sessionStarts: Int32Array.of(0, 3, 6),
      fields: {},
    },
    sources: [close, close, close, close, close],
    targets: [null, null, null, null, null],
    shown: new Int32Array(10),
  };
}

const a0 = [1, 2, 3, 4, 5, 6], a1 = [11, NaN, 31, NaN, NaN, 61];

describe("minute chunk parts", () => {
  const older = chunk(0, [a0, a1]), prev = chunk(2, [a0, a1]), cur = chunk(4, [a0, a1]);

  test("sessionOfPos: a position's portal session", () => {
    expect([0, 2, 3, 5].map((p) => sessionOfPos(cur, p))).toEqual([4, 4, 5, 5]);
  });

  test("windowStart: in the chunk, or counted back through the chunks before it", () => {
    expect(windowStart(cur, 2, [])).toEqual([cur, 2]);
    expect(windowStart(cur, -1, [prev, older])).toEqual([prev, 5]);
    expect(windowStart(cur, -6, [prev, older])).toEqual([prev, 0]);
    expect(windowStart(cur, -7, [prev, older])).toEqual([older, 5]);
    expect(windowStart(cur, -13, [prev, older])).toBeNull();
  });

  test("closeBefore: the last close earlier in the same session only", () => {
    expect(closeBefore(cur, 1, 2, CLOSE)).toBe(11); // 31 is at 2 itself; 11 before it
    expect(closeBefore(cur, 1, 5, CLOSE)).toBeNaN(); // minutes 3, 4 of the second session: none
    expect(closeBefore(cur, 0, 3, CLOSE)).toBeNaN(); // a session's first minute
    expect(closeBefore(cur, 0, 5, CLOSE)).toBe(5);
  });

  test("copyChunkTail: the chunk's last minutes at the end given, adjusted before today", () => {
    const out = new Float64Array(4).fill(-1);
    // The window's out[0…3) are the chunk's last three minutes (its second session, 3).
    copyChunkTail(out, prev, CLOSE, 0, 3, 3, (s) => (s < 3 ? 0.5 : 1));
    expect([...out]).toEqual([4, 5, 6, -1]);
    copyChunkTail(out, prev, CLOSE, 0, 4, 4, (s) => (s < 3 ? 0.5 : 1));
    expect([...out]).toEqual([1.5, 4, 5, 6]); // position 2 is session 2: halved
    const untouched = new Float64Array(2).fill(-1);
    copyChunkTail(untouched, prev, CLOSE, 0, 0, 4, () => 2);
    expect([...untouched]).toEqual([-1, -1]);
  });

  test("adjustRun: stops at today's first bar", () => {
    const out = Float64Array.of(1, 2, 3, 4);
    adjustRun(out, cur, 1, 0, 4, 5, () => 10);
    expect([...out]).toEqual([10, 20, 3, 4]); // positions 1, 2 are session 4; 3 is today (5)
  });

  test("holds and sessionsBack: an older read that ends where the held ones begin", () => {
    expect(holds(older, 2, 6)).toBe(true);
    expect(holds(older, 2, 7)).toBe(true); // fewer minutes, but from the data's first session
    expect(holds(prev, 4, 7)).toBe(false); // more minutes than it has, and data before it
    expect(holds(older, 4, 1)).toBe(false); // not adjacent
    expect(holds(null, 2, 1)).toBe(false);
    const xnys = get_calendar("XNYS");
    const sessions = xnys.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 12));
    const portal = { calendar: xnys, sessions };
    // 3 July closes early (210 minutes): 400 minutes before index 3 (5 July) need 3 July and 2 July.
    expect(sessionsBack(portal, 3, 400, 1)).toBe(1);
    expect(sessionsBack(portal, 3, 1, 1)).toBe(2);
    expect(sessionsBack(portal, 3, 1, 21)).toBe(0); // a whole chunk's worth: down to the first
  });
});
