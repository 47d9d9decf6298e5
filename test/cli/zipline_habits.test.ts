/**
 * zipline's command line as its users type it (zipline-reloaded `__main__.py`): `ingest -b`,
 * `run -f/-t`, `-bf`, `--benchmark-sid`, `--no-benchmark`, `-x key=value`, `--trading-calendar`,
 * `clean -e/-a`, and hints for what Harvester does not take (`.pickle`, `.py`). Real processes.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, REPO } from "./process.ts";

let root: string, out: string;
const SPY = join(REPO, "bundles/data/zipline_examples/SPY_benchmark.csv");
const RANGE = ["-s", "2014-01-02", "-e", "2014-03-31"];

beforeAll(() => {
  root = tempRoot();
  out = mkdtempSync(join(root, "out-"));
  // zipline: `zipline ingest -b quantopian-quandl`.
  const r = harvester(["ingest", "-b", "zipline-examples"], { root });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^ingested zipline-examples: version \S+, 9 assets/);
}, 120_000);

const csv = (name: string) => readFileSync(join(out, name), "utf8");

describe("zipline's command line", () => {
  test("run -f ALGO -o OUT is backtest ALGO -o OUT", () => {
    const a = harvester(
      ["run", "-f", "strategies/buyapple.ts", ...RANGE, "--no-benchmark", "-o", join(out, "a.csv")],
      { root },
    );
    expect(a.code, a.stderr).toBe(0);
    const b = harvester(
      ["backtest", "strategies/buyapple.ts", ...RANGE, "--no-benchmark", "-o", join(out, "b.csv")],
      { root },
    );
    expect(b.code, b.stderr).toBe(0);
    expect(csv("a.csv").split("\n").length).toBe(63); // header, 61 sessions, final newline
    expect(csv("a.csv")).toBe(csv("b.csv"));
    expect(csv("a_transactions.csv")).toMatch(/AAPL/);
  }, 120_000);

  test("run -t TEXT runs a strategy given as text", () => {
    const text = `import { order, symbol } from "harvester/api";
export async function initialize(context) { context.a = await symbol("MSFT"); }
export async function handle_data(context) { await order(context.a, 7); }`;
    const r = harvester(
      ["run", "-t", text, ...RANGE, "--no-benchmark", "-o", join(out, "t.csv")],
      { root },
    );
    expect(r.code, r.stderr).toBe(0);
    const fills = csv("t_transactions.csv").trim().split("\n").slice(1);
    expect(fills.length).toBe(60); // an order every session, each filled on the next bar
    expect(fills.every((l) => l.includes(",MSFT,7,"))).toBe(true);
  }, 120_000);

  test("-bf is --benchmark-file; --benchmark-sid N is the asset's --benchmark-symbol", () => {
    const run = (name: string, flags: string[]) => {
      const r = harvester(
        ["run", "-f", "strategies/buyapple.ts", ...RANGE, ...flags, "-o", join(out, name)],
        { root },
      );
      expect(r.code, r.stderr).toBe(0);
      return csv(name);
    };
    const short = run("bf.csv", ["-bf", SPY]);
    expect(short).toBe(run("bfl.csv", ["--benchmark-file", SPY]));
    const header = short.split("\n")[0].split(",");
    const col = header.indexOf("benchmark_period_return");
    expect(Number(short.trim().split("\n").at(-1)!.split(",")[col])).not.toBe(0);

    const listed = harvester(["assets", "zipline-examples", "--format", "json"], { root });
    const msft = JSON.parse(listed.stdout).find((a: { symbol: string }) => a.symbol === "MSFT");
    expect(run("sid.csv", ["--benchmark-sid", String(msft.sid)])).toBe(
      run("sym.csv", ["--benchmark-symbol", "MSFT"]),
    );
  }, 120_000);

  test("-x key=value is -D key=value; --trading-calendar is taken", () => {
    const x = harvester([
      "run",
      "-f",
      "strategies/dual_moving_average_explained.ts",
      ...RANGE,
      "--no-benchmark",
      "-x",
      "short=5",
      "-x",
      "long=20",
      "--trading-calendar",
      "XNYS",
      "-o",
      join(out, "x.csv"),
    ], { root });
    expect(x.code, x.stderr).toBe(0);
    const d = harvester([
      "backtest",
      "strategies/dual_moving_average_explained.ts",
      ...RANGE,
      "--no-benchmark",
      "-D",
      "short=5",
      "-D",
      "long=20",
      "-o",
      join(out, "d.csv"),
    ], { root });
    expect(d.code, d.stderr).toBe(0);
    expect(csv("x.csv")).toBe(csv("d.csv"));
    expect(csv("x.csv").split("\n")[0]).toMatch(/short_mavg/);
  }, 120_000);

  test("zipline's .pickle output and a .py strategy get what to use instead", () => {
    const pickle = harvester(
      ["run", "-f", "strategies/buyapple.ts", ...RANGE, "-o", "perf.pickle"],
      { root },
    );
    expect(pickle.code).toBe(2);
    expect(pickle.stderr).toMatch(
      /Harvester does not write Python pickles; use -o perf\.parquet \(pandas\.read_parquet\), perf\.csv \(pandas\.read_csv\) or perf\.json/,
    );
    const py = harvester(["run", "-f", "algo.py", ...RANGE], { root });
    expect(py.code).toBe(2);
    expect(py.stderr).toMatch(
      /algo\.py is a Python file: Harvester runs TypeScript strategies\. Port it \(the README's "Coming from zipline"/,
    );
  }, 120_000);

  test("clean -e/-a as zipline's clean takes them", () => {
    const r = harvester(["clean", "-b", "zipline-examples", "-a", "2999-01-01"], { root });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("nothing to remove for zipline-examples\n");
    const e = harvester(["clean", "-b", "zipline-examples", "-e", "1999-01-01"], { root });
    expect(e.stdout).toBe("nothing to remove for zipline-examples\n");
  }, 120_000);
});
