/** The tearsheet's series and tables, on small inputs whose answers are known. */
import { describe, expect, test } from "vitest";
import {
  monthly_returns,
  rolling_beta,
  rolling_sharpe,
  underwater,
  worst_drawdowns,
} from "../../runtime/metrics/report/analysis.ts";
import { beta_aligned, sharpe_ratio } from "../../runtime/metrics/empyrical.ts";
import {
  escapeHtml,
  formatCell,
  rowsHtml,
  summaryHtml,
} from "../../runtime/metrics/report/tables.ts";
import { summarize } from "../../runtime/metrics/summary.ts";
import { csvData, field, renderSvg } from "../../runtime/metrics/report/charts.ts";
import { countMarks } from "./helpers.ts";

const f64 = (xs: number[]) => Float64Array.from(xs);
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe("rolling statistics", () => {
  const returns = f64([0.01, -0.02, 0.03, 0.005, -0.01, 0.02, 0.0, -0.015]);
  const bench = f64([0.005, -0.01, 0.02, 0.0, -0.004, 0.01, 0.002, -0.01]);

  test("rolling Sharpe is the Sharpe ratio of each trailing window, NaN before", () => {
    const s = rolling_sharpe(returns, 4);
    expect(Array.from(s.subarray(0, 3))).toEqual([NaN, NaN, NaN]);
    for (let i = 3; i < returns.length; i++) {
      expect(s[i]).toBeCloseTo(sharpe_ratio(returns.subarray(i - 3, i + 1)), 12);
    }
    // mean 0.00625; deviations 0.00375, −0.02625, 0.02375, −0.00125 (ddof 1)
    const sd = Math.sqrt((0.00375 ** 2 + 0.02625 ** 2 + 0.02375 ** 2 + 0.00125 ** 2) / 3);
    expect(s[3]).toBeCloseTo((0.00625 / sd) * Math.sqrt(252), 10);
  });

  test("rolling beta matches empyrical per window; twice the benchmark has beta 2", () => {
    const b = rolling_beta(returns, bench, 5);
    expect(Number.isNaN(b[3])).toBe(true);
    for (let i = 4; i < returns.length; i++) {
      expect(b[i]).toBeCloseTo(
        beta_aligned(returns.subarray(i - 4, i + 1), bench.subarray(i - 4, i + 1)),
        12,
      );
    }
    const doubled = rolling_beta(bench.map((x) => 2 * x), bench, 3);
    for (let i = 2; i < bench.length; i++) expect(doubled[i]).toBeCloseTo(2, 12);
  });

  test("bad windows and misaligned series are refused", () => {
    expect(() => rolling_sharpe(returns, 1)).toThrow(/integer ≥ 2/);
    expect(() => rolling_beta(returns, bench.subarray(1), 3)).toThrow(/benchmark has 7 values/);
  });
});

describe("monthly returns and drawdowns", () => {
  test("daily returns compound by calendar month; NaN days count as 0", () => {
    const sessions = f64(
      ["2024-01-30", "2024-01-31", "2024-02-01", "2024-02-02", "2024-03-01"].map(day),
    );
    const m = monthly_returns(sessions, f64([0.1, -0.1, 0.02, NaN, -0.05]));
    expect(m.map(({ year, month }) => [year, month])).toEqual([[2024, 1], [2024, 2], [2024, 3]]);
    expect(m[0].return).toBeCloseTo(1.1 * 0.9 - 1, 12);
    expect(m[1].return).toBeCloseTo(0.02, 12);
    expect(m[2].return).toBeCloseTo(-0.05, 12);
    expect(monthly_returns(f64([]), f64([]))).toEqual([]);
  });

  test("underwater is the fall from the running peak", () => {
    expect(Array.from(underwater(f64([100, 110, 99, 120, 60])))).toEqual([
      0,
      0,
      99 / 110 - 1,
      0,
      -0.5,
    ]);
  });

  test("worst drawdowns: peak, trough, recovery, deepest first", () => {
    const values = f64([100, 110, 99, 88, 111, 105, 111.5, 50, 60]);
    const periods = worst_drawdowns(values, 5);
    expect(periods).toEqual([
      { peak: 6, trough: 7, recovery: null, drawdown: 50 / 111.5 - 1 },
      { peak: 1, trough: 3, recovery: 4, drawdown: 88 / 110 - 1 },
      { peak: 4, trough: 5, recovery: 6, drawdown: 105 / 111 - 1 },
    ]);
    expect(worst_drawdowns(values, 1)).toHaveLength(1);
    expect(worst_drawdowns(f64([1, 2, 3]))).toEqual([]);
  });
});

