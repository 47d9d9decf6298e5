/**
 * The NaN-skipping reductions: the one-pass mean of a short window gives exactly what counting
 * then numpy's pairwise sum gives (the order of additions is what makes pandas' numbers).
 */
import { describe, expect, test } from "vitest";
import { nancount, nanmean, nansum } from "../../runtime/frames/series_stats.ts";

describe("nanmean", () => {
  test("equals nansum / nancount bit for bit, NaNs and every window length to 140", () => {
    let seed = 11;
    const r = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let checked = 0;
    for (let t = 0; t < 20_000; t++) {
      const n = 1 + (t % 140);
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = r() < 0.1 ? NaN : (r() - 0.5) * 10 ** Math.floor(r() * 8);
      const c = nancount(x), want = c === 0 ? NaN : nansum(x) / c;
      if (!Object.is(nanmean(x), want)) expect({ n, got: nanmean(x) }).toEqual({ n, got: want });
      checked++;
    }
    expect(checked).toBe(20_000);
  });

  test("all NaN is NaN; -0 and a lone value", () => {
    expect(nanmean(new Float64Array(16).fill(NaN))).toBeNaN();
    expect(Object.is(nanmean(new Float64Array(9).fill(-0)), -0)).toBe(true);
    const x = new Float64Array(20).fill(NaN);
    x[13] = 4.25;
    expect(nanmean(x)).toBe(4.25);
  });
});
