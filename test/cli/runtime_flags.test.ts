/**
 * One set of runtime flags: what `deno task harvester` runs with is what the README's global
 * install bakes in and what the benchmarks' child processes use.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { RUNTIME_FLAGS } from "../../bench/harness.ts";

const tasks = JSON.parse(readFileSync("deno.json", "utf8")).tasks as Record<string, string>;

describe("runtime flags", () => {
  test("the harvester, demo and bench tasks run with the benchmarks' flags", () => {
    for (const name of ["harvester", "demo", "bench"]) {
      for (const f of RUNTIME_FLAGS) expect(tasks[name], name).toContain(` ${f} `);
    }
  });
  test("the README's global install uses them too", () => {
    const install = readFileSync("README.md", "utf8").split("\n").find((l) =>
      l.includes("install -g")
    );
    for (const f of RUNTIME_FLAGS) expect(install).toContain(f);
  });
});
