/**
 * Runs one cell in a process of its own (`child.ts`), so a crash, an `Deno.exit` or an
 * out-of-memory in a strategy ends that process only. The outcome is the result, or the error as
 * the process reported it (its last `cell failed:` line, else the tail of its stderr and its exit
 * status).
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type CellResult, type CellSpec, parseResult } from "./cell.ts";

/** A cell's end: its result, or why it has none. */
export type CellOutcome = { ok: true; result: CellResult } | { ok: false; error: string };

/** How cell processes are started. */
export interface ProcessOptions {
  /** Environment of the process (`HARVESTER_ROOT` says where bundles are). */
  env: Record<string, string | undefined>;
  /** V8's old-space limit per cell, in MB (a cell over it fails alone). */
  memory_mb?: number;
}

const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** The `deno run` arguments of a cell process. */
export function childArgs(resultPath: string, opts: ProcessOptions): string[] {
  const v8 = ["--min-semi-space-size=16"];
  if (opts.memory_mb) v8.push(`--max-old-space-size=${opts.memory_mb}`);
  return [
    "run",
    "-A",
    "--quiet",
    "--config",
    CONFIG,
    `--v8-flags=${v8.join(",")}`,
    CHILD,
    resultPath,
  ];
}

/** The error a failed process reported. */
function processError(stderr: string, code: number, signal: string | null): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  const reported = lines.findLast((l) => l.startsWith("cell failed: "));
  if (reported) return reported.slice("cell failed: ".length);
  const how = signal ? `killed by ${signal}` : `exited with status ${code}`;
  // V8's fatal out-of-memory report is followed by a C stack trace: its first line says it all.
  const oom = lines.find((l) => /out of memory/i.test(l));
  if (oom) return `the cell's process ran out of memory (${how}): ${oom.replace(/^#\s*/, "")}`;
  const tail = lines.slice(-3).join(" | ");
  return tail ? `the cell's process ${how}: ${tail}` : `the cell's process ${how}`;
}

/**
 * Runs a cell in a new process and waits for it.
 *
 * @example
 * ```ts
 * const outcome = await runCellProcess(spec, { env: Deno.env.toObject() });
 * if (!outcome.ok) console.error(outcome.error);
 * ```
 */
export async function runCellProcess(spec: CellSpec, opts: ProcessOptions): Promise<CellOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "hv-sweep-cell-"));
  const resultPath = join(dir, "result.json");
  try {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.env)) if (v !== undefined) env[k] = v;
    const child = new Deno.Command(Deno.execPath(), {
      args: childArgs(resultPath, opts),
      env,
      clearEnv: true,
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // The spec goes as one line; stdin stays open so the child sees this process go away.
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(spec) + "\n"));
    const stderrText = new Response(child.stderr).text();
    const status = await child.status;
    await writer.close().catch(() => {});
    const stderr = await stderrText;
    if (status.success) {
      try {
        return { ok: true, result: parseResult(readFileSync(resultPath, "utf8")) };
      } catch (e) {
        return { ok: false, error: `the cell's process left no result (${(e as Error).message})` };
      }
    }
    return { ok: false, error: processError(stderr, status.code, status.signal) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
