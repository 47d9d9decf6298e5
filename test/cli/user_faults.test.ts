/**
 * A mistake in the strategy reads as the strategy's, at its file, line and column — never as
 * Harvester's "internal error" — for exceptions (backtest and live), syntax errors, and imports
 * of names harvester/api does not have; `--debug` adds Harvester's frames. Real processes.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { reportFault } from "../../runtime/cli/user_fault.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, REPO } from "./process.ts";

let root: string, dir: string;
const RANGE = ["-s", "2014-01-02", "-e", "2014-01-31", "--no-benchmark"];

const BOOM = `import { order, symbol } from "harvester/api";
import type { Context } from "harvester/api";

export async function initialize(context: Context) {
  context.asset = await symbol("AAPL");
}

function helper(n: number) {
  if (n > 2) throw new Error("boom at " + n);
}

export async function handle_data(context: Context) {
  context.n = (context.n ?? 0) + 1;
  helper(context.n);
  await order(context.asset, 1);
}
`;

beforeAll(() => {
  root = tempRoot();
  dir = mkdtempSync(join(root, "algos-"));
  const files: Record<string, string> = {
    "boom.ts": BOOM,
    "syntax.ts":
      'import { order } from "harvester/api";\nexport function initialize(context) {\n  context.x = ;\n}\n',
    "not_yet.ts":
      'import { continuous_future } from "harvester/api";\nexport function initialize(context) {\n  context.f = continuous_future("CL");\n}\n',
    "typo.ts":
      'import { order_targt_percent } from "harvester/api";\nexport function initialize() {}\nexport const x = order_targt_percent;\n',
    "goog.ts":
      'import { symbol } from "harvester/api";\n\nexport async function initialize(context) {\n  context.g = await symbol("GOOG");\n}\n',
    "thrower.ts": 'export function initialize() {\n  throw "plain string";\n}\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

const run = (args: string[]) => harvester(args, { root, cwd: dir });

describe("an exception in the strategy", () => {
  test("backtest: the strategy's file:line:column and its own frames, exit 1", () => {
    const r = run(["backtest", "boom.ts", ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/internal error/);
    const all = r.stderr.trim().split("\n");
    // (The first run ingests the shipped bundle, which is logged before.)
    const lines = all.slice(all.findIndex((l) => l.startsWith("harvester backtest:")));
    expect(lines[0]).toBe("harvester backtest: boom.ts:9:20: Error: boom at 3");
    expect(lines[1]).toBe("    at helper (boom.ts:9:20)");
    expect(lines[2]).toBe("    at handle_data (boom.ts:14:3)");
    expect(r.stderr).toMatch(/\(simulation time 2014-01-06 21:00 UTC\)/);
    expect(r.stderr).not.toMatch(/runtime\/engine/); // Harvester's frames only with --debug
  }, 60_000);

  test("--debug adds Harvester's frames", () => {
    const r = run(["backtest", "boom.ts", ...RANGE, "--debug"]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("harvester backtest: boom.ts:9:20: Error: boom at 3");
    // Run as users run it, bundled: Harvester's frames keep their names, at the bundle's lines.
    expect(r.stderr).toMatch(
      /at handle_data \(boom\.ts:14:3\)\n\s+at Engine\.run \(.*\.build\/cli\/[\w-]+\.js:\d+:\d+\)/,
    );
    expect(r.stderr).toMatch(/`deno run -A runtime\/cli\/main\.ts …` runs the same command/);
  }, 60_000);

  test("run -t: frames point at <algotext>", () => {
    const r = run(["run", "-t", BOOM, ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr.split("\n")[0]).toBe("harvester run: <algotext>:9:20: Error: boom at 3");
  }, 60_000);

  test("live: the same report from a paper session", () => {
    const r = run([
      "live",
      "boom.ts",
      "--broker",
      "paper",
      "--feed",
      "bundle:zipline-examples",
      "--start",
      "2014-01-02",
      "--end",
      "2014-01-31",
      "--state-file",
      join(dir, "boom.state.json"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toMatch(
      /^harvester live: boom\.ts:9:20: Error: boom at 3\n {4}at helper \(boom\.ts:9:20\)\n {4}at handle_data \(boom\.ts:14:3\)\n/m,
    );
  }, 60_000);

  test("a thrown non-Error is the strategy's too", () => {
    const r = run(["backtest", "thrower.ts", ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^harvester backtest: your strategy threw "plain string"/);
  }, 60_000);

  test("Harvester's error from an API call says where in the strategy it was called", () => {
    const r = run(["backtest", "goog.ts", ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^harvester backtest: Symbol 'GOOG' was not found \(as of 2014-01-31\); `harvester assets BUNDLE` lists the symbols a bundle holds\n {4}at goog\.ts:4:\d+ \(your strategy\)/,
    );
  }, 60_000);
});

describe("a strategy that does not load", () => {
  test("a syntax error: file:line:column, the message and the line", () => {
    const r = run(["backtest", "syntax.ts", ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^harvester backtest: syntax\.ts:3:15: SyntaxError: Expression expected\n/,
    );
    expect(r.stderr).toMatch(/3 \| {3}context\.x = ;/);
    expect(r.stderr).not.toMatch(/internal error/);
  }, 60_000);

  test("a zipline name harvester/api does not have yet, and a misspelt one", () => {
    const r = run(["backtest", "not_yet.ts", ...RANGE]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "harvester backtest: not_yet.ts:1:10: `continuous_future` is not part of harvester/api yet (futures are not supported yet)",
    );
    const t = run(["backtest", "typo.ts", ...RANGE]);
    expect(t.stderr.trim()).toBe(
      "harvester backtest: typo.ts:1:10: harvester/api has no export named `order_targt_percent`; did you mean `order_target_percent`?",
    );
  }, 60_000);
});

describe("Harvester's own faults", () => {
  test("an error thrown in Harvester's code stays an internal error, naming the strategy's call", () => {
    const e = new TypeError("Cannot read properties of undefined (reading 'sid')");
    e.stack = [
      "TypeError: Cannot read properties of undefined (reading 'sid')",
      `    at TradingAlgorithm.place (file://${REPO}runtime/api/algorithm.ts:250:20)`,
      `    at handle_data (file://${REPO}strategies/buyapple.ts:12:9)`,
      `    at Engine.run (file://${REPO}runtime/engine/engine.ts:123:27)`,
    ].join("\n");
    const r = reportFault(e, { command: "backtest", debug: false });
    expect(r.code).toBe(1);
    expect(r.text).toBe(
      "harvester backtest: internal error: Cannot read properties of undefined (reading 'sid'); called from your strategy at strategies/buyapple.ts:12:9 (run with --debug for details)\n",
    );
  });
});
