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
  test("a date outside 1990–2050 says so", async () => {
    const r = await cli(["calendar", "XNYS", "--start", "2051-01-01", "--end", "2051-02-01"]);
    expect(r.stderr).toMatch(/outside the calendars' range 1990-01-01 to 2050-12-31/);
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
