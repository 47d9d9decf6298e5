/**
 * The command line as one bundle of JavaScript (`deno bundle`), made on the first run after the
 * sources change and kept in `.build/cli/` of the installation.
 *
 * Why: Deno loads a module at a time — resolves it, reads it, finds its transpiled text and code
 * cache — and `harvester backtest` loads about 230 of them before it runs anything. Bundled,
 * that is tens of files: the module load of a cold `harvester backtest` falls from 122 to 65 ms
 * (medians of ten processes), the whole command by about 50 ms.
 *
 * What stays the same: the bundle is the sources. `--keep-names` keeps the class names messages
 * print. A user's fault is still reported at their line (their file is not bundled), and the
 * bundle's frames count as Harvester's (`user_fault.ts`); they show the bundle's lines, with
 * their functions' names — source maps would put them at the sources' lines, but Deno reads
 * them as it loads each file, about 18 ms of every start.
 *
 * A strategy's `import … from "harvester/api"` reaches the bundle's own modules through the
 * import map the launcher runs with (`launch.imports.json`), so the strategy and the engine share
 * one copy of every class and of the running algorithm's scope. npm packages stay outside, loaded
 * by name as before.
 *
 * Fresh or not: the bundle's manifest lists every source file with its modification time and
 * size (and Deno's version); any difference — or a bundle missing — makes it again (about a
 * second). Each build is made in a folder of its own, then moved in a file at a time so that
 * nothing a running process may still load goes away (see `install`); processes bundling at
 * once end with the same files. When bundling fails, the folder's entry points re-export the
 * sources instead (the command runs as before, only slower to start) and stderr says so.
 *
 * @module
 */

/** The bundle's folder, from the installation's root. */
export const BUNDLE_DIR = ".build/cli/";

/** The folders of Harvester's own code, whose `.ts` files make the bundle. */
export const SOURCE_DIRS = ["runtime/", "bundles/", "calendars/"] as const;

/** The command line's own entry point, bundled beside the `harvester/*` ones. */
export const CLI_ENTRY = "runtime/cli/main.ts";

interface Manifest {
  deno: string;
  /** Whether the entry points are the sources' re-exports (bundling failed). */
  source: boolean;
  /** Every source file: path from the root, modification time (ms), size. */
  files: [string, number, number][];
  /** The bundle's own files, from its folder. */
  outputs: string[];
}

/** `harvester/*` import names and the source files they name (from `deno.json`). */
export function entryPoints(denoJson: { imports: Record<string, string> }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, target] of Object.entries(denoJson.imports)) {
    if (name.startsWith("harvester/")) out[name] = target.replace(/^\.\//, "");
  }
  return out;
}

/** A source file's path in the bundle's folder: `runtime/entry/api.ts` → `runtime/entry/api.js`. */
export function bundledPath(source: string): string {
  return source.replace(/\.ts$/, ".js");
}

/**
 * The import map the bundled command line runs with: `deno.json`'s imports, the `harvester/*`
 * names pointing into the bundle, each npm package's files under its name. Relative to
 * `runtime/cli/`, where the map is kept.
 */
export function launchImportMap(
  denoJson: { imports: Record<string, string> },
): { imports: Record<string, string> } {
  const entries = entryPoints(denoJson), imports: Record<string, string> = {};
  for (const [name, target] of Object.entries(denoJson.imports)) {
    imports[name] = name in entries ? `../../${BUNDLE_DIR}${bundledPath(entries[name])}` : target;
    // deno.json resolves a package's files (`parquet-wasm/bundler`) by its name; an import map
    // file only by a mapping of its own.
    if (target.startsWith("npm:")) imports[`${name}/`] = `npm:/${target.slice(4)}/`;
  }
  return { imports };
}

/** The import map's file as `deno task generate` writes it (formatted as `deno fmt` would). */
export function launchImportMapText(denoJson: { imports: Record<string, string> }): string {
  return JSON.stringify(launchImportMap(denoJson), null, 2) + "\n";
}

