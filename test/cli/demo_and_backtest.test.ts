/** The README's first command and `harvester backtest`, as processes. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";

const harvester = (args: string[], env: Record<string, string>) =>
  spawnSync(Deno.execPath(), ["run", "-A", "runtime/cli/main.ts", ...args], {
    env: { ...Deno.env.toObject(), ...env },
    encoding: "utf8",
  });

describe("harvester demo and backtest", () => {
  test("demo ingests the shipped bundle, backtests, and writes the perf table and charts", () => {
    const root = tempRoot(), out = join(tempRoot("hv-demo-"), "demo");
    const r = harvester(["demo", "--out", out], { HARVESTER_ROOT: root });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Sharpe ratio/);
    expect(r.stdout).toMatch(/2517 sessions backtested/);
    const csv = readFileSync(join(out, "perf.csv"), "utf8").split("\n");
    expect(csv[0]).toMatch(/^date,period_open,period_close,period_label,returns,/);
    expect(csv.length).toBe(2519); // header, 2,517 sessions, final newline
    const svg = readFileSync(join(out, "equity.svg"), "utf8");
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/<path/);
    expect(existsSync(join(out, "drawdown.svg"))).toBe(true);
  });
  test("backtest with -D params, an output file and a bad date", () => {
    const root = tempRoot(), dir = tempRoot("hv-out-");
    const ok = harvester([
      "backtest",
      "strategies/dual_moving_average_explained.ts",
      "-s",
      "2010-01-01",
      "-e",
      "2010-12-31",
      "--no-benchmark",
      "-D",
      "short=5",
      "-D",
      "long=20",
      "-o",
      join(dir, "r.json"),
    ], { HARVESTER_ROOT: root });
    expect(ok.status, ok.stderr).toBe(0);
    // A list of records (what pandas.read_json reads); side tables in files of their own.
    const perf = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(perf.length).toBe(252);
    expect(perf[30].short_mavg).toBeTypeOf("number");
    expect(JSON.parse(readFileSync(join(dir, "r_transactions.json"), "utf8"))).toBeInstanceOf(
      Array,
    );
    const bad = harvester([
      "backtest",
      "strategies/buyapple.ts",
      "-s",
      "2014-13-01",
      "-e",
      "2014-12-31",
    ], { HARVESTER_ROOT: root });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      'harvester backtest: --start: "2014-13-01" is not a date in YYYY-MM-DD form',
    );
    const missing = harvester(["backtest", "nope.ts", "-s", "2014-01-01", "-e", "2014-12-31"], {
      HARVESTER_ROOT: root,
    });
    expect(missing.stderr).toMatch(/strategy file nope\.ts does not exist/);
  });
});
