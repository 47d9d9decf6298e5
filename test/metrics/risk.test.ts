/** RunningRisk (O(1) per session) against the whole-array empyrical reference and zipline. */
import { describe, expect, test } from "vitest";
import * as ref from "../../runtime/metrics/empyrical.ts";
import { finiteOrNull, RunningRisk } from "../../runtime/metrics/risk.ts";
import { formatSummary, summarize } from "../../runtime/metrics/summary.ts";

const FIELDS = [
  "algo_volatility",
  "benchmark_volatility",
  "benchmark_period_return",
  "sharpe",
  "sortino",
  "max_drawdown",
  "alpha",
  "beta",
] as const;
type Field = typeof FIELDS[number];
type Stats = Record<Field, number>;

/** The reference statistics of the first `n` sessions. */
function reference(r: Float64Array, b: Float64Array, n: number): Stats {
  const rr = r.subarray(0, n), bb = b.subarray(0, n);
  const [alpha, beta] = ref.alpha_beta_aligned(rr, bb);
  return {
    algo_volatility: ref.annual_volatility(rr),
    benchmark_volatility: ref.annual_volatility(bb),
    benchmark_period_return: ref.cum_returns_final(bb),
    sharpe: ref.sharpe_ratio(rr),
    sortino: ref.sortino_ratio(rr),
    max_drawdown: ref.max_drawdown(rr),
    alpha,
    beta,
  };
}

/** Relative difference; 0 for equal values (NaN and infinities included). */
function rel(a: number, b: number): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Largest relative difference per field, running vs reference, over every prefix. Alpha is
 * measured against `max(|alpha|, 1e-1)`: it is `(1 + mean)^252 − 1`, and rounding `1 + mean`
 * quantises it in steps of about 252 × 2⁻⁵² ≈ 5.6e-14 in the reference itself.
 */
function worstOverPrefixes(r: Float64Array, b: Float64Array): Stats {
  const risk = new RunningRisk();
  const worst = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Stats;
  for (let t = 0; t < r.length; t++) {
    risk.push(r[t], b[t]);
    const want = reference(r, b, t + 1);
    for (const f of FIELDS) {
      const got = risk[f];
      const d = f === "alpha" && Number.isFinite(got) && Number.isFinite(want.alpha)
        ? Math.abs(got - want.alpha) / Math.max(Math.abs(got), Math.abs(want.alpha), 0.1)
        : rel(got, want[f]);
      if (!(d <= worst[f])) worst[f] = d;
    }
  }
  return worst;
}

/** mulberry32: a small seeded generator, so every run sees the same series. */
function uniform(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A benchmark ~ N(3e-4, 0.01) and returns = 4e-4 + 0.8 × (b − 3e-4) + N(0, spread). */
function market(seed: number, n: number, spread = 0.008): { r: Float64Array; b: Float64Array } {
  const u = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const r = new Float64Array(n), b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    b[i] = 3e-4 + 0.01 * normal();
    r[i] = 4e-4 + 0.8 * (b[i] - 3e-4) + spread * normal();
  }
  return { r, b };
}

function run(r: ArrayLike<number>, b?: ArrayLike<number>): RunningRisk {
  const risk = new RunningRisk();
  for (let i = 0; i < r.length; i++) risk.push(r[i], b?.[i] ?? 0);
  return risk;
}

describe("RunningRisk vs the empyrical reference, 2,520 seeded sessions, every prefix", () => {
  for (const seed of [1, 7, 42]) {
    test(`seed ${seed}: within 1e-12 relative on every session`, () => {
      const { r, b } = market(seed, 2520);
      const worst = worstOverPrefixes(r, b);
      for (const f of FIELDS) expect(worst[f], f).toBeLessThan(1e-12);
      // Sums and products taken in the reference's order agree to the bit.
      expect(worst.sortino).toBe(0);
      expect(worst.max_drawdown).toBe(0);
      expect(worst.benchmark_period_return).toBe(0);
    });
  }

  test("no benchmark (zeros): beta and alpha stay NaN, the rest agrees", () => {
    const { r } = market(3, 2520);
    const zeros = new Float64Array(r.length);
    const worst = worstOverPrefixes(r, zeros);
    for (const f of FIELDS) expect(worst[f], f).toBeLessThan(1e-12);
    const risk = run(r, zeros);
    expect(risk.beta).toBeNaN();
    expect(risk.alpha).toBeNaN();
    expect(risk.benchmark_volatility).toBe(0);
    expect(risk.benchmark_period_return).toBe(0);
  });

  test("ill-conditioned returns (mean 1e4 × the spread) keep full precision", () => {
    const { r, b } = market(5, 2520, 0);
    for (let i = 0; i < r.length; i++) r[i] = 1e-3 + 1e-5 * (b[i] - 3e-4);
    const worst = worstOverPrefixes(r, b);
    // Plain Welford would be off by ~1e-12 here; the double-double mean keeps ~1e-15.
    expect(worst.algo_volatility).toBeLessThan(1e-14);
    expect(worst.sharpe).toBeLessThan(1e-14);
    // The reference's own uncentred covariance sum carries ~1e-12 of noise at this condition.
    expect(worst.beta).toBeLessThan(5e-11);
  });
});