/**
 * A file URL's path (`node:url` would cost the launcher its first Node module's load): decoded,
 * and on Windows without the slash before the drive (`/C:/x` → `C:/x`, which Windows accepts).
 */
export function pathOf(url: URL): string {
  const path = decodeURIComponent(url.pathname);
  return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
}

function readJson<T>(url: URL): T | null {
  try {
    return JSON.parse(Deno.readTextFileSync(url)) as T;
  } catch {
    return null;
  }
}

/** Every source file now, as the manifest lists them. */
function sourceFiles(root: URL): [string, number, number][] {
  const out: [string, number, number][] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(new URL(dir, root))) {
      const path = `${dir}${e.name}`;
      if (e.isDirectory) walk(`${path}/`);
      else if (e.isFile && e.name.endsWith(".ts")) out.push(stamp(root, path));
    }
  };
  for (const d of SOURCE_DIRS) walk(d);
  out.push(stamp(root, "deno.json"));
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function stamp(root: URL, path: string): [string, number, number] {
  const s = Deno.statSync(new URL(path, root));
  return [path, s.mtime?.getTime() ?? 0, s.size];
}

/** Whether the bundle in `dir` was made from the sources as they are now. */
export function isFresh(root: URL, dir: URL): boolean {
  const m = readJson<Manifest>(new URL("manifest.json", dir));
  if (!m || m.deno !== Deno.version.deno) return false;
  // Paths as strings: a URL made per file doubled the check's 6 ms.
  const base = pathOf(root);
  for (const [path, mtime, size] of m.files) {
    let s: Deno.FileInfo;
    try {
      s = Deno.statSync(base + path);
    } catch {
      return false;
    }
    if (s.size !== size || (s.mtime?.getTime() ?? 0) !== mtime) return false;
  }
  return true;
}

/** Runs `deno bundle` into `out`; the error's text when it failed. */
async function bundle(root: URL, out: URL, entries: string[], external: string[]): Promise<
  string | null
> {
  const args = [
    "bundle",
    "--quiet",
    "--config",
    pathOf(new URL("deno.json", root)),
    "--code-splitting",
    "--platform=deno",
    "--packages=external",
    ...external.map((e) => `--external=${e}`),
    "--keep-names",
    "--outdir",
    pathOf(out),
    ...entries,
  ];
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: pathOf(root),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.success) return null;
  return new TextDecoder().decode(r.stderr).trim() || `deno bundle exited with ${r.code}`;
}

/**
 * An entry point the bundle lacks at its source's path, said as an error. esbuild lays entry
 * points out from their nearest common folder, the root only while they span its folders.
 */
function missingEntry(out: URL, entries: string[]): string | null {
  for (const e of entries) {
    try {
      Deno.statSync(new URL(bundledPath(e), out));
    } catch {
      return `the bundle has no ${bundledPath(e)}`;
    }
  }
  return null;
}

/** Entry points that re-export the sources: the command line as it runs unbundled. */
function writeSourceEntries(root: URL, out: URL, entries: string[]): void {
  for (const e of entries) {
    const file = new URL(bundledPath(e), out);
    Deno.mkdirSync(new URL("./", file), { recursive: true });
    Deno.writeTextFileSync(file, `export * from ${JSON.stringify(new URL(e, root).href)};\n`);
  }
}

/** Every file under `dir`, as paths from it. */
function filesUnder(dir: URL, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(new URL(prefix, dir))) {
    if (e.isDirectory) out.push(...filesUnder(dir, `${prefix}${e.name}/`));
    else out.push(`${prefix}${e.name}`);
  }
  return out;
}

/** How long a chunk no current entry point uses is kept (for a process started before). */
const KEEP_OLD_MS = 7 * 24 * 3600_000;

