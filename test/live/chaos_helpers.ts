/**
 * Helpers of the chaos suite: `harvester live` paper sessions as subprocesses of the CLI, on the
 * shipped example bundle, with their output tables read back for comparison.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchArgs } from "../../runtime/cli/launch_args.ts";

/** A strategy file of its own (no imports): buys AAPL on every bar, a few shares. */
export const BUYER =
  `export async function initialize(c) { c.asset = await c.symbol("AAPL"); c.n = 0; }
export async function handle_data(c) { c.n += 1; await c.order(c.asset, 3 + (c.n % 4)); }
`;

export function writeStrategy(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `harvester live` on a bundle replay, its state in `state` (and its files beside it). */
export function paperArgs(
  algo: string,
  state: string,
  start: string,
  end: string,
  extra: string[] = [],
): string[] {
  return [
    "live",
    algo,
    "--feed",
    "bundle:zipline-examples",
    "--start",
    start,
    "--end",
    end,
    "--capital-base",
    "100000",
    "--no-benchmark",
    "--state-file",
    state,
    ...extra,
  ];
}

export function cli(root: string, args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args: [...launchArgs(new URL("../../", import.meta.url)), ...args],
    env: { HARVESTER_ROOT: root, ...env },
    stdout: "piped",
    stderr: "piped",
  });
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(root: string, args: string[], env: Record<string, string> = {}) {
  const r = await cli(root, args, env).output();
  const d = new TextDecoder();
  return { code: r.code, stdout: d.decode(r.stdout), stderr: d.decode(r.stderr) } as Ran;
}

/** The four tables a run wrote with `-o <dir>/<name>.csv`, ids made comparable. */
export function tables(dir: string, name = "perf"): string[] {
  return ["", "_positions", "_orders", "_transactions"].map((t) =>
    readFileSync(join(dir, `${name}${t}.csv`), "utf8").replaceAll(/hv[0-9a-f]{8}-/g, "hv-")
  );
}

/** Whether a process is alive (signal 0). */
export function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}
