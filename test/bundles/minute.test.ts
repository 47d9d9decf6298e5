/** Minute csvdir data: stored on the calendar's minutes, read session by session, rolled up to days. */
import { describe, expect, test } from "vitest";
import { ingest, IngestError, load } from "../../bundles/mod.ts";
import { csvFolder, tempRoot } from "./helpers.ts";

const HEAD = "date,open,high,low,close,volume";

function minuteCsv(...rows: string[]): string {
  return [HEAD, ...rows].join("\n") + "\n";
}

describe("minute bars", () => {
  test("ingest, read one session, and roll daily bars up from minutes", async () => {
    const dir = csvFolder({
      "A.csv": minuteCsv(
        "2024-07-03 13:31:00,10,11,9.5,10.5,100",
        "2024-07-03 13:32:00,10.5,12,10,11,200",
        "2024-07-03 17:00:00,11,11.5,10.8,11.2,50", // the last minute of the early close
        "2024-07-05 13:31:00,11.2,11.3,11,11.1,70",
      ),
    }, "minute");
    const root = tempRoot();
    await ingest("csvdir", { root, environ: { CSVDIR: dir } });
    const r = await load("csvdir", { root });
    const s = await r.loadMinuteSession([0], Date.UTC(2024, 6, 3), ["close", "volume"]);
    expect(s.minutes.length).toBe(210);
    expect(s.fields.close![0]).toBe(10.5);
    expect(s.fields.close![1]).toBe(11);
    expect(Number.isNaN(s.fields.close![2])).toBe(true);
    expect(s.fields.close![209]).toBe(11.2);
    expect(s.fields.volume![2]).toBe(0);
    const d = await r.loadDaily([0], Date.UTC(2024, 6, 3), Date.UTC(2024, 6, 5));
    expect(Array.from(d.fields.open!)).toEqual([10, 11.2]);
    expect(Array.from(d.fields.high!)).toEqual([12, 11.3]);
    expect(Array.from(d.fields.low!)).toEqual([9.5, 11]);
    expect(Array.from(d.fields.close!)).toEqual([11.2, 11.1]);
    expect(Array.from(d.fields.volume!)).toEqual([350, 70]);
    r.close();
  });
  test("a bar outside trading minutes is an error naming its line", async () => {
    const dir = csvFolder({
      "A.csv": minuteCsv(
        "2024-07-03 13:31:00,10,11,9.5,10.5,100",
        "2024-07-03 17:01:00,10,11,9.5,10.5,100",
      ),
    }, "minute");
    const err = await ingest("csvdir", { root: tempRoot(), environ: { CSVDIR: dir } }).catch((e) =>
      e
    );
    expect(err).toBeInstanceOf(IngestError);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(
      /2024-07-03T17:01:00\.000Z is not a trading minute of calendar XNYS/,
    );
  });
});

describe("minute bars on a calendar with a lunch break", () => {
  test("Tokyo: minutes skip 11:30-12:30; a bar inside the break is rejected", async () => {
    // XTKS 2024-07-01: 09:00-11:30 and 12:30-15:00 Tokyo (UTC+9); bars labelled by their end.
    const dir = csvFolder({
      "A.csv": minuteCsv(
        "2024-07-01 00:01:00,10,11,9.5,10.5,100", // 09:01, the first minute
        "2024-07-01 02:30:00,10.5,12,10,11,200", // 11:30, the morning's last
        "2024-07-01 03:31:00,11,11.5,10.8,11.2,50", // 12:31, the afternoon's first
        "2024-07-01 06:00:00,11.2,11.3,11,11.1,70", // 15:00, the last
      ),
    }, "minute");
    const root = tempRoot();
    await ingest("csvdir", { root, environ: { CSVDIR: dir }, calendar: "XTKS" });
    const r = await load("csvdir", { root });
    const s = await r.loadMinuteSession([0], Date.UTC(2024, 6, 1), ["close"]);
    expect(s.minutes.length).toBe(300);
    expect(s.minutes[149]).toBe(Date.UTC(2024, 6, 1, 2, 30));
    expect(s.minutes[150]).toBe(Date.UTC(2024, 6, 1, 3, 31));
    expect(s.fields.close![0]).toBe(10.5);
    expect(s.fields.close![149]).toBe(11);
    expect(s.fields.close![150]).toBe(11.2);
    expect(s.fields.close![299]).toBe(11.1);
    r.close();

    const lunch = csvFolder({
      "A.csv": minuteCsv("2024-07-01 00:01:00,10,11,9.5,10.5,100", "2024-07-01 03:00:00,1,1,1,1,1"),
    }, "minute");
    const err = await ingest("csvdir", {
      root: tempRoot(),
      environ: { CSVDIR: lunch },
      calendar: "XTKS",
    }).catch((e) => e);
    expect(err).toBeInstanceOf(IngestError);
    expect(err.line).toBe(3);
    expect(err.message).toMatch(
      /2024-07-01T03:00:00\.000Z is not a trading minute of calendar XTKS/,
    );
  });
});
