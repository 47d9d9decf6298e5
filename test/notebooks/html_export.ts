/**
 * Exports an executed notebook to HTML with Debian's nbconvert (6.5 here; the page a reader of
 * an exported notebook gets) and measures every chart area in headless Chromium: its box, its
 * Vega mark items and the pixels of a screenshot of it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "../report/chromium.ts";
import { type PixelStats, pixelStats } from "../report/helpers.ts";
import { PYTHON } from "./jupyter.ts";

/** `jupyter nbconvert --to html` of a notebook file; returns the HTML file. */
export function exportHtml(notebook: string): string {
  const out = mkdtempSync(join(tmpdir(), "hv-nbhtml-"));
  const env = { ...Deno.env.toObject() };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  const r = spawnSync(PYTHON, ["-m", "nbconvert", "--to", "html", "--output-dir", out, notebook], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`nbconvert --to html ${notebook} failed:\n${r.stderr}`);
  return join(out, basename(notebook).replace(/\.ipynb$/, ".html"));
}

/** One chart area of the exported page. */
export interface ChartArea {
  title: string;
  width: number;
  height: number;
  marks: number;
  pixels: PixelStats;
}

/** Runs in the page: every chart's SVG box and its count of mark items. */
const CHART_BOXES = `[...document.querySelectorAll(".hv-chart")].map((f) => {
  const svg = f.querySelector("svg");
  const r = svg ? svg.getBoundingClientRect() : { left: 0, top: 0, width: 0, height: 0 };
  let marks = 0;
  for (const g of f.querySelectorAll("g.role-mark")) marks += g.children.length;
  return { title: f.dataset.chart ?? "", x: r.left + scrollX, y: r.top + scrollY,
    width: r.width, height: r.height, marks };
})`;

/** Opens the exported page and measures each chart area. */
export async function chartAreas(browser: Browser, html: string): Promise<ChartArea[]> {
  await browser.open(pathToFileURL(html).href);
  const boxes = await browser.evaluate<
    { title: string; x: number; y: number; width: number; height: number; marks: number }[]
  >(CHART_BOXES);
  const out: ChartArea[] = [];
  for (const b of boxes) {
    const pixels = b.width > 0 && b.height > 0
      ? pixelStats(await browser.screenshot({ x: b.x, y: b.y, width: b.width, height: b.height }))
      : { width: 0, height: 0, ink: 0, colour: 0, colours: 0 };
    out.push({ title: b.title, width: b.width, height: b.height, marks: b.marks, pixels });
  }
  return out;
}
