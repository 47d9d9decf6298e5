/**
 * The tearsheet file, the notebook display bundles and the CLI's `--report`, on the README demo
 * (dual moving average, AAPL 2005–2014, SPY benchmark).
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { cli } from "../cli/helpers.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { tearsheetHtml } from "../../runtime/metrics/report/tearsheet.ts";
import { summaryOf } from "../../runtime/metrics/report/tables.ts";
import * as nb from "../../runtime/entry/notebook.ts";
import { order_target_percent, symbol } from "../../runtime/api/mod.ts";
import type { Context } from "../../runtime/api/mod.ts";
import { countMarks, demoResults, figures, pixelStats } from "./helpers.ts";

const ALL = [
  "equity",
  "annual_returns",
  "monthly",
  "monthly_distribution",
  "drawdown",
  "rolling_volatility",
  "rolling_sharpe",
  "rolling_beta",
  "exposure",
  "gross_leverage",
  "holdings",
  "turnover",
  "positions",
];

describe("the tearsheet", () => {
  let root: string, results: Results, noBenchmark: Results;
  beforeAll(async () => {
    root = tempRoot();
    results = await demoResults(root);
    noBenchmark = await demoResults(root, false);
  }, 60_000);

  test("one page: facts, the CLI's metrics, every chart as inline SVG, latest fills", async () => {
    const html = await tearsheetHtml(results, { title: "Demo <1>" });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<title>Demo &#60;1&#62;</title>");
    expect(html).toContain("2005-01-03 – 2014-12-31 · 2,517 sessions · capital base 1,000,000.00");
    const s = summaryOf(results);
    expect(html).toContain(`<td data-metric="sharpe">${s.sharpe.toFixed(2)}</td>`);
    expect(html).toContain(`<td data-metric="beta">${s.beta.toFixed(2)}</td>`);
    expect([...figures(html).keys()]).toEqual(ALL);
    for (const [id, svg] of figures(html)) {
      expect(svg, id).toMatch(/^<svg [^>]*class="marks"/);
      expect(Object.keys(countMarks(svg)).length, id).toBeGreaterThan(0);
    }
    expect(html).toContain(
      `Latest 20 of ${results.transactions.length.toLocaleString("en-US")} transactions`,
    );
    expect(html).not.toContain('class="hv-warning"'); // the demo never runs out of money
  });

  test("without a benchmark: no beta chart, no benchmark rows, one equity line", async () => {
    const html = await tearsheetHtml(noBenchmark);
    const charts = figures(html);
    expect([...charts.keys()]).not.toContain("rolling_beta");
    expect(html).not.toContain('data-metric="beta"');
    expect(countMarks(charts.get("equity")!)).toEqual({ line: 1 });
  });

  test("notebook chart bundles: SVG inside HTML, a PNG, and Vega-Lite (v5 MIME)", async () => {
    const bundle = await nb.charts.monthly(results)[nb.JUPYTER_DISPLAY]();
    const spec = bundle[nb.VEGALITE_MIME] as Record<string, unknown>;
    expect(nb.VEGALITE_MIME).toBe("application/vnd.vegalite.v5+json");
    expect(spec.$schema).toBe("https://vega.github.io/schema/vega-lite/v5.json");
    // No image/svg+xml: nbconvert 6.5 strips its elements (jupyter/nbconvert#1849).
    expect(Object.keys(bundle).sort()).toEqual(
      ["image/png", "text/html", "text/plain", nb.VEGALITE_MIME].sort(),
    );
    const html = String(bundle["text/html"]);
    expect(html).toMatch(/^<div class="hv-chart" data-chart="Monthly returns"><svg /);
    expect(countMarks(html)).toEqual({ rect: 120, text: 120 });
    expect(bundle["text/plain"]).toBe("Monthly returns");
    // The PNG is drawn from the same SVG at twice its size, and is mostly the heatmap's colour.
    const png = Uint8Array.from(atob(String(bundle["image/png"])), (c) => c.charCodeAt(0));
    const stats = pixelStats(png);
    const svgWidth = Number(/<svg [^>]*width="(\d+)"/.exec(html)![1]);
    expect(stats.width).toBe(2 * svgWidth);
    expect(stats.colour).toBeGreaterThan(0.3);

    const rich = await nb.rich(results)[nb.JUPYTER_DISPLAY]();
    expect(rich["text/html"]).toContain('<table class="hv-summary">');
    expect(rich["text/html"]).toContain("… 2511 more sessions …");
    expect(rich["text/plain"]).toMatch(/^2517 sessions · \d+ position rows/);
    expect(rich["text/plain"]).toContain("Sharpe ratio");

    const side = await nb.summaryTable({ SPY: results, none: noBenchmark })[nb.JUPYTER_DISPLAY]();
    expect(side["text/html"]).toContain("<th>SPY</th><th>none</th>");
    const compare = await nb.charts.compare({ a: results, b: noBenchmark })[nb.JUPYTER_DISPLAY]();
    expect(countMarks(String(compare["text/html"]))).toEqual({ line: 2 });
  });

  test("run_algorithm with inline functions gives results that display richly", async () => {
    const r = await nb.run_algorithm({
      strategy: {
        initialize: async (context: Context) => {
          context.asset = await symbol("AAPL");
        },
        handle_data: async (context: Context) => {
          await order_target_percent(context.asset, 0.5);
        },
      },
      start: "2014-01-01",
      end: "2014-03-31",
      capital_base: 100_000,
      no_benchmark: true,
      root,
    });
    expect(r.length).toBe(61);
    const shown = await r[nb.JUPYTER_DISPLAY]();
    expect(shown["text/html"]).toContain("61 sessions");
    expect(r.perf.gross_leverage[60]).toBeCloseTo(0.5, 2);
  });

  describe("display() outside a kernel", () => {
    afterEach(() => vi.restoreAllMocks());
    test("prints the plain-text form", async () => {
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      await nb.display(nb.html("<b>bold</b> move"), 42);
      expect(log.mock.calls).toEqual([["bold move"], [42]]);
    });
  });
});

describe("the CLI writes the tearsheet", () => {
  test("backtest --report FILE, and a report that is not .html is a usage error", async () => {
    const root = tempRoot(), dir = mkdtempSync(join(tmpdir(), "hv-report-"));
    const file = join(dir, "sub", "report.html");
    const ok = await cli([
      "backtest",
      "strategies/buyapple.ts",
      "-s",
      "2014-01-01",
      "-e",
      "2014-06-30",
      "--no-benchmark",
      "--report",
      file,
    ], { HARVESTER_ROOT: root });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`wrote ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html).toContain("<title>buyapple.ts</title>");
    expect([...figures(html).keys()]).toEqual(ALL.filter((id) => id !== "rolling_beta"));
    const bad = await cli([
      "backtest",
      "strategies/buyapple.ts",
      "-s",
      "2014-01-01",
      "-e",
      "2014-06-30",
      "--report",
      join(dir, "r.txt"),
    ], { HARVESTER_ROOT: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report: ".*r\.txt" must name an \.html file/);
  });

  test("demo writes report.html beside the perf table", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "hv-demo-")), "demo");
    const r = await cli(["demo", "--out", out], { HARVESTER_ROOT: tempRoot() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/drawdown\.svg, report\.html\n$/);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect([...figures(html).keys()]).toEqual(ALL);
    // The page and the printed summary are the same run.
    const total = /<td data-metric="total_return">([^<]+)<\/td>/.exec(html)?.[1];
    expect(r.stdout).toMatch(new RegExp(`^Total return +${total}$`, "m"));
    expect(html).toMatch(/final portfolio value [\d,]+\.\d\d/);
  });
});