describe("HTML tables", () => {
  test("cells are escaped and formatted for reading", () => {
    expect(escapeHtml(`<b a="1">&'`)).toBe("&#60;b a=&#34;1&#34;&#62;&#38;&#39;");
    expect([formatCell(NaN), formatCell(null), formatCell(3), formatCell(1234.5678)]).toEqual([
      "",
      "",
      "3",
      "1234.57",
    ]);
    expect([formatCell(0.000123456789), formatCell(Infinity), formatCell(true)]).toEqual([
      "0.000123457",
      "inf",
      "True",
    ]);
    const html = rowsHtml([{ name: "<script>alert(1)</script>", v: 1 }]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
  });

  test("head and tail with a row saying how many were left out", () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ i }));
    const html = rowsHtml(rows, { head: 2, tail: 3, caption: "ten" });
    const cells = [...html.matchAll(/<tr><td>(\d+)<\/td><\/tr>/g)].map((m) => Number(m[1]));
    expect(cells).toEqual([0, 1, 7, 8, 9]);
    expect(html).toContain("… 5 more rows …");
    expect(html).toContain("<caption>ten</caption>");
    expect(rowsHtml(rows, { tail: 20 })).not.toContain("more rows");
  });

  test("summaries side by side; benchmark rows only when a run had one", () => {
    const r = f64([0.01, -0.005, 0.002, 0.007]);
    const withBench = summarize(r, f64([0.004, -0.002, 0.001, 0.003]), { trades: 4 });
    const without = summarize(r, null, { trades: 4 });
    const one = summaryHtml({ "": without });
    expect(one).not.toContain("<thead>");
    expect(one).not.toContain("Beta");
    expect(one).toContain('<td data-metric="trades">4</td>');
    const two = summaryHtml({ "a&b": withBench, plain: without });
    expect(two).toContain("<th>a&#38;b</th><th>plain</th>");
    expect(two).toMatch(
      /<th>Beta<\/th><td data-metric="beta">[-\d.]+<\/td><td data-metric="beta">n\/a<\/td>/,
    );
  });
});

describe("chart data", () => {
  test("inline CSV: numbers to seven digits, missing values empty, text quoted", () => {
    const data = csvData({
      date: ["2024-07-01", "2024-07-02"],
      "a,b": Float64Array.from([1 / 3, NaN]),
      note: ['say "hi"', "x"],
    });
    expect(data).toEqual({
      values: 'date,"a,b",note\n2024-07-01,0.3333333,"say ""hi"""\n2024-07-02,,x',
      format: { type: "csv", parse: { "a,b": "number" } },
    });
    expect(field("BRK.B")).toBe("BRK\\.B");
  });

  test("a folded CSV column per asset renders one band each, dotted symbols included", async () => {
    const svg = await renderSvg({
      data: csvData({
        date: ["2024-07-01", "2024-07-02", "2024-07-03"],
        "BRK.B": f64([0.5, 0.4, 0.6]),
        AAPL: f64([0.5, 0.6, 0.4]),
      }),
      transform: [{ fold: [field("BRK.B"), "AAPL"], as: ["symbol", "weight"] }],
      mark: "area",
      encoding: {
        x: { field: "date", type: "temporal" },
        y: { field: "weight", type: "quantitative", stack: "zero" },
        color: { field: "symbol", type: "nominal" },
      },
    });
    expect(countMarks(svg)).toEqual({ area: 2 });
    expect(svg).toContain("BRK.B");
  });
});
