/**
 * Runs notebooks headlessly the way CI does: Debian's `jupyter-nbconvert` (with `nbclient` and
 * `ipykernel`, under `/usr/bin/python3`) executes them on Deno's Jupyter kernel. The kernel spec
 * used points at the Deno running the tests, in a temporary `JUPYTER_PATH`, so the notebooks run
 * on exactly this Deno; each run gets its own `HARVESTER_ROOT`.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

/** Debian's Python, whatever `python3` on PATH is. */
export const PYTHON = "/usr/bin/python3";

/** What is missing to run notebooks (empty when all is there), each with its Debian package. */
export function missingTools(): string[] {
  if (!existsSync(PYTHON)) return ["/usr/bin/python3 (apt-get install python3)"];
  const missing: string[] = [];
  for (
    const [module, pkg] of [
      ["nbconvert", "jupyter-nbconvert"],
      ["nbclient", "python3-nbclient"],
      ["ipykernel", "python3-ipykernel"],
    ]
  ) {
    const r = spawnSync(PYTHON, ["-c", `import ${module}`], { env: pythonEnv({}) });
    if (r.status !== 0) missing.push(`${module} (apt-get install ${pkg})`);
  }
  return missing;
}

/**
 * The kernel spec `deno jupyter --install` wrote for the user (`.ci/run` installs it), or null.
 * Resolved by jupyter_client exactly as JupyterLab and nbconvert would.
 */
export function installedDenoKernel(): { argv: string[] } | null {
  const r = spawnSync(PYTHON, [
    "-c",
    "import json; from jupyter_client.kernelspec import KernelSpecManager as K; " +
    "print(json.dumps(K().get_kernel_spec('deno').argv))",
  ], { env: pythonEnv({}), encoding: "utf8" });
  return r.status === 0 ? { argv: JSON.parse(r.stdout) } : null;
}

/** The environment for Debian's Python: the caller's, without a foreign Python's settings. */
function pythonEnv(extra: Record<string, string>): Record<string, string> {
  const env = { ...Deno.env.toObject(), ...extra };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.VIRTUAL_ENV;
  return env;
}

/** One output of an executed cell, as nbformat stores it. */
export interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}

/** An executed notebook: its code cells' outputs and how the run went. */
export interface Executed {
  name: string;
  /** The executed notebook file nbconvert wrote. */
  file: string;
  /** Outputs of each code cell, in order. */
  cells: Output[][];
  /** Each code cell's execution count (null if it never ran). */
  counts: (number | null)[];
  /** The HARVESTER_ROOT the kernel used. */
  root: string;
  seconds: number;
}

/** Joins nbformat's multi-line strings. */
export function text(v: unknown): string {
  return Array.isArray(v) ? v.join("") : String(v ?? "");
}

/** The hash of a notebook's code, stored in its metadata when its outputs are generated. */
export async function sourceHash(
  nb: { cells: { cell_type: string; source: string | string[] }[] },
) {
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => text(c.source));
  const bytes = new TextEncoder().encode(JSON.stringify(code));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Executes `notebooks/<name>` headlessly; rejects with nbconvert's log if the run fails. */
export async function execute(notebook: string): Promise<Executed> {
  const work = mkdtempSync(join(tmpdir(), "hv-nb-"));
  const kernels = join(work, "jupyter", "kernels", "deno");
  mkdirSync(kernels, { recursive: true });
  writeFileSync(
    join(kernels, "kernel.json"),
    JSON.stringify({
      argv: [Deno.execPath(), "jupyter", "--kernel", "--conn", "{connection_file}"],
      display_name: "Deno",
      language: "typescript",
    }),
  );
  const root = join(work, "harvester");
  const out = join(work, "out");
  const env = pythonEnv({
    HARVESTER_ROOT: root,
    JUPYTER_PATH: join(work, "jupyter"),
    JUPYTER_RUNTIME_DIR: join(work, "runtime"),
    DENO_NO_UPDATE_CHECK: "1",
    NO_COLOR: "1",
  });
  const t0 = performance.now();
  const log = await new Promise<string>((done, fail) => {
    const p = spawn(PYTHON, [
      "-m",
      "nbconvert",
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.kernel_name=deno",
      "--ExecutePreprocessor.timeout=300",
      "--ExecutePreprocessor.startup_timeout=120",
      "--output-dir",
      out,
      resolve(notebook),
    ], { env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    p.stdout!.on("data", (c: Uint8Array) => (err += new TextDecoder().decode(c)));
    p.stderr!.on("data", (c: Uint8Array) => (err += new TextDecoder().decode(c)));
    p.on("error", fail);
    p.on(
      "close",
      (code) =>
        code === 0 ? done(err) : fail(new Error(`nbconvert ${notebook} exited ${code}:\n${err}`)),
    );
  });
  const file = join(out, basename(notebook));
  if (!existsSync(file)) throw new Error(`nbconvert wrote no ${file}:\n${log}`);
  const nb = JSON.parse(readFileSync(file, "utf8")) as {
    cells: { cell_type: string; outputs?: Output[]; execution_count?: number | null }[];
  };
  const code = nb.cells.filter((c) => c.cell_type === "code");
  return {
    name: basename(notebook),
    file,
    cells: code.map((c) => c.outputs ?? []),
    counts: code.map((c) => c.execution_count ?? null),
    root,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Error outputs and anything written to stderr. */
export function errorOutputs(nb: Executed): string[] {
  return nb.cells.flat().filter((o) =>
    o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr")
  ).map((o) => o.output_type === "error" ? `${o.ename}: ${o.evalue}` : text(o.text));
}

/** Every rich output (display_data or execute_result) with the given MIME type, in order. */
export function withMime(nb: Executed, mime: string): Record<string, unknown>[] {
  return nb.cells.flat().filter((o) => o.data && mime in o.data).map((o) => o.data!);
}
