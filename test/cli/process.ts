/** Runs the `harvester` CLI as a real process, bounded in time. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launchArgs } from "../../runtime/cli/launch_args.ts";
import { withProcessEnv } from "../../runtime/process_env.ts";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const MAIN = `${REPO}runtime/cli/main.ts`;

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `harvester ARGS…` with `HARVESTER_ROOT=root`, as the README's `deno task harvester` runs it
 * (bundled, `runtime/cli/launch.ts`, with its environment; from `cwd`, default the repository).
 * Killed after `timeout` ms.
 */
export function harvester(
  args: string[],
  opts: { root: string; cwd?: string; env?: Record<string, string>; timeout?: number },
): ProcessResult {
  const r = spawnSync(
    Deno.execPath(),
    [...launchArgs(new URL(`file://${REPO}`)), ...args],
    {
      cwd: opts.cwd ?? REPO,
      env: withProcessEnv({
        ...Deno.env.toObject(),
        NO_COLOR: "1",
        HARVESTER_ROOT: opts.root,
        ...opts.env,
      }),
      encoding: "utf8",
      timeout: opts.timeout ?? 120_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
