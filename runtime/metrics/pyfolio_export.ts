/**
 * A run in pyfolio's input shapes, as CSV files pandas reads straight into
 * `pf.create_full_tear_sheet(returns, positions=…, transactions=…)`:
 *
 * - `returns.csv`: `date,returns` — daily returns;
 * - `positions.csv`: `date,<symbol>…,cash` — dollars held per asset at each session's end;
 * - `transactions.csv`: `date,symbol,amount,price,txn_dollars` — one row per fill, at its time.
 *
 * Dates carry their UTC offset (`2014-01-02 00:00:00+00:00`), so pandas parses all three files
 * to the same time zone, as pyfolio's own zipline import does.
 *
 * @module
 */
import { join } from "node:path";
import type { Results } from "./results.ts";
import { position_values, pyfolio_transactions } from "./positions.ts";

/** `2014-01-02 21:00:00+00:00` (pandas' own rendering of a UTC timestamp). */
export function pandasTime(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "+00:00");
}

const num = (x: number) => (Number.isFinite(x) ? String(x) : "");
const text = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/** The three files' contents, by file name. */
export function pyfolioTables(results: Results): Record<string, string> {
  const n = results.length;
  const returns = ["date,returns"];
  for (let i = 0; i < n; i++) {
    returns.push(`${pandasTime(results.sessions[i])},${num(results.perf.returns[i])}`);
  }
  const p = position_values(results);
  const positions = [["date", ...p.symbols.map(text), "cash"].join(",")];
  for (let i = 0; i < n; i++) {
    positions.push(
      [pandasTime(p.dates[i]), ...p.values.map((v) => num(v[i])), num(p.cash[i])].join(","),
    );
  }
  const transactions = ["date,symbol,amount,price,txn_dollars"];
  for (const t of pyfolio_transactions(results)) {
    transactions.push(
      [pandasTime(t.dt), text(t.symbol), num(t.amount), num(t.price), num(t.txn_dollars)].join(","),
    );
  }
  return {
    "returns.csv": returns.join("\n") + "\n",
    "positions.csv": positions.join("\n") + "\n",
    "transactions.csv": transactions.join("\n") + "\n",
  };
}

/**
 * Writes `returns.csv`, `positions.csv` and `transactions.csv` into `dir` (created if need be);
 * returns the paths written.
 *
 * @example
 * ```ts
 * to_pyfolio(results, "out/pyfolio");
 * // python: returns = pd.read_csv("out/pyfolio/returns.csv", index_col=0, parse_dates=True)["returns"]
 * ```
 */
export function to_pyfolio(results: Results, dir: string): string[] {
  Deno.mkdirSync(dir, { recursive: true });
  return Object.entries(pyfolioTables(results)).map(([name, content]) => {
    const path = join(dir, name);
    Deno.writeTextFileSync(path, content);
    return path;
  });
}
