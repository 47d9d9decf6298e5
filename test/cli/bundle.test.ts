/**
 * The bundled command line (`runtime/cli/bundle.ts`, `launch.ts`): made from the sources and made
 * again when they change, installed whole when processes bundle at once, falling back to the
 * sources when bundling fails — and, on the real installation, running a backtest to the same
 * files as the sources do, with a strategy's `harvester/api` being the bundle's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import {
  buildBundle,
  freshBundle,
  isFresh,
  launchImportMapText,
  pathOf,
} from "../../runtime/cli/bundle.ts";
import { LAUNCH_FLAGS, launchArgs } from "../../runtime/cli/launch_args.ts";
import { checkSameHarvester } from "../../runtime/cli/strategy_file.ts";
import * as harvesterApi from "harvester/api";
import { V8_FLAGS_ARG } from "../../runtime/v8_flags.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { REPO } from "./process.ts";

/** A small installation: deno.json, a command line, an entry point, and the other source folders. */
function fakeInstall(api = "export class Thing {}\nexport const VERSION = 1;\n"): URL {
  const dir = tempRoot("hv-bundle-");
  const files: Record<string, string> = {
    "deno.json": JSON.stringify({
      imports: {
        "harvester/api": "./runtime/entry/api.ts",
        "harvester/bundles": "./bundles/mod.ts",
        "harvester/calendars": "./calendars/mod.ts",
      },
    }),
    "runtime/cli/main.ts":
      'import { VERSION } from "../entry/api.ts";\nexport function main(): number {\n  return VERSION;\n}\n',
    "runtime/entry/api.ts": api,
    "bundles/mod.ts": "export const bundles = 1;\n",
    "calendars/mod.ts": "export const calendars = 1;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return pathToFileURL(`${dir}/`);
}

const bundleDir = (root: URL) => new URL(".build/cli/", root);

describe("bundling the command line", () => {
  test("the bundle holds every entry point, and is fresh until a source changes", async () => {
    const root = fakeInstall(), dir = bundleDir(root);
    expect(isFresh(root, dir)).toBe(false); // none yet
    expect(await buildBundle(root, dir)).toBeNull();
    expect(isFresh(root, dir)).toBe(true);
    const api = readFileSync(new URL("runtime/entry/api.js", dir), "utf8");
    const code = readdirSync(dir).filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(new URL(f, dir), "utf8")).join("\n") + api;
    expect(code).toMatch(/var Thing = class[^]*__name\(this, "Thing"\)/); // shared with main, name kept
    expect(api).not.toMatch(/export \* from "file:/); // bundled, not the sources' re-export
    readFileSync(new URL("runtime/cli/main.js", dir), "utf8");
    const manifest = JSON.parse(readFileSync(new URL("manifest.json", dir), "utf8"));
    expect(manifest.files.map((f: [string]) => f[0])).toEqual([
      "bundles/mod.ts",
      "calendars/mod.ts",
      "deno.json",
      "runtime/cli/main.ts",
      "runtime/entry/api.ts",
    ]);

    writeFileSync(new URL("runtime/entry/api.ts", root), "export const VERSION = 22;\n");
    expect(isFresh(root, dir)).toBe(false);
    expect(await buildBundle(root, dir)).toBeNull();
    expect(isFresh(root, dir)).toBe(true);
    const again = readdirSync(dir).filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(new URL(f, dir), "utf8")).join("\n") +
      readFileSync(new URL("runtime/cli/main.js", dir), "utf8");
    expect(again).toMatch(/VERSION = 22/);
    // Nothing left beside the bundle: the old one was removed, the new one renamed into place.
    expect(readdirSync(new URL(".build/", root))).toEqual(["cli"]);
  });

  test("a new bundle leaves the chunks a running process may still load, a week", async () => {
    const root = fakeInstall(), dir = bundleDir(root);
    const chunks = () => readdirSync(dir).filter((f) => f.endsWith(".js")).sort();
    const outputs = () =>
      JSON.parse(readFileSync(new URL("manifest.json", dir), "utf8")).outputs as string[];
    const imported = () =>
      readFileSync(new URL("runtime/cli/main.js", dir), "utf8").match(/chunk-\w+\.js/g)!;
    expect(await buildBundle(root, dir)).toBeNull();
    const first = chunks(), importedFirst = imported();
    writeFileSync(new URL("runtime/entry/api.ts", root), "export const VERSION = 3;\n");
    expect(await buildBundle(root, dir)).toBeNull();
    // The entry point imports new chunks; every chunk of the first bundle is still there.
    expect(imported()).not.toEqual(importedFirst);
    for (const c of first) expect(chunks()).toContain(c);
    const unused = first.filter((c) => !outputs().includes(c));
    expect(unused.length).toBeGreaterThan(0);
    // Once a week old and no longer made, an old chunk goes at the next build.
    const old = new Date(Date.now() - 8 * 24 * 3600_000);
    for (const c of unused) Deno.utimeSync(new URL(c, dir), old, old);
    const second = chunks();
    writeFileSync(new URL("runtime/entry/api.ts", root), "export const VERSION = 4;\n");
    expect(await buildBundle(root, dir)).toBeNull();
    for (const c of unused) expect(chunks()).not.toContain(c);
    for (const c of second.filter((c) => !unused.includes(c))) expect(chunks()).toContain(c);
    expect(isFresh(root, dir)).toBe(true);
  });

  test("processes bundling at once leave one fresh bundle", async () => {
    const root = fakeInstall(), dir = bundleDir(root);
    const results = await Promise.all([1, 2, 3].map(() => buildBundle(root, dir)));
    expect(results).toEqual([null, null, null]);
    expect(isFresh(root, dir)).toBe(true);
    expect(readdirSync(new URL(".build/", root))).toEqual(["cli"]);
  });

  test("when bundling fails the entry points re-export the sources, and why is returned", async () => {
    const root = fakeInstall("export const VERSION = ;\n"), dir = bundleDir(root);
    const failed = await buildBundle(root, dir);
    expect(failed).toMatch(/error/i);
    const api = readFileSync(new URL("runtime/entry/api.js", dir), "utf8");
    expect(api).toBe(`export * from "${new URL("runtime/entry/api.ts", root).href}";\n`);
    expect(isFresh(root, dir)).toBe(true); // not bundled again until a source changes
  });

  test("a bundle that cannot be written is an error saying what to do", async () => {
    const root = fakeInstall();
    writeFileSync(new URL(".build", root), "not a folder"); // as a folder one may not write in
    await expect(freshBundle(root)).rejects.toThrow(
      /cannot make the bundled command line in .*\.build\/cli\/ .*make that folder writable, or run `deno run -A .*runtime\/cli\/main\.ts …`/,
    );
  });

  test("paths of file URLs: decoded, and a Windows drive without the slash before it", () => {
    expect(pathOf(new URL("file:///opt/my%20harvester/deno.json"))).toBe(
      "/opt/my harvester/deno.json",
    );
    expect(pathOf(new URL("file:///C:/Users/me/harvester/"))).toBe("C:/Users/me/harvester/");
  });

  test("the launcher's import map is deno.json's, harvester/* pointing into the bundle", () => {
    const deno = JSON.parse(readFileSync(join(REPO, "deno.json"), "utf8"));
    const text = readFileSync(join(REPO, "runtime/cli/launch.imports.json"), "utf8");
    expect(text, "run `deno task generate`").toBe(launchImportMapText(deno));
    const map = JSON.parse(text).imports;
    expect(Object.keys(map).filter((k) => !k.endsWith("/"))).toEqual(Object.keys(deno.imports));
    expect(map["parquet-wasm/"]).toBe(`npm:/${deno.imports["parquet-wasm"].slice(4)}/`);
    expect(map["harvester/api"]).toBe("../../.build/cli/runtime/entry/api.js");
    expect(map["apache-arrow"]).toBe(deno.imports["apache-arrow"]);
  });

  test("deno task harvester, demo and the README's install run the launcher as launchArgs does", () => {
    const tasks = JSON.parse(readFileSync(join(REPO, "deno.json"), "utf8")).tasks;
    const install = readFileSync(join(REPO, "README.md"), "utf8").split("\n")
      .find((l) => l.includes("install -g"))!;
    const args = launchArgs(pathToFileURL(REPO));
    expect(args).toContain(V8_FLAGS_ARG);
    for (const line of [tasks.harvester, tasks.demo, install]) {
      for (const f of LAUNCH_FLAGS) expect(line).toContain(` ${f} `);
      expect(line).toMatch(/--import-map="?(\$PWD\/)?runtime\/cli\/launch\.imports\.json/);
      expect(line).toMatch(/runtime\/cli\/launch\.ts"?( |$)/);
    }
  });
});

describe("a strategy's harvester/api is the running Harvester's", () => {
  test("the same copy passes; another copy (a bundle made again meanwhile) is said so", () => {
    checkSameHarvester(harvesterApi as unknown as Record<string, unknown>);
    expect(() => checkSameHarvester({ ...harvesterApi, Asset: class Asset {} })).toThrow(
      /harvester\/api is another copy of Harvester than the one running: .*Run the command again/,
    );
  });
});

describe("the bundled command line on this installation", () => {
  const run = (cmd: string[], root: string, out: string) =>
    spawnSync(Deno.execPath(), [
      ...cmd,
      "backtest",
      strategy,
      "-s",
      "2012-01-03",
      "-e",
      "2012-12-31",
      "--no-benchmark",
      "-o",
      join(out, "perf.csv"),
    ], {
      cwd: REPO,
      env: { ...Deno.env.toObject(), NO_COLOR: "1", HARVESTER_ROOT: root },
      encoding: "utf8",
      timeout: 120_000,
    });
  const strategy = join(tempRoot("hv-bundle-algo-"), "algo.ts");
  writeFileSync(
    strategy,
    `import { order_target_percent, record, symbol } from "harvester/api";
import type { BarData, Context } from "harvester/api";
export async function initialize(context: Context) {
  console.log("api: " + import.meta.resolve("harvester/api"));
  context.asset = await symbol("AAPL");
}
export async function handle_data(context: Context, data: BarData) {
  const p = await data.history(context.asset, "price", 20, "1d");
  await order_target_percent(context.asset, p.last() > p.mean() ? 1 : 0);
  record({ mean: p.mean() });
}
`,
  );

  test("a backtest writes the same files bundled as from the sources, its harvester/api the bundle's", () => {
    const root = tempRoot();
    const src = tempRoot("hv-src-"), bun = tempRoot("hv-bun-");
    const a = run(["run", "-A", "runtime/cli/main.ts"], root, src);
    expect(a.status, a.stderr).toBe(0);
    const b = run(launchArgs(pathToFileURL(REPO)), root, bun);
    expect(b.status, b.stderr).toBe(0);
    expect(a.stdout).toMatch(/api: file:\/\/.*\/runtime\/entry\/api\.ts/);
    expect(b.stdout).toMatch(/api: file:\/\/.*\/\.build\/cli\/runtime\/entry\/api\.js/);
    const files = readdirSync(src).sort();
    expect(files).toEqual([
      "perf.csv",
      "perf_orders.csv",
      "perf_positions.csv",
      "perf_transactions.csv",
    ]);
    expect(readdirSync(bun).sort()).toEqual(files);
    // Order ids start with a prefix of the run's own (hv1a2b3c4d-17); the rest is the same.
    const text = (dir: string, f: string) =>
      readFileSync(join(dir, f), "utf8").replace(/hv[0-9a-f]{8}-/g, "hv-");
    for (const f of files) expect(text(bun, f), f).toBe(text(src, f));
    expect(readFileSync(join(src, "perf_orders.csv"), "utf8").split("\n").length).toBeGreaterThan(
      3,
    );
  });
});
