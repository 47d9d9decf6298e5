/**
 * `harvester init DIR` makes a strategy folder outside the repository in which `deno check`
 * and `harvester backtest` work — with the folder's own deno.json (`deno task backtest`) and as
 * the globally installed command runs (Harvester's config). No download: `--cached-only`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, MAIN } from "./process.ts";

let root: string, dir: string;

beforeAll(() => {
  root = tempRoot();
  dir = join(mkdtempSync(join(tmpdir(), "hv-init-")), "my-strategy");
});

/** `deno ARGS…` in the strategy folder, with its own deno.json, never downloading. */
function deno(args: string[]) {
  const r = spawnSync(Deno.execPath(), args, {
    cwd: dir,
    env: { ...Deno.env.toObject(), NO_COLOR: "1", HARVESTER_ROOT: root },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("harvester init", () => {
  test(
    "writes deno.json mapping harvester/* to this installation, the lock, algo.ts, VS Code settings",
    () => {
      const r = harvester(["init", dir], { root });
      expect(r.code, r.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(dir, "deno.json"), "utf8"));
      for (const name of ["harvester/api", "harvester/notebook", "harvester/bundles"]) {
        const url = config.imports[name];
        expect(url, name).toMatch(/^file:\/\//);
        expect(existsSync(fileURLToPath(url)), name).toBe(true);
      }
      expect(config.imports["harvester/api"]).toMatch(/\/runtime\/entry\/api\.ts$/);
      // What only the bundle needs (the output thread's module) is not offered to strategies.
      expect(Object.keys(config.imports).filter((k) => k.startsWith("harvester/internal/")))
        .toEqual([]);
      expect(existsSync(join(dir, "deno.lock"))).toBe(true);
      expect(JSON.parse(readFileSync(join(dir, ".vscode/settings.json"), "utf8"))["deno.enable"])
        .toBe(true);
      expect(readFileSync(join(dir, "algo.ts"), "utf8")).toMatch(/Context<State>/);
    },
    60_000,
  );

  test("deno check passes there, and catches a misspelt context field", () => {
    const ok = deno(["check", "--cached-only", "algo.ts"]);
    expect(ok.code, ok.err).toBe(0);
    const text = readFileSync(join(dir, "algo.ts"), "utf8");
    writeFileSync(join(dir, "typo.ts"), text.replace("context.long = ", "context.lnog = "));
    const typo = deno(["check", "--cached-only", "typo.ts"]);
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/Property 'lnog' does not exist on type 'Context<State>'/);
  }, 120_000);

  test("harvester backtest works there: its own config (deno task), and as installed", () => {
    const task = deno(["task", "--quiet", "backtest"]);
    expect(task.code, task.err).toBe(0);
    expect(task.out).toMatch(/^Start\s+2010-01-04\nEnd\s+2014-12-31\n/);
    const perf = readFileSync(join(dir, "out/perf.csv"), "utf8").split("\n");
    expect(perf[0]).toMatch(/,short_mavg,long_mavg,price$/);
    expect(perf.length).toBe(1260); // header, 1,258 sessions, final newline

    const installed = harvester(
      ["backtest", "algo.ts", "-s", "2012-01-03", "-e", "2012-12-31", "-D", "short=20"],
      { root, cwd: dir },
    );
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/\n250 sessions in /);
    // The CLI run straight from the folder's own config too.
    const own = deno(["run", "-A", "--cached-only", MAIN, "assets", "zipline-examples"]);
    expect(own.code, own.err).toBe(0);
    expect(own.out).toMatch(/^symbol,sid,/);
  }, 180_000);

  test("an existing folder is not overwritten without --force", () => {
    const again = harvester(["init", dir], { root });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /already has deno\.json, deno\.lock, algo\.ts, \.vscode\/settings\.json; --force overwrites them/,
    );
    writeFileSync(join(dir, "algo.ts"), "// mine\n");
    const forced = harvester(["init", dir, "--force"], { root });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, "algo.ts"), "utf8")).toMatch(/Dual moving average/);
  }, 60_000);
});
