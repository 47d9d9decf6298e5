/**
 * The `deno` arguments that run `harvester` as users do (`launch.ts`: the bundled command line,
 * with its import map and the runtime's V8 flags), for the benchmarks and tests that start it as
 * a process. `deno task harvester` and the README's global install spell out the same flags (a
 * test keeps them equal).
 */
import { fileURLToPath } from "node:url";
import { V8_FLAGS_ARG } from "../v8_flags.ts";

/** The flags `launch.ts` runs with (Deno's, before the V8 flags). */
export const LAUNCH_FLAGS = ["--unstable-lazy-dynamic-imports"] as const;

/** `deno run` arguments, up to and including the script, for the installation at `root`. */
export function launchArgs(root: URL): string[] {
  const at = (p: string) => fileURLToPath(new URL(p, root));
  return [
    "run",
    "-A",
    ...LAUNCH_FLAGS,
    `--config=${at("deno.json")}`,
    `--import-map=${at("runtime/cli/launch.imports.json")}`,
    V8_FLAGS_ARG,
    at("runtime/cli/launch.ts"),
  ];
}
