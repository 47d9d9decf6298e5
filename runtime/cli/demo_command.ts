/**
 * `harvester demo` (the README's first command): backtests the commented dual moving average on
 * the data this repository ships (ingesting it on first run), prints the summary, and writes the
 * perf table, the equity and drawdown charts and an HTML tearsheet into a folder it names.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { harvesterRoot, ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { run_algorithm } from "../engine/run_algorithm.ts";
import { writeResults } from "../engine/output.ts";
import { drawdown, equityCurve, renderSvg } from "../metrics/report/charts.ts";
import { writeTearsheet } from "../metrics/report/tearsheet.ts";
import type { Command } from "./command.ts";
import { loadStrategyFile, resultsSummary } from "./backtest_command.ts";
import { installed } from "../install.ts";

const STRATEGY = fileURLToPath(
  installed("strategies/dual_moving_average_explained.ts"),
);

export const demoCommand: Command = {
  name: "demo",
  summary:
    "Backtests a dual moving average on the shipped zipline-examples data and writes its results.",
  usage: "demo [--out DIR]",
  help: ["--out DIR   where to write the results (default: out/demo)"],
  options: { out: { type: "string" } },
  positionals: [0, 0],
  async run(args, io) {
    const out = resolve(
      typeof args.values.out === "string" ? args.values.out : join("out", "demo"),
    );
    mkdirSync(out, { recursive: true });
    io.stdout(
      "Harvester demo: dual moving average (50/200 days) on AAPL, 2005–2014, benchmark SPY " +
        "(its daily returns, from the SPY_benchmark.csv shipped with the data)\n",
    );
    const t0 = performance.now();
    const results = await run_algorithm({
      strategy: await loadStrategyFile(STRATEGY),
      start: "2005-01-01",
      end: "2014-12-31",
      capital_base: 1_000_000,
      bundle: "zipline-examples",
      benchmark_file: join(ZIPLINE_EXAMPLES_DIR, "SPY_benchmark.csv"),
      root: harvesterRoot(io.env),
      environ: io.env,
    });
    const secs = (performance.now() - t0) / 1000;
    io.stdout(`${resultsSummary(results, true)}\n`);
    const written = await writeResults(results, join(out, "perf.csv"), io.stdout);
    const svg = [await renderSvg(equityCurve(results)), await renderSvg(drawdown(results))];
    writeFileSync(join(out, "equity.svg"), svg[0]);
    writeFileSync(join(out, "drawdown.svg"), svg[1]);
    await writeTearsheet(results, join(out, "report.html"), {
      title:
        "Harvester demo: dual moving average (50/200 days) on AAPL, benchmark SPY (returns file)",
    });
    io.stdout(`${results.length} sessions backtested in ${secs.toFixed(2)} s\n`);
    io.stdout(
      `Results in ${out}/: ${
        [
          ...written.map((w) => w.slice(out.length + 1)),
          "equity.svg",
          "drawdown.svg",
          "report.html",
        ].join(", ")
      }\n`,
    );
    return 0;
  },
};
