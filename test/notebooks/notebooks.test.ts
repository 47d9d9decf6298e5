/**
 * Every notebook in `notebooks/` executes headlessly on Deno's Jupyter kernel without an error
 * output, and shows what it promises: rich HTML results, Vega-Lite charts (with their SVG) holding
 * the marks the data calls for, and values that agree with the same backtest run here.
 * Skips when Jupyter's tools are missing, except under CI (`CI=true`), where that fails.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { get_calendar } from "../../calendars/mod.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { summaryOf } from "../../runtime/metrics/report/tables.ts";
import { VEGALITE_MIME } from "../../runtime/entry/notebook.ts";
import { percent } from "../../runtime/metrics/format.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { countMarks, demoResults, IN_CI } from "../report/helpers.ts";
import { Browser, chromiumPath } from "../report/chromium.ts";
import { chartAreas, exportHtml } from "./html_export.ts";
import {
  errorOutputs,
  execute,
  type Executed,
  installedDenoKernel,
  missingTools,
  text,
  withMime,
} from "./jupyter.ts";

const missing = missingTools();
const skip = missing.length > 0 && !IN_CI;
if (skip) {
  console.warn(`skipping the notebook tests: missing ${missing.join(", ")}`);
}

const NOTEBOOKS = [
  "quickstart.ipynb",
  "analysis.ipynb",
  "research.ipynb",
  "factor_research.ipynb",
];

/** The cells of one summary-table row (`<th>label</th><td>…</td>…`). */
function summaryRow(html: string, label: string): string[] {
  const row = new RegExp(`<tr><th>${label}</th>((?:<td[^>]*>[^<]*</td>)+)</tr>`).exec(html);
  return row ? [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]) : [];
}

