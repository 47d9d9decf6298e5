/**
 * Cells that crash, run out of memory or fail once, and a sweep killed midway: a crashed cell is
 * retried once and then reported with its error while the others finish; a cell that crashes
 * only the first time succeeds on its retry; a sweep killed with SIGKILL leaves its finished
 * cells in the cache, and running it again computes only the cell that was missing.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { collect, harvester, lines, readCsv, spawnHarvester, waitFor } from "./helpers.ts";

const STRATEGY = "test/fixtures/sweep/gated.ts";
const WINDOW = ["-s", "2010-01-01", "-e", "2010-03-31", "--no-benchmark"];

describe("failing cells", () => {
  test(
    "crash and out-of-memory are retried once, then reported; a one-off crash passes on retry",
    async () => {
      const root = tempRoot(), dir = tempRoot("hv-crash-");
      const log = join(dir, "runs.log");
      const r = await harvester([
        "sweep",
        STRATEGY,
        ...WINDOW,
        "--grid",
        "mode=ok,crash,once,oom",
        "-D",
        `log=${log}`,
        "-D",
        `marker=${join(dir, "marker")}`,
        "--cell-memory",
        "64",
        "--workers",
        "2",
        "-o",
        join(dir, "sweep.csv"),
      ], { HARVESTER_ROOT: root });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/2 of 4 cells failed/);
      const runs = lines(log).sort();
      // ok once; crash and oom twice each (first try and retry); once twice (crash, then pass).
      expect(runs).toEqual(["crash", "crash", "ok", "once", "once", "oom", "oom"]);
      const rows = readCsv(join(dir, "sweep.csv"));
      const by = Object.fromEntries(rows.map((row) => [row.mode, row]));
      expect(by.ok.error).toBe("");
      expect(Number(by.ok.portfolio_value)).toBeGreaterThan(0);
      expect(Number(by.once.portfolio_value)).toBe(Number(by.ok.portfolio_value));
      expect(by.crash.portfolio_value).toBe("");
      expect(by.crash.error).toMatch(/exited with status 3/);
      expect(by.oom.portfolio_value).toBe("");
      expect(by.oom.error).toMatch(/ran out of memory/);
      expect(r.stderr).toMatch(/cell mode=crash.* failed \(.*\); running it once more/);
    },
    120_000,
  );
});

describe("an interrupted sweep", () => {
  test("resumes from the cache: only the missing cell runs again", async () => {
    const root = tempRoot(), dir = tempRoot("hv-resume-");
    const log = join(dir, "runs.log"), release = join(dir, "release");
    const args = [
      "sweep",
      STRATEGY,
      ...WINDOW,
      "--grid",
      "n=1,2,3,4",
      "-D",
      "gate=4",
      "-D",
      `release=${release}`,
      "-D",
      `log=${log}`,
      "--workers",
      "1",
      "-o",
      join(dir, "sweep.csv"),
    ];
    const env = { HARVESTER_ROOT: root };
    const first = spawnHarvester(args, env);
    const stderr = collect(first.stderr), stdout = collect(first.stdout);
    try {
      // With one worker the cells run in order: the fourth starts once three are done.
      await waitFor("the fourth cell to start", () => lines(log).includes("4"));
    } finally {
      first.kill("SIGKILL");
    }
    const status = await first.status;
    await Promise.all([stderr.done, stdout.done]);
    expect(status.signal).toBe("SIGKILL");
    expect(existsSync(join(dir, "sweep.csv"))).toBe(false);
    expect(lines(log)).toEqual(["1", "2", "3", "4"]);

    writeFileSync(release, "");
    const again = await harvester(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/4 cells \(3 from the cache, 0 failed\)/);
    // Only cell 4 ran again.
    expect(lines(log)).toEqual(["1", "2", "3", "4", "4"]);
    const rows = readCsv(join(dir, "sweep.csv"));
    expect(rows.map((r) => r.n)).toEqual(["1", "2", "3", "4"]);
    // Each n holds a different weight: four different ends.
    expect(new Set(rows.map((r) => r.portfolio_value)).size).toBe(4);

    const forced = await harvester([...args, "--no-cache"], env);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/4 cells \(0 from the cache, 0 failed\)/);
    expect(lines(log).length).toBe(9);
  }, 120_000);
});
