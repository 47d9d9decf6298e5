/**
 * `get_datetime(tz)` returns the simulation time in that zone (zipline: a tz-converted pandas
 * Timestamp), and `symbol(s, country_code)` looks in that country only.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { get_datetime, symbol } from "../../runtime/api/mod.ts";
import { ZonedDate } from "../../runtime/api/zoned_date.ts";
import { tempRoot } from "../bundles/helpers.ts";

let root: string;
beforeAll(() => {
  root = tempRoot();
});

describe("get_datetime(tz)", () => {
  test("a daily run's bars are the NYSE close in New York, across DST and an early close", async () => {
    const seen: { utc: string; ny: string; hour: number; dow: number; same: boolean }[] = [];
    await run_algorithm({
      strategy: {
        initialize: () => {},
        handle_data: () => {
          const ny = get_datetime("America/New_York"), utc = get_datetime();
          seen.push({
            utc: utc.toString(),
            ny: ny.toString(),
            hour: ny.getHours(),
            dow: ny.dayofweek,
            same: ny.getTime() === utc.getTime(),
          });
        },
      },
      start: "2014-03-07",
      end: "2014-07-07",
      root,
      no_benchmark: true,
    });
    expect(seen.every((s) => s.same)).toBe(true);
    // Friday 2014-03-07 (EST), Monday 2014-03-10 (after the switch to EDT).
    expect(seen[0]).toEqual({
      utc: "2014-03-07T21:00:00Z",
      ny: "2014-03-07T16:00:00-05:00",
      hour: 16,
      dow: 4,
      same: true,
    });
    expect(seen[1].ny).toBe("2014-03-10T16:00:00-04:00");
    expect(seen[1].utc).toBe("2014-03-10T20:00:00Z");
    // 2014-07-03 closed at 13:00.
    expect(seen.find((s) => s.ny.startsWith("2014-07-03"))?.hour).toBe(13);
    expect(seen.filter((s) => s.hour === 16).length).toBe(seen.length - 1);
  });

  test("the fields are the zone's, never the machine's; a bad zone is named", () => {
    const d = new ZonedDate(Date.UTC(2014, 0, 6, 14, 31), "Asia/Tokyo");
    expect([d.year, d.month, d.day, d.hour, d.minute]).toEqual([2014, 1, 6, 23, 31]);
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getDay()]).toEqual([2014, 0, 6, 1]);
    expect(d.getTimezoneOffset()).toBe(-540);
    expect(d.tz_convert("UTC").toString()).toBe("2014-01-06T14:31:00Z");
    expect(() => new ZonedDate(0, "Mars/Olympus")).toThrow(
      /get_datetime: tz: is not a time zone; use an IANA name such as America\/New_York/,
    );
  });
});

describe("symbol(s, country_code)", () => {
  test("finds the asset in its country and refuses another, pointing at harvester assets", async () => {
    const out: string[] = [];
    await expect(run_algorithm({
      strategy: {
        initialize: async () => {
          out.push((await symbol("AAPL", "US")).symbol);
          await symbol("AAPL", "DE");
        },
      },
      start: "2014-01-02",
      end: "2014-01-10",
      root,
      no_benchmark: true,
    })).rejects.toThrow(
      "Symbol 'AAPL' was not found (as of 2014-01-10, country DE); `harvester assets BUNDLE` lists the symbols a bundle holds",
    );
    expect(out).toEqual(["AAPL"]);
  });
});
