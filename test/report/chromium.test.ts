/**
 * The HTML tearsheet in a real browser: headless Chromium opens the file offline, the test
 * screenshots every chart and checks it is drawn (coloured marks, not a blank box) and that the
 * browser's DOM holds the marks the data calls for. Skips without Chromium, except under CI.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { writeTearsheet } from "../../runtime/metrics/report/tearsheet.ts";
import { position_weights } from "../../runtime/metrics/report/analysis.ts";
import { Browser, chromiumPath, type Figure, PAGE_FIGURES } from "./chromium.ts";
import { countMarks, demoResults, figures, IN_CI, monthsSpanned, pixelStats } from "./helpers.ts";

const binary = chromiumPath();
if (!binary && !IN_CI) {
  console.warn(
    "skipping the Chromium report tests: `chromium` is not installed (apt-get install chromium)",
  );
}

describe.skipIf(!binary && !IN_CI)("the tearsheet in headless Chromium", () => {
  let browser: Browser, results: Results, html: string, dir: string, shown: Figure[];

  beforeAll(async () => {
    expect(binary, "chromium is not installed (apt-get install chromium)").not.toBeNull();
    dir = mkdtempSync(join(tmpdir(), "hv-report-"));
    results = await demoResults(tempRoot());
    const file = join(dir, "report.html");
    await writeTearsheet(results, file, { title: "Chromium check" });
    html = await Deno.readTextFile(file);
    browser = await Browser.launch(binary!, 1000, 900);
    await browser.open(pathToFileURL(file).href);
    shown = await browser.evaluate<Figure[]>(PAGE_FIGURES);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  test("the page loads offline with every chart, the metrics table and no script", async () => {
    // Nothing to fetch: no script, no stylesheet link, no reference outside the page itself.
    const external = html.match(/<script|<link|\b(?:src|href)=["'](?!#)|url\((?!#)/gi) ?? [];
    expect(external).toEqual([]);
    expect(shown.map((f) => f.id)).toEqual([
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
    ]);
    const tables = await browser.evaluate<string[]>(
      `[...document.querySelectorAll("table")].map((t) =>
        t.caption?.textContent || t.querySelector("thead th")?.textContent || "")`,
    );
    for (
      const title of [
        "Performance statistics",
        "Worst drawdown periods",
        "Top 10 long positions of all time",
        "Top 10 positions of all time",
        "Summary stats",
        "PnL stats",
        "Duration stats",
      ]
    ) expect(tables, title).toContain(title);
    const metrics = await browser.evaluate<string[]>(
      `[...document.querySelectorAll("table.hv-summary th")].map((th) => th.textContent)`,
    );
    expect(metrics).toContain("Sharpe ratio");
    expect(metrics).toContain("Beta");
    const title = await browser.evaluate<string>("document.title");
    expect(title).toBe("Chromium check");
  });

  test("each chart holds the marks its data calls for, in the file and in the browser", () => {
    const months = monthsSpanned(results);
    const assets = position_weights(results).symbols.length;
    const bins = countMarks(figures(html).get("monthly_distribution")!).rect;
    const expected: Record<string, Record<string, number>> = {
      equity: { line: 2 }, // strategy and benchmark
      annual_returns: { rect: 10, rule: 1 }, // a bar per year and the mean
      monthly: { rect: months, text: months }, // a labelled cell per month
      monthly_distribution: { rect: bins, rule: 1 },
      drawdown: { area: 1 },
      rolling_volatility: { line: 2 }, // strategy and benchmark
      rolling_sharpe: { line: 1, rule: 1 },
      rolling_beta: { line: 1, rule: 1 },
      exposure: { line: 3 }, // long, short, net
      gross_leverage: { line: 1, rule: 1 }, // the series and its mean
      holdings: { line: 1, rule: 1 },
      turnover: { line: 1, rule: 1 },
      positions: { area: assets },
    };
    expect(months).toBe(120);
    expect(bins).toBeGreaterThan(4);
    const inFile = figures(html);
    for (const f of shown) {
      expect(countMarks(inFile.get(f.id)!), `${f.id} in the file`).toEqual(expected[f.id]);
      expect(f.marks, `${f.id} in the browser`).toEqual(expected[f.id]);
    }
  });

  test("screenshots: every chart is drawn, in colour, at its size", async () => {
    const page = pixelStats(await browser.screenshot());
    expect(page.height).toBeGreaterThan(2000);
    expect(page.ink).toBeGreaterThan(0.03);
    for (const f of shown) {
      expect(f.width, f.id).toBeGreaterThan(400);
      expect(f.height, f.id).toBeGreaterThan(100);
      const png = await browser.screenshot({ x: f.x, y: f.y, width: f.width, height: f.height });
      writeFileSync(join(dir, `${f.id}.png`), png);
      const s = pixelStats(png);
      expect(s.width, f.id).toBe(Math.round(f.width));
      // Axes and labels alone give ink but no colour: the coloured pixels are the marks.
      expect(s.ink, `${f.id}: ink`).toBeGreaterThan(0.02);
      expect(s.colour, `${f.id}: coloured marks`).toBeGreaterThan(0.005);
      expect(s.colours, `${f.id}: colours`).toBeGreaterThan(8);
    }
    // The heatmap is mostly its coloured cells.
    const heat = shown.find((f) => f.id === "monthly")!;
    const heatStats = pixelStats(await browser.screenshot(heat));
    expect(heatStats.colour).toBeGreaterThan(0.3);
  });
});
