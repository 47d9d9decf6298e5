/**
 * What a backtest loads before it can start: the static import graph of the backtest command and
 * of `harvester/api` (what a strategy imports). Deno's Node layer costs ≈ 10 ms of start-up for
 * `node:fs` (and as much for `node:zlib`) the first time one is imported, and an npm package
 * (DuckDB, Arrow, Vega, parquet-wasm) far more: those load on demand (`runtime/lazy.ts`,
 * `runtime/fs.ts`). The graph is Deno's own (`deno info --json`), followed through static
 * imports only.
 */
import { describe, expect, test } from "vitest";

const repo = new URL("../../", import.meta.url);

/** Every module `entry` reaches through static imports (type-only and dynamic ones excluded). */
function staticGraph(entry: string): string[] {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: repo,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>(), todo = [...info.roots];
  while (todo.length) {
    const s = todo.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of bySpec.get(s)?.dependencies ?? []) {
      if (d.code && !d.isDynamic) todo.push(d.code.specifier);
    }
  }
  return [...seen];
}

const HEAVY = /^(node:fs|node:fs\/promises|node:zlib|node:crypto|npm:)/;

describe("a backtest's start-up imports", () => {
  for (const entry of ["runtime/cli/backtest_command.ts", "runtime/entry/api.ts"]) {
    test(`${entry} reaches no node:fs, node:zlib, node:crypto nor npm package statically`, () => {
      const graph = staticGraph(entry);
      expect(graph.length).toBeGreaterThan(50); // the graph was followed
      expect(graph.filter((s) => HEAVY.test(s))).toEqual([]);
    });
  }
});
