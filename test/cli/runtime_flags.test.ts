/**
 * One set of runtime flags: what `deno task harvester` runs with is what the README's global
 * install bakes in, what a strategy folder's tasks and a sweep's cells run with, and what the
 * benchmarks' child processes use. Likewise the environment processes start with
 * (`process_env.ts`), which the C library reads before any code runs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { RUNTIME_FLAGS, runtimeEnv } from "../../bench/harness.ts";
import { strategyDenoJson } from "../../runtime/cli/init_command.ts";
import { childArgs } from "../../runtime/sweep/cell_process.ts";
import { V8_FLAGS, V8_FLAGS_ARG } from "../../runtime/v8_flags.ts";
import { PROCESS_ENV, PROCESS_ENV_PREFIX, withProcessEnv } from "../../runtime/process_env.ts";

const tasks = JSON.parse(readFileSync("deno.json", "utf8")).tasks as Record<string, string>;

describe("runtime flags", () => {
  test("the benchmarks use the runtime's flags, the old generation's first limit and the young one's cap among them", () => {
    expect(RUNTIME_FLAGS).toEqual([V8_FLAGS_ARG]);
    expect(V8_FLAGS).toContain("--initial-old-space-size=128");
    expect(V8_FLAGS).toContain("--max-semi-space-size=8");
  });
  test("the harvester, demo and bench tasks run with the benchmarks' flags", () => {
    for (const name of ["harvester", "demo", "bench"]) {
      for (const f of RUNTIME_FLAGS) expect(tasks[name], name).toContain(` ${f} `);
    }
  });
  test("the harvester, demo and bench tasks and a strategy folder's start with the environment", () => {
    expect(PROCESS_ENV_PREFIX).toBe(
      "GLIBC_TUNABLES=glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=67108864:glibc.malloc.top_pad=67108864",
    );
    for (const name of ["harvester", "demo", "bench"]) {
      expect(tasks[name], name).toMatch(new RegExp(`^${PROCESS_ENV_PREFIX} deno run `));
    }
    const folder = strategyDenoJson(new URL("../../", import.meta.url)) as {
      tasks: Record<string, string>;
    };
    for (const [name, task] of Object.entries(folder.tasks)) {
      expect(task, name).toMatch(new RegExp(`^${PROCESS_ENV_PREFIX} deno run `));
    }
    expect(runtimeEnv({ HARVESTER_ROOT: "/r" }).GLIBC_TUNABLES).toBe(PROCESS_ENV.GLIBC_TUNABLES);
  });
  test("a parent's own tunables are kept, and its own choice of ours wins", () => {
    expect(withProcessEnv({ A: "1", B: undefined })).toEqual({
      A: "1",
      GLIBC_TUNABLES: PROCESS_ENV.GLIBC_TUNABLES,
    });
    expect(withProcessEnv({ GLIBC_TUNABLES: "glibc.malloc.arena_max=2" }).GLIBC_TUNABLES)
      .toBe(`glibc.malloc.arena_max=2:${PROCESS_ENV.GLIBC_TUNABLES}`);
    // A parent's own value of one of ours stays; the others are still added.
    expect(withProcessEnv({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=0" }).GLIBC_TUNABLES)
      .toBe(
        "glibc.malloc.hugetlb=0:glibc.malloc.mmap_threshold=33554432:" +
          "glibc.malloc.trim_threshold=67108864:glibc.malloc.top_pad=67108864",
      );
  });
  test("the README's export line for an installed command sets the same environment", () => {
    const line = readFileSync("README.md", "utf8").split("\n").find((l) =>
      l.startsWith("export GLIBC_TUNABLES=")
    );
    expect(line).toBe(`export ${PROCESS_ENV_PREFIX}`);
  });
  test("the README's global install uses them too", () => {
    const install = readFileSync("README.md", "utf8").split("\n").find((l) =>
      l.includes("install -g")
    );
    for (const f of RUNTIME_FLAGS) expect(install).toContain(f);
  });
  test("a strategy folder's tasks and a sweep's cell processes use them", () => {
    const folder = strategyDenoJson(new URL("../../", import.meta.url)) as {
      tasks: Record<string, string>;
    };
    for (const [name, task] of Object.entries(folder.tasks)) {
      if (task.includes("runtime/cli/main.ts")) expect(task, name).toContain(` ${V8_FLAGS_ARG} `);
    }
    const cell = childArgs({ env: {} }).find((a) => a.startsWith("--v8-flags="));
    expect(cell).toBe(V8_FLAGS_ARG);
    const limited = childArgs({ env: {}, memory_mb: 512, single_threaded: true });
    expect(limited.find((a) => a.startsWith("--v8-flags="))).toBe(
      `${V8_FLAGS_ARG},--single-threaded,--max-old-space-size=512`,
    );
  });
});
