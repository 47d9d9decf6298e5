/**
 * Rolling correlations and regressions against hand-computed values: Pearson/Spearman of
 * x = 1,2,3,4 with itself, 2x, reversed and 1,3,2,4 (r = 0.8); OLS of those on x; SimpleBeta of
 * returns built to be exactly twice the target's.
 */
import { describe, expect, test } from "vitest";
import {
  Latest,
  RollingLinearRegression,
  RollingLinearRegressionOfReturns,
  RollingPearson,
  RollingPearsonOfReturns,
  RollingSpearman,
  RollingSpearmanOfReturns,
  SimpleBeta,
} from "../../runtime/pipeline/mod.ts";
import { compute, makeAssets, round, rowsFrom, testDataSet } from "./helpers.ts";

const N = NaN;
const assets = makeAssets(4);
// Four sessions from 2014-01-02; columns: x, 2x, reversed, 1-3-2-4.
const T = testDataSet(rowsFrom("2014-01-02", {
  a: [[1, 2, 4, 1], [2, 4, 3, 3], [3, 6, 2, 2], [4, 8, 1, 4]],
}));
// Latest is not window-safe by default (zipline's rule); these values are, so say so.
const a = new Latest({ inputs: [T.a], window_safe: true });
const x = a.slice(assets[0]);

describe("rolling correlation", () => {
  test("pearsonr and RollingPearson against one asset's slice", async () => {
    const r = await compute(
      {
        p: a.pearsonr(x, 4),
        q: new RollingPearson({ base_factor: a, target: x, correlation_length: 4 }),
      },
      "2014-01-07",
      "2014-01-07",
      assets,
    );
    expect(round(r.p)).toEqual([[1, 1, -1, 0.8]]);
    expect(r.q).toEqual(r.p);
  });

  test("spearmanr (average ranks, NaN anywhere → NaN)", async () => {
    const U = testDataSet(
      rowsFrom("2014-01-02", { a: [[1, 5, 1, N], [2, 5, 2, 2], [3, 6, 2, 3], [4, 7, 9, 4]] }),
    );
    const u = new Latest({ inputs: [U.a], window_safe: true });
    const r = await compute(
      { s: u.spearmanr(u.slice(assets[0]), 4) },
      "2014-01-07",
      "2014-01-07",
      assets,
    );
    // asset 1: ranks 1.5,1.5,3,4 vs 1,2,3,4; asset 2: 1,2.5,2.5,4 vs 1,2,3,4.
    const rho = (b: number[]) => {
      const m = 2.5, mb = b.reduce((s, v) => s + v) / 4;
      const sab = b.reduce((s, v, i) => s + (i + 1 - m) * (v - mb), 0);
      const sbb = b.reduce((s, v) => s + (v - mb) ** 2, 0);
      return sab / Math.sqrt(5 * sbb);
    };
    expect(round(r.s)).toEqual(round([[1, rho([1.5, 1.5, 3, 4]), rho([1, 2.5, 2.5, 4]), N]]));
    const s = new RollingSpearman({
      base_factor: u,
      target: u.slice(assets[0]),
      correlation_length: 4,
    });
    expect(s.uid).toBe(u.spearmanr(u.slice(assets[0]), 4).uid);
  });

  test("a window shorter than 2 is an error; inputs must be window-safe", () => {
    expect(() => a.pearsonr(x, 1)).toThrow(/≥ 2/);
    expect(() => T.a.latest.pearsonr(x, 4)).toThrow(/not window-safe/);
  });
});

