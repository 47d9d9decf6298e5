/**
 * The tearsheet of a run that goes below zero (zipline's olmar example, 2004–2007, whose
 * portfolio value turns negative) warns and still shows every section; the CLI's
 * `--report-title`, `-o perf.json` and `--pyfolio DIR`, read back with Debian's pandas
 * (`python3-pandas`) exactly as the README loads them for `pf.create_full_tear_sheet`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { cli } from "../cli/helpers.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { tearsheetHtml } from "../../runtime/metrics/report/tearsheet.ts";
import { loadStrategyFile } from "../../runtime/cli/backtest_command.ts";
import { IN_CI } from "./helpers.ts";

const PYTHON = "/usr/bin/python3";
const hasPandas = existsSync(PYTHON) &&
  spawnSync(PYTHON, ["-c", "import pandas"], { env: {} }).status === 0;
if (!hasPandas && !IN_CI) {
  console.warn("skipping the pandas checks: apt-get install python3-pandas");
}

describe("olmar: the portfolio value goes below zero", () => {
  let results: Results, html: string;
  beforeAll(async () => {
    results = await run_algorithm({
      strategy: await loadStrategyFile("strategies/olmar.ts"),
      start: "2004-01-01",
      end: "2008-01-01",
      capital_base: 10_000_000,
      benchmark_file: join(ZIPLINE_EXAMPLES_DIR, "SPY_benchmark.csv"),
      root: tempRoot(),
    });
    html = await tearsheetHtml(results, { title: "olmar" });
  }, 120_000);

  test("a warning banner names the first day at or below zero", () => {
    const pv = results.perf.portfolio_value;
    const first = pv.findIndex((v) => v <= 0);
    expect(first).toBeGreaterThan(0);
    const date = new Date(results.sessions[first]).toISOString().slice(0, 10);
    expect(html).toMatch(
      new RegExp(
        `class="hv-warning" role="alert"><b>Warning: the portfolio value reached zero or below</b> on ${date}`,
      ),
    );
  });

  test("every section and pyfolio's tables are there", () => {
    for (
      const id of [
        "metrics",
        "returns",
        "drawdowns",
        "risk",
        "positions",
        "round-trips",
        "transactions",
      ]
    ) {
      expect(html, id).toContain(`<section id="${id}">`);
    }
    for (
      const title of [
        "Performance statistics",
        "Worst drawdown periods",
        "Top 10 long positions of all time",
        "Top 10 short positions of all time",
        "Summary stats",
        "PnL stats",
        "Duration stats",
        "Return stats",
        "Daily value at risk",
        "Omega ratio",
        "Tail ratio",
        "Best month",
      ]
    ) expect(html, title).toContain(title);
    // Numbers carry thousands separators; no raw float leaks into a table cell.
    expect(html).not.toMatch(/<td>-?\d{4,}\.\d+%?<\/td>/);
    expect(html).not.toMatch(/<td>-?\d+\.\d{5,}<\/td>/);
  });
});

/** The README's three pandas lines that load the pyfolio files, reading from folder `d`. */
function readmeLoad(): string {
  const block = /```python\n([\s\S]*?)```/.exec(readFileSync("README.md", "utf8"))![1];
  const lines = block.split("\n").filter((l) => /^(returns|positions|transactions) = /.test(l));
  expect(lines).toHaveLength(3);
  return lines.map((l) => l.replaceAll('"pf/', 'd + "/pf/')).join("\n");
}

describe("exports for Python users", () => {
  const dir = mkdtempSync(join(tmpdir(), "hv-pyfolio-"));
  let code = -1, stderr = "";
  beforeAll(async () => {
    const r = await cli([
      "backtest",
      "strategies/dual_moving_average_explained.ts",
      "-s",
      "2010-01-01",
      "-e",
      "2012-12-31",
      "--benchmark-file",
      join(ZIPLINE_EXAMPLES_DIR, "SPY_benchmark.csv"),
      "-o",
      join(dir, "perf.json"),
      "--pyfolio",
      join(dir, "pf"),
      "--report",
      join(dir, "report.html"),
      "--report-title",
      "Crossover <AAPL>",
    ], { HARVESTER_ROOT: tempRoot() });
    code = r.code;
    stderr = r.stderr;
  }, 120_000);

  test("--report-title titles the page", () => {
    expect(code, stderr).toBe(0);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    expect(html).toContain("<title>Crossover &#60;AAPL&#62;</title>");
    expect(html).toContain("<h1>Crossover &#60;AAPL&#62;</h1>");
  });

  test.skipIf(!hasPandas && !IN_CI)("pandas reads perf.json and the pyfolio files", () => {
    expect(code, stderr).toBe(0);
    // The README's three lines (read from it), then the facts pyfolio relies on.
    const script = `
import json, sys
import pandas as pd
d = sys.argv[1]
${readmeLoad()}
perf = pd.read_json(f"{d}/perf.json")
fills = pd.read_json(f"{d}/perf_transactions.json")
pv = perf.set_index(pd.to_datetime(perf["date"], utc=True))["portfolio_value"]
print(json.dumps({
  "returns_tz": str(returns.index.tz), "positions_tz": str(positions.index.tz),
  "transactions_tz": str(transactions.index.tz),
  "returns_len": len(returns), "perf_len": len(perf), "fills": len(fills),
  "positions_columns": list(positions.columns),
  "transactions_columns": list(transactions.columns),
  "max_value_gap": float((positions.sum(axis=1) - pv).abs().max()),
  "max_return_gap": float((returns - perf.set_index(returns.index)["returns"]).abs().max()),
  "txn_dollars_gap": float((transactions.txn_dollars + transactions.amount * transactions.price).abs().max()),
  "txn_rows": len(transactions),
  "dtypes": {c: str(t) for c, t in transactions.dtypes.items()},
}))
`;
    const r = spawnSync(PYTHON, ["-c", script, dir], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const facts = JSON.parse(r.stdout);
    expect([facts.returns_tz, facts.positions_tz, facts.transactions_tz]).toEqual([
      "UTC",
      "UTC",
      "UTC",
    ]);
    expect(facts.returns_len).toBe(754); // 2010–2012: 252 + 252 + 250 sessions
    expect(facts.perf_len).toBe(754);
    expect(facts.positions_columns).toEqual(["AAPL", "cash"]);
    expect(facts.transactions_columns).toEqual(["symbol", "amount", "price", "txn_dollars"]);
    expect(facts.txn_rows).toBe(facts.fills);
    expect(facts.txn_rows).toBeGreaterThan(0);
    // Positions plus cash are the portfolio value; the returns are the perf table's.
    expect(facts.max_value_gap).toBeLessThan(1e-6);
    expect(facts.max_return_gap).toBeLessThan(1e-12); // read_json parses floats to ~1 ulp
    expect(facts.txn_dollars_gap).toBeLessThan(1e-6);
    expect(facts.dtypes).toEqual({
      symbol: "object",
      amount: "int64",
      price: "float64",
      txn_dollars: "float64",
    });
  });
});