describe("edge cases", () => {
  test("before any session every statistic is NaN", () => {
    const risk = new RunningRisk();
    expect(risk.count).toBe(0);
    for (const f of FIELDS) expect(risk[f], f).toBeNaN();
  });

  test("day 0: drawdown and benchmark return only", () => {
    const risk = run([0.01], [-0.02]);
    expect(risk.count).toBe(1);
    expect(risk.max_drawdown).toBe(0);
    expect(risk.benchmark_period_return).toBe((1 - 0.02) - 1); // prod(1 + b) − 1, as rounded
    for (
      const f of [
        "algo_volatility",
        "benchmark_volatility",
        "sharpe",
        "sortino",
        "alpha",
        "beta",
      ] as const
    ) {
      expect(risk[f], f).toBeNaN();
    }
  });

  test("a loss on day 0 is a drawdown from the starting value (empyrical starts at 100)", () => {
    expect(run([-0.05]).max_drawdown).toBeCloseTo(-0.05, 15);
    expect(run([-0.05, 0.02]).max_drawdown).toBe(ref.max_drawdown(new Float64Array([-0.05, 0.02])));
  });

  test("all-zero returns: volatility 0, Sharpe and Sortino 0/0 = NaN, no drawdown", () => {
    const risk = run(new Float64Array(10), new Float64Array(10).fill(0.001).map((x, i) => x * i));
    expect(risk.algo_volatility).toBe(0);
    expect(risk.sharpe).toBeNaN();
    expect(risk.sortino).toBeNaN();
    expect(risk.max_drawdown).toBe(0);
    expect(risk.beta).toBe(0);
    expect(risk.alpha).toBe(0);
  });

  test("a constant series reproduces the two-pass rounding noise, not an exact 0", () => {
    for (const c of [0.01, 0.001, -0.003, 0.5]) {
      const r = new Float64Array(2520).fill(c);
      const risk = run(r);
      const want = reference(r, new Float64Array(r.length), r.length);
      // The deviation is pure rounding noise of the summed mean, below n·ε·|c|; its value
      // still agrees with the two-pass reference.
      const std = risk.algo_volatility / Math.sqrt(252);
      expect(std, `c=${c}`).toBeLessThan(r.length * Number.EPSILON * Math.abs(c));
      expect(rel(risk.algo_volatility, want.algo_volatility), `c=${c}`).toBeLessThan(1e-12);
      expect(rel(risk.sharpe, want.sharpe), `c=${c}`).toBeLessThan(1e-12);
      expect(rel(risk.sortino, want.sortino), `c=${c}`).toBeLessThan(1e-12);
    }
    // 0.5 sums exactly, so both see a zero deviation: Sharpe is +Infinity, null in the row.
    expect(run(new Float64Array(5).fill(0.5)).sharpe).toBe(Infinity);
  });

  test("no downside: Sortino is +Infinity, null in the perf row", () => {
    const risk = run([0.01, 0.02, 0.005]);
    expect(risk.sortino).toBe(Infinity);
    expect(ref.sortino_ratio(new Float64Array([0.01, 0.02, 0.005]))).toBe(Infinity);
    expect(finiteOrNull(risk.sortino)).toBeNull();
    expect(finiteOrNull(risk.sharpe)).toBe(risk.sharpe);
  });

  test("a constant benchmark has variance < 1e-30, so beta and alpha are NaN", () => {
    const risk = run([0.01, -0.01, 0.02], [0.001, 0.001, 0.001]);
    expect(risk.beta).toBeNaN();
    expect(risk.alpha).toBeNaN();
  });

  test("non-finite input is refused with the value named", () => {
    expect(() => new RunningRisk().push(NaN, 0)).toThrow(/returns/);
    expect(() => new RunningRisk().push(0, Infinity)).toThrow(/benchmark/);
  });
});