/**
 * Moves the bundle made in `made` into `dir`, never taking away a file a running process may
 * still load: a process keeps the entry points it started with and loads its chunks later, on
 * demand (a command's module, the error report when it fails) — for days, in a live session.
 * Chunks are named by their content, so a chunk already there holds the same bytes and stays;
 * new ones are moved in; then each entry point and last the manifest replace theirs, one rename
 * each. Chunks no entry point uses any more are removed once they are a week old.
 */
function install(made: URL, dir: URL, entries: readonly string[]): void {
  Deno.mkdirSync(dir, { recursive: true });
  const entryFiles = new Set(entries.map(bundledPath));
  const files = filesUnder(made);
  const moveIn = (f: string) => {
    const to = new URL(f, dir);
    Deno.mkdirSync(new URL("./", to), { recursive: true });
    Deno.renameSync(new URL(f, made), to);
  };
  for (const f of files) {
    if (entryFiles.has(f) || f === "manifest.json") continue;
    try {
      Deno.statSync(new URL(f, dir)); // there already: the same content
    } catch {
      moveIn(f);
    }
  }
  for (const f of entryFiles) moveIn(f);
  moveIn("manifest.json");
  Deno.removeSync(made, { recursive: true });
  const current = new Set(files);
  const now = Date.now();
  for (const f of filesUnder(dir)) {
    if (current.has(f)) continue;
    try {
      const s = Deno.statSync(new URL(f, dir));
      if (now - (s.mtime?.getTime() ?? now) > KEEP_OLD_MS) Deno.removeSync(new URL(f, dir));
    } catch {
      // removed by another build meanwhile
    }
  }
}

/**
 * Makes the bundle in `dir` from the sources under `root` (bundled, or the sources' re-exports
 * when bundling fails: returns why it failed, or null).
 */
export async function buildBundle(root: URL, dir: URL): Promise<string | null> {
  const denoJson = readJson<{ imports: Record<string, string> }>(new URL("deno.json", root));
  if (!denoJson) throw new Error(`cannot read ${pathOf(new URL("deno.json", root))}`);
  // Stamped before bundling: a file changed meanwhile makes the next run bundle again.
  const files = sourceFiles(root);
  const entries = [CLI_ENTRY, ...Object.values(entryPoints(denoJson))];
  const external = Object.entries(denoJson.imports).filter(([, t]) => t.startsWith("npm:"))
    .map(([name]) => name);
  Deno.mkdirSync(new URL("../", dir), { recursive: true });
  const made = new URL(`../cli-new-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}/`, dir);
  const failed = await bundle(root, made, entries, external) ?? missingEntry(made, entries);
  if (failed) {
    try {
      Deno.removeSync(made, { recursive: true });
    } catch { /* nothing was written */ }
    Deno.mkdirSync(made, { recursive: true });
    writeSourceEntries(root, made, entries);
  }
  const manifest: Manifest = {
    deno: Deno.version.deno,
    source: failed !== null,
    files,
    outputs: [...filesUnder(made), "manifest.json"].sort(),
  };
  Deno.writeTextFileSync(new URL("manifest.json", made), JSON.stringify(manifest));
  install(made, dir, entries);
  return failed;
}

/**
 * The URL of the command line's entry module, bundled and fresh: made first when the sources
 * changed since the bundle was (a note on stderr when bundling failed and the sources run).
 */
export async function freshBundle(root: URL): Promise<URL> {
  const dir = new URL(BUNDLE_DIR, root);
  if (!isFresh(root, dir)) {
    let failed: string | null;
    try {
      failed = await buildBundle(root, dir);
    } catch (e) {
      throw new Error(
        `cannot make the bundled command line in ${pathOf(dir)} (${(e as Error).message}); ` +
          `make that folder writable, or run \`deno run -A ${
            pathOf(new URL(CLI_ENTRY, root))
          } …\`, which runs from the sources`,
      );
    }
    if (failed) {
      console.error(
        `harvester: could not bundle the command line (${failed.split("\n")[0]}); ` +
          "running it from its sources, which start more slowly",
      );
    }
  }
  return new URL(bundledPath(CLI_ENTRY), dir);
}
