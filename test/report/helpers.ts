/** Shared by the report and notebook tests: the demo backtest, SVG mark counts, PNG pixel stats. */
import { join } from "node:path";
import { decode } from "fast-png";
import { ZIPLINE_EXAMPLES_DIR } from "../../bundles/mod.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Results } from "../../runtime/metrics/results.ts";
import { loadStrategyFile } from "../../runtime/cli/backtest_command.ts";

/** `CI=true` (as `.ci/run` runs): missing tools fail instead of skipping. */
export const IN_CI = Deno.env.get("CI") === "true";

/** The README demo: the commented dual moving average on AAPL 2005–2014 against SPY. */
export async function demoResults(root: string, benchmark = true): Promise<Results> {
  return await run_algorithm({
    strategy: await loadStrategyFile("strategies/dual_moving_average_explained.ts"),
    start: "2005-01-01",
    end: "2014-12-31",
    capital_base: 1_000_000,
    ...(benchmark
      ? { benchmark_file: join(ZIPLINE_EXAMPLES_DIR, "SPY_benchmark.csv") }
      : { no_benchmark: true }),
    root,
  });
}

/**
 * Counts the items of each Vega mark in an SVG string: the children of every `<g class="mark-…
 * role-mark">` group, by mark type (`line`, `area`, `rect`, `text`, `rule`, …). Axes, legends and
 * titles are other roles and are not counted.
 */
export function countMarks(svg: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const stack: (string | null)[] = []; // the mark type of each open <g>, null for other groups
  const tag = /<(\/?)([a-zA-Z]+)((?:"[^"]*"|'[^']*'|[^'">])*?)(\/?)>/g;
  for (const m of svg.matchAll(tag)) {
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      if (name === "g") stack.pop();
      continue;
    }
    const parent = stack.length ? stack[stack.length - 1] : null;
    if (parent) counts[parent] = (counts[parent] ?? 0) + 1;
    if (name === "g" && !selfClosing) {
      const cls = /class="([^"]*)"/.exec(attrs)?.[1] ?? "";
      const mark = /(?:^|\s)mark-([a-z]+)(?:\s|$)/.exec(cls)?.[1];
      stack.push(mark && /(?:^|\s)role-mark(?:\s|$)/.test(cls) ? mark : null);
    }
  }
  return counts;
}

/** The inline SVG of each `<figure data-chart="ID">` of a tearsheet, by id. */
export function figures(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<figure [^>]*data-chart="([^"]+)"[^>]*>([\s\S]*?)<\/figure>/g)) {
    out.set(m[1], m[2]);
  }
  return out;
}

/** What a screenshot shows: share of non-white pixels, of saturated (coloured) ones, colours. */
export interface PixelStats {
  width: number;
  height: number;
  /** Fraction of pixels that are not (near) white. */
  ink: number;
  /** Fraction of clearly coloured pixels (marks, not the grey axes and text). */
  colour: number;
  /** Distinct colours (quantised to 4 bits a channel). */
  colours: number;
}

/** Decodes a PNG and measures it. */
export function pixelStats(png: Uint8Array): PixelStats {
  const img = decode(png);
  const { width, height, channels } = img;
  const data = img.data as Uint8Array;
  let ink = 0, colour = 0;
  const seen = new Set<number>();
  for (let p = 0; p < width * height; p++) {
    const i = p * channels;
    const r = data[i], g = data[i + 1], b = data[i + 2];
    if (r < 235 || g < 235 || b < 235) ink++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) colour++;
    seen.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
  }
  const n = width * height;
  return { width, height, ink: ink / n, colour: colour / n, colours: seen.size };
}

/** Number of calendar months the sessions touch. */
export function monthsSpanned(results: Results): number {
  const keys = new Set<number>();
  for (const s of results.sessions) {
    const d = new Date(s);
    keys.add(d.getUTCFullYear() * 12 + d.getUTCMonth());
  }
  return keys.size;
}
