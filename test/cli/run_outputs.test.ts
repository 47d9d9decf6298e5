/**
 * What a backtest leaves, as a process: the summary's start, end and final value; a failed run's
 * outputs up to the failure, with the error in the summary; `-o -` with the strategy's own output
 * and the logs on stderr; warnings stamped with simulation time and repeats counted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester } from "./process.ts";

let root: string, dir: string;

beforeAll(() => {
  root = tempRoot();
  dir = mkdtempSync(join(root, "algos-"));
  writeFileSync(
    join(dir, "leverage.ts"),
    `import { order_target_percent, set_max_leverage, symbol } from "harvester/api";
export async function initialize(context) {
  context.asset = await symbol("AAPL");
  context.day = 0;
  set_max_leverage(1.5);
}
export async function handle_data(context) {
  context.day += 1;
  await order_target_percent(context.asset, context.day > 40 ? 3 : 0.5);
}
`,
  );
  writeFileSync(
    join(dir, "chatty.ts"),
    `import { order, symbol } from "harvester/api";
export async function initialize(context) {
  context.dell = await symbol("DELL");
  context.aapl = await symbol("AAPL");
}
export async function handle_data(context) {
  console.log("hello from the strategy");
  await order(context.dell, 10); // de-listed after 2013-10-29: refused with a warning
  await order(context.aapl, 10);
}
`,
  );
  const r = harvester(["ingest", "zipline-examples"], { root });
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

describe("a backtest's outputs", () => {
  test("the summary states start, end and final value, and the run's one timing", () => {
    const out = join(dir, "ok.csv");
    const r = harvester(
      ["backtest", join(dir, "leverage.ts"), "-s", "2014-01-02", "-e", "2014-02-14", "-o", out],
      { root },
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(out, "utf8").trim().split("\n");
    const cols = rows[0].split(",");
    const last = rows.at(-1)!.split(",");
    const value = Number(last[cols.indexOf("portfolio_value")]);
    expect(r.stdout).toMatch(/^Start\s+2014-01-02\nEnd\s+2014-02-14\nFinal value\s+([\d,.]+)\n/);
    const shown = Number(/Final value\s+([\d,.]+)/.exec(r.stdout)![1].replaceAll(",", ""));
    expect(shown).toBeCloseTo(value, 2);
    expect(r.stdout.match(/ s[;\n]/g)?.length).toBe(1); // one timing
    expect(r.stdout).toMatch(/\n31 sessions in \d+\.\d\d s; wrote /);
  }, 60_000);

  test("a failed run still writes its outputs up to the failure, the error in the summary", () => {
    const out = join(dir, "failed.csv");
    const r = harvester(
      ["backtest", join(dir, "leverage.ts"), "-s", "2014-01-02", "-e", "2014-12-31", "-o", out],
      { root },
    );
    expect(r.code).toBe(1);
    const failedLine =
      /the run failed at (\S+) 21:00 UTC after (\d+) sessions \(AccountControlViolation: Account violates account constraint MaxLeverage/
        .exec(r.stdout);
    expect(failedLine, r.stdout).not.toBeNull();
    const sessions = Number(failedLine![2]);
    expect(sessions).toBe(41); // day 41's order fills on day 42's bar, which breaks the limit
    const rows = readFileSync(out, "utf8").trim().split("\n");
    expect(rows.length).toBe(sessions + 1);
    expect(rows.at(-1)!.slice(0, 10) < failedLine![1]).toBe(true);
    expect(readFileSync(join(dir, "failed_transactions.csv"), "utf8")).toMatch(/AAPL/);
    expect(r.stderr).toMatch(
      /^harvester backtest: Account violates account constraint MaxLeverage\(\{'max_leverage': 1\.5\}\) at .* change the limit given to set_max_leverage\(\)\.\n {2}\(simulation time \S+ 21:00 UTC\)\n$/m,
    );
  }, 60_000);

  test("-o x.csv written on a thread of its own: the same files, also for a failed run", () => {
    // HARVESTER_OUTPUT_THREAD decides whatever the machine's cores (output_stream.ts).
    const files = (name: string) =>
      ["", "_positions", "_orders", "_transactions"].map((t) =>
        // Each run mints its own id prefix.
        readFileSync(join(dir, `${name}${t}.csv`), "utf8").replace(/hv[0-9a-f]+-/g, "hv-")
      );
    for (const [name, thread] of [["thread-on", "on"], ["thread-off", "off"]]) {
      const r = harvester(
        ["backtest", join(dir, "leverage.ts"), "-s", "2014-01-02", "-e", "2014-12-31", "-o"]
          .concat(join(dir, `${name}.csv`)),
        { root, env: { HARVESTER_OUTPUT_THREAD: thread } },
      );
      expect(r.code, r.stderr).toBe(1); // fails at session 42 (above), its outputs written
    }
    const on = files("thread-on"), off = files("thread-off");
    expect(on[3]).toMatch(/AAPL/);
    expect(on).toEqual(off);
    const bad = harvester(
      ["backtest", join(dir, "leverage.ts"), "-s", "2014-01-02", "-e", "2014-01-31", "-o"]
        .concat(join(dir, "bad.csv")),
      { root, env: { HARVESTER_OUTPUT_THREAD: "yes" } },
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/HARVESTER_OUTPUT_THREAD: use on or off/);
  }, 60_000);

  test(
    "-o - writes only the CSV on stdout; the strategy's prints and the logs go to stderr",
    () => {
      const r = harvester(
        ["backtest", join(dir, "chatty.ts"), "-s", "2013-10-01", "-e", "2013-12-31", "-o", "-"],
        { root },
      );
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split("\n");
      const width = lines[0].split(",").length;
      expect(lines[0]).toMatch(/^date,period_open,/);
      expect(lines.length).toBe(65); // header and 64 sessions
      expect(lines.every((l) => l.split(",").length === width)).toBe(true);
      expect(r.stdout).not.toMatch(/hello|warn/);
      expect(r.stderr.match(/hello from the strategy/g)?.length).toBe(64);
    },
    60_000,
  );

  test("warnings carry the simulation time; a repeated one is written once, then counted", () => {
    const r = harvester(
      ["backtest", join(dir, "chatty.ts"), "-s", "2013-10-01", "-e", "2013-12-31", "--no-summary"],
      { root },
    );
    expect(r.code, r.stderr).toBe(0);
    const events = r.stderr.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const refused = events.filter((e) => e.event === "order_refused");
    const after = get_calendar("XNYS").sessions_in_range(
      Date.UTC(2013, 9, 30),
      Date.UTC(2013, 11, 31),
    );
    expect(refused.length).toBe(2); // the first, then the count at the end
    expect(refused[0].sim_time).toBe("2013-10-30T20:00:00Z");
    expect(refused[0].message).toMatch(/^Cannot place order for DELL, as it has de-listed/);
    expect(refused[1]).toMatchObject({
      repeated: after.length,
      first_sim_time: "2013-10-30T20:00:00Z",
      sim_time: "2013-12-31T21:00:00Z",
      message: refused[0].message,
    });
  }, 60_000);

  test("--timings says where the process's time went, parts within the total", () => {
    const out = join(dir, "timed.parquet");
    const r = harvester(
      [
        "backtest",
        join(dir, "leverage.ts"),
        "-s",
        "2014-01-02",
        "-e",
        "2014-02-14",
        "-o",
        out,
        "--timings",
        "--no-summary",
      ],
      { root },
    );
    expect(r.code, r.stderr).toBe(0);
    const line = r.stderr.split("\n").find((l) => l.startsWith("timings: "));
    expect(line, r.stderr).toBeDefined();
    const parts = Object.fromEntries(
      line!.slice(9).split(" · ").map((p) => {
        const m = p.match(/^(.+) ([\d,]+) ms$/)!;
        return [m[1], Number(m[2].replaceAll(",", ""))];
      }),
    );
    expect(Object.keys(parts)).toEqual([
      "start-up",
      "strategy load",
      "bundle load",
      "set-up",
      "simulation",
      "writing",
      "total",
    ]);
    const sum = Object.entries(parts).filter(([k]) => k !== "total").reduce((a, [, v]) => a + v, 0);
    expect(sum).toBeLessThanOrEqual(parts.total + 7); // each part rounded
    expect(parts.writing).toBeGreaterThan(0); // four Parquet files through DuckDB
  }, 60_000);
});
