import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { cli } from "./helpers.ts";

describe("harvester calendar", () => {
  test("prints session,open,close as ISO-8601 UTC instants", async () => {
    const r = await cli(["calendar", "NYSE", "--start", "2024-07-02", "--end", "2024-07-05"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "session,open,close",
        "2024-07-02,2024-07-02T13:30:00Z,2024-07-02T20:00:00Z",
        "2024-07-03,2024-07-03T13:30:00Z,2024-07-03T17:00:00Z",
        "2024-07-05,2024-07-05T13:30:00Z,2024-07-05T20:00:00Z",
        "",
      ].join("\n"),
    );
  });
  test("json format", async () => {
    const r = await cli([
      "calendar",
      "XLON",
      "-s",
      "2024-01-02",
      "-e",
      "2024-01-02",
      "--format",
      "json",
    ]);
    expect(JSON.parse(r.stdout)).toEqual([
      { session: "2024-01-02", open: "2024-01-02T08:00:00Z", close: "2024-01-02T16:30:00Z" },
    ]);
  });
  test("an unknown calendar lists the known names", async () => {
    const r = await cli(["calendar", "MOON"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown calendar "MOON"; known calendars: .*XNYS/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
  test("a bad date names the argument", async () => {
    const r = await cli(["calendar", "XNYS", "--end", "2024-02-30"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--end: "2024-02-30" is not a date/);
  });
  test("a date outside the calendar's span says so", async () => {
    const r = await cli(["calendar", "XNYS", "--start", "2051-01-01", "--end", "2051-02-01"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /--start 2051-01-01 is outside calendar XNYS's range 1990-01-01 to 2050-12-31/,
    );
    // Each calendar has its own span: Taipei's answer file reaches back to 1911.
    const tw = await cli(["calendar", "XTAI", "-s", "1911-01-02", "-e", "1911-01-03"]);
    expect(tw.stdout.trim().split("\n")).toHaveLength(3);
  });
  test("a calendar with a lunch break prints break_start,break_end (empty on a half day)", async () => {
    const r = await cli(["calendar", "HKEX", "--start", "2024-12-23", "--end", "2024-12-24"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "session,open,close,break_start,break_end",
        // 09:30-16:00 Hong Kong (UTC+8), lunch 12:00-13:00; Christmas Eve closes at 12:00.
        "2024-12-23,2024-12-23T01:30:00Z,2024-12-23T08:00:00Z,2024-12-23T04:00:00Z,2024-12-23T05:00:00Z",
        "2024-12-24,2024-12-24T01:30:00Z,2024-12-24T04:00:00Z,,",
        "",
      ].join("\n"),
    );
    const json = await cli([
      "calendar",
      "XTKS",
      "-s",
      "2024-07-01",
      "-e",
      "2024-07-01",
      "--format",
      "json",
    ]);
    expect(JSON.parse(json.stdout)).toEqual([{
      session: "2024-07-01",
      open: "2024-07-01T00:00:00Z",
      close: "2024-07-01T06:00:00Z",
      break_start: "2024-07-01T02:30:00Z",
      break_end: "2024-07-01T03:30:00Z",
    }]);
  });
  test("--list shows every calendar with its time zone, hours and break", async () => {
    const r = await cli(["calendar", "--list"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME +TIME ZONE +HOURS \(LOCAL\) +BREAK +FROM +TO +ALIASES$/);
    expect(lines).toHaveLength(1 + 71); // 70 exchange_calendars answer files' calendars + us_futures
    expect(r.stdout).toMatch(/^XTKS +Asia\/Tokyo +09:00-15:30 +11:30-12:30 +1997 +2050 +JPX$/m);
    expect(r.stdout).toMatch(/^us_futures +America\/New_York +18:00 \(day before\)-18:00 /m);
    expect(r.stdout).toMatch(/^XNYS +America\/New_York +09:30-16:00 .*NYSE NASDAQ/m);
    const csv = await cli(["calendar", "--list", "--format", "csv"]);
    expect(csv.stdout.split("\n")[0]).toBe("name,tz,hours,break,first_year,last_year,aliases");
    expect(csv.stdout).toMatch(/^XHKG,Asia\/Hong_Kong,09:30-16:00,12:00-13:00,1990,2049,HKEX$/m);
  });
  test("unknown options and commands are usage errors", async () => {
    expect((await cli(["calendar", "XNYS", "--bogus"])).code).toBe(2);
    const r = await cli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
  });
  test("--help for the command and the whole CLI", async () => {
    expect((await cli(["calendar", "--help"])).stdout).toMatch(/^harvester calendar NAME/);
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calendar/);
  });
  test("the real process exits non-zero with one line, and a stack only with --debug", () => {
    const run = (...a: string[]) =>
      spawnSync(Deno.execPath(), ["run", "-A", "runtime/cli/main.ts", ...a], { encoding: "utf8" });
    const plain = run("calendar", "XNYS", "--start", "nope");
    expect(plain.status).toBe(2);
    expect(plain.stderr.trim().split("\n")).toHaveLength(1);
    const debug = run("calendar", "XNYS", "--start", "nope", "--debug");
    expect(debug.stderr).toMatch(/at .*calendar_command\.ts/);
  });
});