describe("hand-computed: r = [0.01, -0.02, 0.03], b = [0.005, -0.01, 0.02]", () => {
  const risk = run([0.01, -0.02, 0.03], [0.005, -0.01, 0.02]);
  const close = (got: number, want: number) => expect(rel(got, want)).toBeLessThan(1e-14);

  test("volatility, Sharpe, Sortino", () => {
    // mean = 0.02 / 3 = 1/150; Σ(r − mean)² = 0.0014 − 3/150² = 19/15000; var = 19/30000.
    // algo_volatility = sqrt(19/30000 × 252) = sqrt(0.1596) ≈ 0.399500
    close(risk.algo_volatility, Math.sqrt(0.1596));
    // sharpe = (1/150) / sqrt(19/30000) × sqrt(252) = sqrt(336/19) ≈ 4.205260
    close(risk.sharpe, Math.sqrt(336 / 19));
    // downside: min(r, 0)² = [0, 0.0004, 0], mean 0.0004/3, sqrt = 0.02/sqrt(3).
    // sortino = (1/150 × 252) / (0.02/sqrt(3) × sqrt(252)) = sqrt(756)/3 = sqrt(84) ≈ 9.165151
    close(risk.sortino, Math.sqrt(84));
  });

  test("max drawdown", () => {
    // cum = 100, 101, 98.98, 101.9494 → trough 98.98 under peak 101: −2.02/101 = −0.02.
    close(risk.max_drawdown, -0.02);
  });

  test("benchmark return and volatility, beta, alpha", () => {
    // prod(1 + b) − 1 = 1.005 × 0.99 × 1.02 − 1 = 0.014849
    close(risk.benchmark_period_return, 0.014849);
    // b − mean(b) = [0, −0.015, 0.015]; var(ddof=1) = 0.00045/2 → std 0.015.
    close(risk.benchmark_volatility, 0.015 * Math.sqrt(252));
    // cov = mean([0, 0.0003, 0.00045]) = 0.00025; var = 0.00045/3 = 0.00015; beta = 5/3.
    close(risk.beta, 5 / 3);
    // r − 5/3 b = [1/600, −1/300, −1/300], mean −1/600; alpha = (599/600)^252 − 1 ≈ −0.3432
    close(risk.alpha, Math.pow(599 / 600, 252) - 1);
  });
});

describe("zipline's own perf rows", () => {
  // First sessions of zipline's buyapple example (expected/buyapple.csv and the SPY returns in
  // inputs/SPY_benchmark.csv of /work/shared/conformance/zipline_examples, from zipline's
  // tests/resources/example_data.tar.gz). Three lines per session: the return, the SPY return,
  // then the perf-row values in FIELDS order.
  const rows: number[][] = [
    [-9.999999994736442e-08, -0.00019150525509459282, 1.1224972154413495e-06, 0.10542637528446679],
    [-0.009773303190342641, -11.224972160321826, -11.224972160321824, -9.999999988963282e-08],
    [-2.571349807767298e-05, -1.0647214346624083e-05],
    [2.8490002850212193e-06, -0.002870749642792103, 2.658162942336268e-05, 0.07680517857189567],
    [-0.012615996126492224, 8.687053012004261, 251.9500379687378, -9.999999988963282e-08],
    [0.0003087471916116691, 7.322510424877749e-05],
    [-7.877978343562297e-06, 0.006141619359195438, 7.309904431429522e-05, 0.10339453177656158],
    [-0.006551859413342798, -4.420380877969722, -5.167153314328694, -7.877978343556378e-06],
    [-0.0005318929240529791, -0.0005098196391671489],
  ];

  test("2014-01-03 … 2014-01-07 agree to 1e-13 (sortino and drawdown to the bit)", () => {
    const risk = new RunningRisk();
    risk.push(0, -0.009583633251378565); // 2014-01-02: nothing filled yet.
    expect(risk.benchmark_period_return).toBe(-0.009583633251378565);
    for (let k = 0; k < rows.length; k += 3) {
      const [r, b, ...want] = [...rows[k], ...rows[k + 1], ...rows[k + 2]];
      risk.push(r, b);
      FIELDS.forEach((f, j) => expect(rel(risk[f], want[j]), f).toBeLessThan(1e-13));
      expect(risk.sortino).toBe(want[FIELDS.indexOf("sortino")]);
      expect(risk.max_drawdown).toBe(want[FIELDS.indexOf("max_drawdown")]);
    }
  });
});

describe("summary", () => {
  test("whole-run figures and a table without benchmark rows when there is none", () => {
    const { r, b } = market(11, 504);
    const s = summarize(r, b, { trades: 12, exposure: new Float64Array(504).fill(0.5) });
    const risk = run(r, b);
    expect(rel(s.sharpe, risk.sharpe)).toBeLessThan(1e-12);
    expect(s.max_drawdown).toBe(risk.max_drawdown);
    expect(rel(s.cagr, Math.pow(1 + s.total_return, 0.5) - 1)).toBeLessThan(1e-12);
    expect(rel(s.calmar, s.cagr / -s.max_drawdown)).toBeLessThan(1e-15);
    expect(s.stability).toBeGreaterThanOrEqual(0);
    expect(s.avg_exposure).toBe(0.5);
    expect(formatSummary(s)).toMatch(/^Beta +\d/m);

    const plain = formatSummary(summarize(r, null, { trades: 0 }));
    expect(plain).not.toMatch(/beta|alpha|exposure/i);
    const lines = plain.split("\n");
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^Sessions +504$/);
  });

  test("a benchmark of the wrong length is refused", () => {
    expect(() => summarize(new Float64Array(3), new Float64Array(2), { trades: 0 })).toThrow(
      /benchmark/,
    );
  });
});
