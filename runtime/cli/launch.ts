/**
 * `harvester` as users run it (`deno task harvester`, the README's global install): the command
 * line from its bundle (`bundle.ts`), made fresh first when the sources changed. Runs with the
 * import map `launch.imports.json`, through which a strategy's `harvester/api` is the bundle's.
 * `runtime/cli/main.ts` still runs the same command line straight from the sources.
 */
import { freshBundle } from "./bundle.ts";

const entry = await freshBundle(new URL("../../", import.meta.url));
const cli: typeof import("./main.ts") = await import(entry.href);
await cli.main();
