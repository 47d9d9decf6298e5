/**
 * The deflated Sharpe ratio against the numerical example of Bailey and López de Prado (2014),
 * and CSCV's probability of backtest overfitting on small matrices worked out by hand.
 */
import { describe, expect, test } from "vitest";
import { normal_cdf, normal_ppf } from "../../runtime/sweep/normal.ts";
import {
  cscv,
  deflated_sharpe_ratio,
  expected_max_sharpe,
  moments,
  probabilistic_sharpe_ratio,
  subsets,
} from "../../runtime/sweep/overfitting.ts";

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

describe("the normal distribution", () => {
  test("table values", () => {
    expect(normal_cdf(0)).toBeCloseTo(0.5, 12);
    expect(normal_cdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normal_cdf(-1)).toBeCloseTo(0.158655253931457, 12);
    expect(normal_ppf(0.975)).toBeCloseTo(1.959964, 5);
    expect(normal_ppf(0.01)).toBeCloseTo(-2.326348, 5);
    expect(normal_ppf(0.5)).toBeCloseTo(0, 9);
  });
});

describe("the deflated Sharpe ratio", () => {
  test("the paper's example: SR 2.5 a year over 5 years of days, skew −3, kurtosis 10, 100 trials", () => {
    // Bailey & López de Prado (2014), section "A numerical example": annualised variance of the
    // trials' Sharpe ratios 1/2, 250 days a year, T = 1250; SR₀ ≈ 0.1132 and DSR ≈ 0.9004.
    const sr0 = expected_max_sharpe(100, 0.5 / 250);
    expect(sr0).toBeCloseTo(0.1132, 4);
    const dsr = probabilistic_sharpe_ratio(2.5 / Math.sqrt(250), sr0, 1250, -3, 10);
    expect(dsr).toBeCloseTo(0.9004, 4);
    expect(expected_max_sharpe(1, 0.5)).toBe(0);
  });

  test("from returns: moments by hand, then the formula", () => {
    const r = [0.01, -0.02, 0.03, 0];
    // By hand: mean 0.005; deviations ±0.005, ±0.025; Σd² = 0.0013 → sample std √(0.0013/3);
    // third moment 0 (symmetric); fourth: (2·0.005⁴ + 2·0.025⁴)/4 over (0.0013/4)².
    const m = moments(r);
    expect(m.mean).toBeCloseTo(0.005, 12);
    expect(m.std).toBeCloseTo(Math.sqrt(0.0013 / 3), 12);
    expect(m.skew).toBeCloseTo(0, 9);
    expect(m.kurtosis).toBeCloseTo(((2 * 0.005 ** 4 + 2 * 0.025 ** 4) / 4) / (0.0013 / 4) ** 2, 9);
    const sr = 0.005 / Math.sqrt(0.0013 / 3);
    const trials = [0.1, 0.2, sr];
    const v = trials.reduce((a, b) => a + (b - mean(trials)) ** 2, 0) / 2;
    const d = deflated_sharpe_ratio(r, trials);
    expect(d.trials).toBe(3);
    expect(d.sharpe).toBeCloseTo(sr, 12);
    expect(d.sr0).toBeCloseTo(expected_max_sharpe(3, v), 12);
    expect(d.dsr).toBeCloseTo(probabilistic_sharpe_ratio(sr, d.sr0, 4, 0, m.kurtosis), 12);
  });
});

describe("the probability of backtest overfitting (CSCV)", () => {
  test("subsets", () => {
    expect(subsets(4, 2)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  });

  test("two blocks where each trial's best half is the other's worst: PBO 1", () => {
    const blocks = [[[1], [-1]], [[-1], [1]]];
    const o = cscv(blocks, mean);
    expect(o.logits.length).toBe(2);
    for (const l of o.logits) expect(l).toBeCloseTo(-Math.log(2), 12);
    expect(o.pbo).toBe(1);
  });

  test("four blocks, two trials, worked by hand: PBO 1/3", () => {
    // Trial A's block returns 4, 1, 0, 3; trial B's 2, 2, 1, 1. With mean as the metric:
    // IS {0,1}: A 2.5 > B 2 → A; OOS {2,3}: A 1.5 > B 1 → A ranks 2 of 2, ω = 2/3, λ = ln 2.
    // IS {0,2}: A → OOS {1,3}: A 2 > 1.5, λ = ln 2.  IS {0,3}: A → OOS {1,2}: A 0.5 < 1.5, λ = −ln 2.
    // IS {1,2}: B 1.5 > 0.5 → OOS {0,3}: B 1.5 < 3.5, λ = −ln 2.  IS {1,3}: A → OOS {0,2}: A, ln 2.
    // IS {2,3}: A → OOS {0,1}: A 2.5 > 2, ln 2.  Two of six at or below zero.
    const a = [4, 1, 0, 3], b = [2, 2, 1, 1];
    const blocks = a.map((x, s) => [[x], [b[s]]]);
    const o = cscv(blocks, mean);
    const ln2 = Math.log(2);
    expect(o.logits.map((l) => Number(l.toFixed(12)))).toEqual(
      [ln2, ln2, -ln2, -ln2, ln2, ln2].map((l) => Number(l.toFixed(12))),
    );
    expect(o.pbo).toBeCloseTo(1 / 3, 12);
    expect(o.blocks).toBe(4);
    expect(o.trials).toBe(2);
  });

  test("fewer than two blocks or trials: undefined", () => {
    expect(cscv([[[1], [2]]]).pbo).toBeNaN();
    expect(cscv([[[1]], [[2]]]).pbo).toBeNaN();
  });
});