/** The column names of a summary table. */
function summaryColumns(html: string): string[] {
  const head = /<thead><tr><th><\/th>(.*?)<\/tr><\/thead>/.exec(html)?.[1] ?? "";
  return [...head.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
}

const pct = (x: number) => percent(x);

describe.skipIf(skip)("notebooks on Deno's Jupyter kernel", () => {
  const runs = new Map<string, Executed>();
  let demo: Results;

  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  beforeAll(async () => {
    expect(missing, "Jupyter tools are missing").toEqual([]);
    // One at a time: the kernel drops output messages when its socket backs up under load.
    for (const n of NOTEBOOKS) runs.set(n, await execute(`notebooks/${n}`));
    demo = await demoResults(tempRoot());
  }, 600_000);

  test("the repository's notebooks are the ones tested", () => {
    expect(readdirSync("notebooks").filter((f) => f.endsWith(".ipynb")).sort()).toEqual(
      [...NOTEBOOKS].sort(),
    );
  });

  test.skipIf(!IN_CI && installedDenoKernel() === null)(
    "the Deno kernel is installed for Jupyter (deno jupyter --install)",
    () => {
      const spec = installedDenoKernel();
      expect(spec, "no 'deno' kernel spec: run deno jupyter --install").not.toBeNull();
      expect(spec!.argv.slice(1)).toEqual(["jupyter", "--kernel", "--conn", "{connection_file}"]);
    },
  );

  test.each(NOTEBOOKS)("%s runs every cell without an error output", (name) => {
    const nb = runs.get(name)!;
    expect(errorOutputs(nb)).toEqual([]);
    expect(nb.counts.every((c) => typeof c === "number")).toBe(true);
    for (const chart of withMime(nb, VEGALITE_MIME)) {
      expect(text(chart["text/html"])).toMatch(/^<div class="hv-chart"[^>]*><svg /);
    }
    expect(nb.seconds).toBeLessThan(180);
  });

  test("quickstart: ingests, backtests, shows rich results, table and charts, final value", () => {
    const nb = runs.get("quickstart.ipynb")!;
    const html = withMime(nb, "text/html").map((d) => text(d["text/html"]));
    expect(html[0]).toMatch(/Bundle <code>zipline-examples<\/code> is now ingested/);
    expect(html[1]).toContain('<table class="hv-summary">'); // the results, not an object dump
    expect(html[1]).toContain("2517 sessions");
    expect(summaryRow(html[1], "Sharpe ratio")).toEqual([summaryOf(demo).sharpe.toFixed(2)]);
    expect(html[2]).toMatch(/<th>short_mavg<\/th><th>long_mavg<\/th>/);
    const charts = withMime(nb, VEGALITE_MIME);
    expect(charts.map((c) => text(c["text/plain"]))).toEqual(["Cumulative return", "Drawdown"]);
    expect(countMarks(text(charts[0]["text/html"]))).toEqual({ line: 2 });
    expect(countMarks(text(charts[1]["text/html"]))).toEqual({ area: 1 });
    const final = /Final portfolio value: ([\d.]+)/.exec(
      text(withMime(nb, "text/html").at(-1)!["text/plain"]),
    );
    // The cells' strategy is strategies/dual_moving_average_explained.ts: the same run to the cent.
    expect(final?.[1]).toBe(demo.perf.portfolio_value[demo.length - 1].toFixed(2));
  });

  test("analysis: every chart with its marks, and figures that agree with each other", () => {
    const nb = runs.get("analysis.ipynb")!;
    const charts = withMime(nb, VEGALITE_MIME);
    expect(charts.map((c) => text(c["text/plain"]))).toEqual([
      "Cumulative return",
      "Monthly returns",
      "Drawdown",
      "Rolling Sharpe ratio (126 sessions)",
      "Rolling beta to the benchmark (126 sessions)",
      "Exposure",
      "Positions (weight of portfolio value)",
    ]);
    const marks = charts.map((c) => countMarks(text(c["text/html"])));
    expect(marks[0]).toEqual({ line: 2 });
    expect(marks[1]).toEqual({ rect: 108, text: 108 }); // 2006–2014, a cell per month
    expect(marks[3]).toEqual({ line: 1, rule: 1 });
    expect(marks[4]).toEqual({ line: 1, rule: 1 });
    expect(marks[5]).toEqual({ line: 3 });
    expect(marks[6].area).toBeGreaterThanOrEqual(5); // a band per asset held
    const facts = withMime(nb, "application/json").at(-1)!["application/json"] as Record<
      string,
      number
    >;
    const xnys = get_calendar("XNYS");
    const sessions = xnys.sessions_in_range(Date.UTC(2006, 0, 1), Date.UTC(2014, 11, 31)).length;
    expect(facts.sessions).toBe(sessions);
    expect(facts.worst_drawdown).toBeCloseTo(facts.max_drawdown, 9);
    expect(facts.transactions).toBeGreaterThan(100);
    const results = text(withMime(nb, "text/html")[0]["text/html"]);
    expect(summaryRow(results, "Max drawdown")).toEqual([pct(facts.max_drawdown)]);
    expect(summaryRow(results, "Sessions")).toEqual([sessions.toLocaleString("en-US")]);
    expect(results).toContain(facts.final_portfolio_value.toFixed(2));
  });

  test("research: parameter choices side by side, and the 50/200 run is the demo's", () => {
    const nb = runs.get("research.ipynb")!;
    const tables = withMime(nb, "text/html").filter((d) => !(VEGALITE_MIME in d)).map((d) =>
      text(d["text/html"])
    );
    const grid = tables[0];
    const names = ["10/100", "10/200", "20/100", "20/200", "50/100", "50/200"];
    expect(summaryColumns(grid)).toEqual(names);
    const totals = summaryRow(grid, "Total return");
    expect(totals).toHaveLength(6);
    expect(totals[5]).toBe(pct(summaryOf(demo).total_return));
    const charts = withMime(nb, VEGALITE_MIME);
    const marks = charts.map((c) => countMarks(text(c["text/html"])));
    expect(marks).toEqual([{ line: 6 }, { rect: 6, text: 6 }, { line: 6 }]);
    const verdict = withMime(nb, "application/json").at(-1)!["application/json"] as {
      chosen: string;
      out_of_sample_rank: number;
      runs: number;
    };
    expect(names).toContain(verdict.chosen);
    expect(verdict.runs).toBe(6);
    expect(verdict.out_of_sample_rank).toBeGreaterThanOrEqual(1);
    expect(verdict.out_of_sample_rank).toBeLessThanOrEqual(6);
    expect(summaryColumns(tables[1])).toEqual([
      `${verdict.chosen} in sample`,
      `${verdict.chosen} out of sample`,
    ]);
  });

  test("factor_research: pipeline table, prices, the factor tearsheet, a backtest of it", () => {
    const nb = runs.get("factor_research.ipynb")!;
    const html = withMime(nb, "text/html").map((d) => text(d["text/html"]));
    // run_pipeline's table: ISO dates, symbols, booleans — not an object dump.
    expect(html[0]).toMatch(/<th class="hv-key">2012-01-03<\/th><th class="hv-key">[A-Z]+<\/th>/);
    expect(html[0]).toMatch(/<td>(true|false)<\/td>/);
    expect(html[0]).not.toContain("1388620800000");
    expect(html.some((h) => h.includes('<table class="hv-frame">'))).toBe(true); // Frame HTML
    const sheet = html.find((h) => h.includes("Factor tearsheet: momentum"))!;
    for (
      const row of [
        "IC Mean",
        "Risk-Adjusted IC",
        "t-stat(IC)",
        "Mean Period Wise Spread (bps)",
        "Mean Factor Rank Autocorrelation",
      ]
    ) expect(sheet, row).toContain(`<th>${row}</th>`);
    expect(countMarks(sheet)).toMatchObject({ rect: 15, line: 10 }); // 5 quantiles × 3 periods
    const facts = withMime(nb, "application/json").at(-1)!["application/json"] as Record<
      string,
      number
    >;
    expect(facts.dates).toBe(502); // 2012–2013 sessions
    expect(Math.abs(facts.ic_mean_1d)).toBeLessThan(1);
    expect(sheet).toContain(`<th>IC Mean</th><td>${facts.ic_mean_1d.toFixed(3)}</td>`);
    expect(html.some((h) => h.includes('<div class="hv-tearsheet">'))).toBe(true);
    expect(facts.sessions).toBe(502);
  });

  test.skipIf(!chromiumPath() && !IN_CI)(
    "exported to HTML (nbconvert 6.5), every chart area shows drawn marks in Chromium",
    async () => {
      browser = await Browser.launch(chromiumPath()!, 1100, 900);
      for (const name of NOTEBOOKS) {
        const areas = await chartAreas(browser, exportHtml(runs.get(name)!.file));
        expect(areas.length, name).toBeGreaterThan(0);
        for (const a of areas) {
          const what = `${name}: ${a.title}`;
          expect(a.width, what).toBeGreaterThan(150);
          expect(a.height, what).toBeGreaterThan(60);
          expect(a.marks, what).toBeGreaterThan(0);
          expect(a.pixels.ink, what).toBeGreaterThan(0.02);
          expect(a.pixels.colour, what).toBeGreaterThan(0.003); // coloured marks, not just text
        }
      }
    },
    180_000,
  );
});
