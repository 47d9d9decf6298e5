/**
 * The sweep's HTML reports in headless Chromium: the table, the heatmap (a coloured, labelled
 * cell per pair of parameter values) and the best equity curves; the walk-forward report's folds
 * and stitched curve. Every chart is checked in the file, in the browser's DOM and on screen.
 * Skips without Chromium, except under CI.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { Browser, chromiumPath, type Figure, PAGE_FIGURES } from "../report/chromium.ts";
import { countMarks, figures, IN_CI, pixelStats } from "../report/helpers.ts";
import { parseGrid } from "../../runtime/sweep/grid.ts";
import { runSweep } from "../../runtime/sweep/sweep.ts";
import { runWalkForward } from "../../runtime/sweep/walk_forward.ts";
import { writeSweepReport, writeWalkForwardReport } from "../../runtime/sweep/report.ts";

const binary = chromiumPath();

describe.skipIf(!binary && !IN_CI)("sweep reports in headless Chromium", () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), "hv-sweep-report-"));
  const root = tempRoot();
  const base = {
    strategy: "strategies/dual_moving_average_explained.ts",
    start: "2008-01-01",
    end: "2011-12-31",
    no_benchmark: true,
    grid: parseGrid(["short=5,10,20", "long=40,80"]),
    root,
    environ: { ...Deno.env.toObject(), HARVESTER_ROOT: root },
    workers: 2,
  };

  beforeAll(async () => {
    expect(binary, "chromium is not installed (apt-get install chromium)").not.toBeNull();
    browser = await Browser.launch(binary!, 1100, 900);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function show(file: string): Promise<Figure[]> {
    await browser.open(pathToFileURL(file).href);
    return await browser.evaluate<Figure[]>(PAGE_FIGURES);
  }

  async function drawn(f: Figure, name: string): Promise<void> {
    const png = await browser.screenshot({ x: f.x, y: f.y, width: f.width, height: f.height });
    writeFileSync(join(dir, `${name}.png`), png);
    const s = pixelStats(png);
    expect(s.ink, `${name}: ink`).toBeGreaterThan(0.02);
    expect(s.colour, `${name}: coloured marks`).toBeGreaterThan(0.005);
    expect(s.colours, `${name}: colours`).toBeGreaterThan(8);
  }

  test("the sweep report: the table, a heatmap of 3×2 cells, the 4 best curves", async () => {
    const outcome = await runSweep(base);
    const file = join(dir, "sweep.html");
    await writeSweepReport(outcome, file, { sort: "sharpe", top: 4 });
    const html = readFileSync(file, "utf8");
    expect(html.match(/<script|<link|\b(?:src|href)=["'](?!#)/gi) ?? []).toEqual([]);
    const shown = await show(file);
    expect(shown.map((f) => f.id)).toEqual(["heatmap", "curves"]);
    const expected: Record<string, Record<string, number>> = {
      heatmap: { rect: 6, text: 6 }, // a labelled cell per (short, long)
      curves: { line: 4 },
    };
    const inFile = figures(html);
    for (const f of shown) {
      expect(countMarks(inFile.get(f.id)!), `${f.id} in the file`).toEqual(expected[f.id]);
      expect(f.marks, `${f.id} in the browser`).toEqual(expected[f.id]);
      await drawn(f, f.id);
    }
    const heat = shown.find((f) => f.id === "heatmap")!;
    expect(pixelStats(await browser.screenshot(heat)).colour).toBeGreaterThan(0.2);
    const cells = await browser.evaluate<string[][]>(
      `[...document.querySelectorAll("table.hv-table tbody tr")].map((tr) =>
        [...tr.querySelectorAll("td")].map((td) => td.textContent))`,
    );
    expect(cells.length).toBe(6);
    // Ranked by Sharpe ratio, best first (column 6: short, long, value, return, annual, sharpe).
    const sharpe = cells.map((c) => Number(c[5]));
    expect(sharpe).toEqual([...sharpe].sort((a, b) => b - a));
  }, 180_000);

  test(
    "the walk-forward report: folds, comparison, the stitched curve a line per fold",
    async () => {
      const wf = await runWalkForward({ ...base, walk_forward: "1y:1y" });
      const file = join(dir, "wf.html");
      await writeWalkForwardReport(wf, file);
      const shown = await show(file);
      expect(wf.folds.length).toBe(3);
      expect(shown.map((f) => f.id)).toEqual(["stitched"]);
      expect(shown[0].marks).toEqual({ line: 3 });
      await drawn(shown[0], "stitched");
      const text = await browser.evaluate<string>("document.body.textContent");
      expect(text).toContain("probability of backtest overfitting (CSCV, 3 folds)");
      expect(text).toContain("mean deflated Sharpe ratio of the choices");
    },
    180_000,
  );
});
