/**
 * The realtime clock on a simulated time source: a start in the middle of a session, the
 * before_trading_start offset on a 24/7 calendar, several days, the broker's skew, and the
 * wait for a minute's bars.
 */
import { describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { type ClockEvent, realtimeClock } from "../../runtime/live/realtime_clock.ts";

/** A fake time source: sleeping moves it forward. */
function fakeTime(start: number) {
  const t = { now: start, slept: 0 };
  return {
    t,
    now: () => t.now,
    sleep: (ms: number) => {
      t.now += ms;
      t.slept += ms;
      return Promise.resolve();
    },
  };
}

async function collect(gen: AsyncGenerator<ClockEvent>): Promise<ClockEvent[]> {
  const out: ClockEvent[] = [];
  for await (const e of gen) out.push(e);
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe("realtime clock", () => {
  test("a start in the middle of an XNYS session runs the remaining minutes to the end", async () => {
    const f = fakeTime(Date.parse("2024-01-02T20:55:30Z"));
    const events = await collect(realtimeClock({
      calendar: get_calendar("XNYS"),
      end: Date.parse("2024-01-02T21:00:00Z"),
      now: f.now,
      sleep: f.sleep,
    }));
    expect(events.map((e) => `${e.kind} ${iso(e.time)}`)).toEqual([
      "session_start 2024-01-02T20:55",
      "before_trading_start 2024-01-02T20:55",
      "bar 2024-01-02T20:56",
      "bar 2024-01-02T20:57",
      "bar 2024-01-02T20:58",
      "bar 2024-01-02T20:59",
      "bar 2024-01-02T21:00",
      "session_end 2024-01-02T21:00",
    ]);
    expect(events.at(-1)).toMatchObject({ complete: true });
  });

  test("24/7: before_trading_start at the configured offset; bars run across midnight", async () => {
    const f = fakeTime(Date.parse("2024-01-02T23:00:00Z"));
    const events = await collect(realtimeClock({
      calendar: get_calendar("24/7"),
      end: Date.parse("2024-01-03T00:03:00Z"),
      now: f.now,
      sleep: f.sleep,
      btsMinutesBeforeOpen: 30,
      // only the session of 01-03 is still ahead after its BTS; skip most of 01-02's minutes
    }));
    const kinds = events.filter((e) => e.kind !== "bar").map((e) => `${e.kind} ${iso(e.time)}`);
    expect(kinds).toEqual([
      "session_start 2024-01-02T23:00",
      "before_trading_start 2024-01-02T23:00",
      "session_end 2024-01-03T00:00",
      "session_start 2024-01-03T00:00",
      "before_trading_start 2024-01-03T00:00",
      "session_end 2024-01-03T00:03",
    ]);
    const bars = events.filter((e) => e.kind === "bar");
    expect(bars).toHaveLength(60 + 3);
    expect(iso(bars[0].time)).toBe("2024-01-02T23:01");
    expect(events.at(-1)).toMatchObject({ complete: false });
  });

  test("before_trading_start waits for open minus the offset (not a New York hour)", async () => {
    const f = fakeTime(Date.parse("2024-01-01T22:00:00Z"));
    const seen: string[] = [];
    for await (
      const e of realtimeClock({
        calendar: get_calendar("24/7"),
        end: Date.parse("2024-01-02T00:01:00Z"),
        now: f.now,
        sleep: f.sleep,
        btsMinutesBeforeOpen: 45,
      })
    ) {
      seen.push(`${e.kind} ${iso(f.now())}`);
      if (e.kind === "session_end") break;
    }
    // 01-01's session is still running at 22:00: it goes first, then 01-02's BTS at 23:15.
    expect(seen).toContain("before_trading_start 2024-01-01T22:00");
    const next = seen.filter((s) => s.startsWith("session_start"));
    expect(next).toEqual(["session_start 2024-01-01T22:00"]);
    const f2 = fakeTime(Date.parse("2024-01-02T03:00:00Z"));
    const x = await collect(realtimeClock({
      calendar: get_calendar("XNYS"),
      end: Date.parse("2024-01-02T14:32:00Z"),
      now: f2.now,
      sleep: f2.sleep,
      btsMinutesBeforeOpen: 45,
    }));
    expect(x.slice(0, 2).map((e) => `${e.kind} ${iso(e.time)}`)).toEqual([
      "session_start 2024-01-02T13:45",
      "before_trading_start 2024-01-02T13:45",
    ]);
  });

  test("across days: XNYS sessions back to back, nothing on the weekend", async () => {
    const f = fakeTime(Date.parse("2024-01-05T20:58:00Z")); // a Friday
    const events = await collect(realtimeClock({
      calendar: get_calendar("XNYS"),
      end: Date.parse("2024-01-08T14:33:00Z"),
      now: f.now,
      sleep: f.sleep,
    }));
    expect(events.map((e) => `${e.kind} ${iso(e.time)}`)).toEqual([
      "session_start 2024-01-05T20:58",
      "before_trading_start 2024-01-05T20:58",
      "bar 2024-01-05T20:59",
      "bar 2024-01-05T21:00",
      "session_end 2024-01-05T21:00",
      "session_start 2024-01-08T13:45",
      "before_trading_start 2024-01-08T13:45",
      "bar 2024-01-08T14:31",
      "bar 2024-01-08T14:32",
      "bar 2024-01-08T14:33",
      "session_end 2024-01-08T14:33",
    ]);
  });

  test("the broker's skew moves every wait; bars are awaited up to the grace", async () => {
    const f = fakeTime(Date.parse("2024-01-02T20:57:30Z"));
    const ready = new Set([Date.parse("2024-01-02T20:59:00Z")]);
    const events: { e: ClockEvent; at: number }[] = [];
    for await (
      const e of realtimeClock({
        calendar: get_calendar("XNYS"),
        end: Date.parse("2024-01-02T21:00:00Z"),
        now: f.now,
        sleep: f.sleep,
        skewMs: () => 10_000, // the broker is 10 s ahead of us
        barsReady: (m) => ready.has(m),
        barGraceMs: 1500,
        pollMs: 500,
      })
    ) events.push({ e, at: f.now() });
    const bars = events.filter((x) => x.e.kind === "bar");
    expect(bars.map((b) => iso(b.e.time))).toEqual([
      "2024-01-02T20:58",
      "2024-01-02T20:59",
      "2024-01-02T21:00",
    ]);
    // 20:58 at broker time = 20:57:50 ours, then the whole grace without bars; 20:59 was ready.
    expect(bars[0].at).toBe(Date.parse("2024-01-02T20:57:51.500Z"));
    expect(bars[1].at).toBe(Date.parse("2024-01-02T20:58:50Z"));
    expect(bars[0].e).toMatchObject({ waitedMs: 1500 });
  });

  test("stop ends the clock", async () => {
    const f = fakeTime(Date.parse("2024-01-02T14:30:00Z"));
    let n = 0;
    const events = await collect(realtimeClock({
      calendar: get_calendar("XNYS"),
      end: Date.parse("2024-01-02T21:00:00Z"),
      now: f.now,
      sleep: f.sleep,
      stop: () => n++ > 6,
    }));
    expect(events.length).toBeLessThan(8);
  });
});