describe("rolling regression", () => {
  test("linear_regression: alpha, beta, r, p (Student t) and stderr", async () => {
    const reg = a.linear_regression(x, 4);
    const r = await compute(
      {
        alpha: reg.output("alpha"),
        beta: reg.output("beta"),
        r_value: reg.output("r_value"),
        p_value: reg.output("p_value"),
        stderr: reg.output("stderr"),
      },
      "2014-01-07",
      "2014-01-07",
      assets,
    );
    expect(round(r.beta)).toEqual([[1, 2, -1, 0.8]]);
    expect(round(r.alpha)).toEqual([[0, 0, 5, 0.5]]);
    expect(round(r.r_value)).toEqual([[1, 1, -1, 0.8]]);
    // 1,3,2,4 on 1,2,3,4: t = 0.8·√(2/0.36) and with 2 degrees of freedom sf(t) = ½(1 − t/√(t²+2)) = 0.1.
    expect(r.p_value[0][3]).toBeCloseTo(0.2, 10);
    expect(r.p_value[0][0]).toBeLessThan(1e-9);
    expect(r.stderr[0][3]).toBeCloseTo(Math.sqrt(0.18), 12);
    expect(round(r.stderr)[0].slice(0, 3)).toEqual([0, 0, 0]);
  });

  test("RollingLinearRegression exposes outputs as properties", async () => {
    const reg = new RollingLinearRegression({ dependent: a, independent: x, regression_length: 4 });
    const r = await compute({ beta: reg.beta }, "2014-01-07", "2014-01-07", assets);
    expect(round(r.beta)).toEqual([[1, 2, -1, 0.8]]);
    expect(reg.uid).toBe(a.linear_regression(x, 4).uid);
  });
});

describe("…OfReturns and SimpleBeta (EquityPricing.close)", () => {
  // Asset 1's daily returns are exactly twice asset 0's; asset 2's are minus asset 0's.
  const p0 = [100, 101, 99, 102, 100, 103];
  const ret = p0.slice(1).map((v, i) => v / p0[i] - 1);
  const p1 = [50], p2 = [80];
  ret.forEach((r, i) => {
    p1.push(p1[i] * (1 + 2 * r));
    p2.push(p2[i] * (1 - r));
  });
  const close = rowsFrom("2014-01-02", { close: p0.map((v, i) => [v, p1[i], p2[i]]) });
  const three = makeAssets(3);

  test("SimpleBeta is the slope of daily returns on the target's", async () => {
    const r = await compute(
      { b: new SimpleBeta({ target: three[0], regression_length: 4 }) },
      "2014-01-09",
      "2014-01-09",
      three,
      {
        pricing: close,
      },
    );
    expect(round(r.b, 9)).toEqual([[1, 2, -1]]);
  });

  test("RollingPearsonOfReturns / Spearman / LinearRegression", async () => {
    const target = three[0];
    const reg = new RollingLinearRegressionOfReturns({
      target,
      returns_length: 2,
      regression_length: 4,
    });
    const r = await compute(
      {
        p: new RollingPearsonOfReturns({ target, returns_length: 2, correlation_length: 4 }),
        s: new RollingSpearmanOfReturns({ target, returns_length: 2, correlation_length: 4 }),
        beta: reg.beta,
      },
      "2014-01-09",
      "2014-01-09",
      three,
      { pricing: close },
    );
    expect(round(r.p)).toEqual([[1, 1, -1]]);
    expect(round(r.s)).toEqual([[1, 1, -1]]);
    expect(round(r.beta, 9)).toEqual([[1, 2, -1]]);
  });

  test("SimpleBeta allows up to 25 % missing days by default", async () => {
    const gappy = rowsFrom("2014-01-02", {
      close: p0.map((v, i) => [v, i === 3 ? N : p1[i], p2[i]]),
    });
    const r = await compute(
      {
        b: new SimpleBeta({ target: three[0], regression_length: 4 }),
        strict: new SimpleBeta({
          target: three[0],
          regression_length: 4,
          allowed_missing_percentage: 0,
        }),
      },
      "2014-01-09",
      "2014-01-09",
      three,
      { pricing: gappy },
    );
    // Asset 1 misses two of the four daily returns (both touch the missing close): 2 > 1 allowed.
    expect(r.b[0][1]).toBeNaN();
    expect(r.strict[0][1]).toBeNaN();
    expect(r.b[0][2]).toBeCloseTo(-1, 9);
  });
});
