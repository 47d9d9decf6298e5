/**
 * `harvester` as users run it (`deno task harvester`, the README's global install): the command
 * line from its bundle (`bundle.ts`), made fresh first when the sources changed. Runs with the
 * import map `launch.imports.json`, through which a strategy's `harvester/api` is the bundle's.
 * `runtime/cli/main.ts` still runs the same command line straight from the sources.
 */
import { freshBundle } from "./bundle.ts";

let entry: URL;
try {
  entry = await freshBundle(new URL("../../", import.meta.url));
} catch (e) {
  console.error(`harvester: ${(e as Error).message}`);
  Deno.exit(1);
}
const cli: typeof import("./main.ts") = await import(entry.href);
await cli.main();
