/**
 * Where this installation of Harvester is: the folder holding its `deno.json`, its shipped data
 * and strategies.
 *
 * Why it is looked for rather than written as `new URL("../../", import.meta.url)`: the command
 * line runs bundled (`runtime/cli/bundle.ts`), and in a bundle a module's code sits in a chunk whose
 * folder is not its source file's. The nearest folder above this module's code that holds both
 * `deno.json` and `runtime/` is the root either way.
 *
 * @module
 */
// Deno's own stat: `node:fs` costs a backtest's start-up about 10 ms the first time it loads.
function holds(dir: URL, name: string): boolean {
  try {
    Deno.statSync(new URL(name, dir));
    return true;
  } catch {
    return false;
  }
}

function findRoot(from: URL): URL {
  for (let dir = new URL("./", from);;) {
    if (holds(dir, "deno.json") && holds(dir, "runtime/")) return dir;
    const up = new URL("../", dir);
    if (up.href === dir.href) {
      throw new Error(`no Harvester installation (deno.json beside runtime/) above ${from.href}`);
    }
    dir = up;
  }
}

/** The installation's root folder, as a URL ending in `/`. */
export const INSTALL_ROOT: URL = findRoot(new URL(import.meta.url));

/**
 * A file or folder of the installation, by its path from the root.
 *
 * @example
 * ```ts
 * installed("strategies/dual_moving_average_explained.ts"); // file:///…/strategies/…
 * ```
 */
export function installed(path: string): URL {
  return new URL(path, INSTALL_ROOT);
}
