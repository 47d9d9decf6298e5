/**
 * `harvester init [DIR]`: a strategy folder of one's own, outside this repository. It writes a
 * `deno.json` whose imports resolve `harvester/api`, `harvester/notebook` and `harvester/bundles`
 * to this installation (absolute file URLs) and whose scope gives Harvester's own files the npm
 * packages they import; Harvester's `deno.lock`, so the folder uses the versions Harvester was
 * tested with (and needs no download when they are cached); an example strategy; and VS Code
 * settings enabling Deno. `deno check algo.ts` and `harvester backtest algo.ts …` then work there.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, UsageError } from "./command.ts";
import { PROCESS_ENV_PREFIX } from "../process_env.ts";
import { V8_FLAGS_ARG } from "../v8_flags.ts";
import { INSTALL_ROOT, installed } from "../install.ts";
import { entryPoints } from "./bundle.ts";

/** The example strategy: zipline's dual moving average, with its fields declared. */
export const EXAMPLE_STRATEGY = `/**
 * Dual moving average crossover (zipline's example): hold AAPL while its 50-day average is above
 * its 200-day average. Run it with
 *   harvester backtest algo.ts -s 2010-01-01 -e 2014-12-31 -o perf.csv
 */
import { order_target_percent, record, symbol } from "harvester/api";
import type { Asset, BarData, Context } from "harvester/api";

/** What this strategy keeps on \`context\` (checked by \`deno check\` and your editor). */
type State = { asset: Asset; short: number; long: number };

export async function initialize(context: Context<State>) {
  context.asset = await symbol("AAPL");
  context.short = Number(context.params.short ?? 50); // -D short=20 on the command line
  context.long = Number(context.params.long ?? 200);
}

export async function handle_data(context: Context<State>, data: BarData) {
  const prices = await data.history(context.asset, "price", context.long, "1d");
  const short_mavg = prices.tail(context.short).mean();
  const long_mavg = prices.mean();
  await order_target_percent(context.asset, short_mavg > long_mavg ? 1 : 0);
  record({ short_mavg, long_mavg, price: prices.last() });
}
`;

/**
 * The `deno.json` of a strategy folder for the installation at `install`.
 *
 * @example
 * ```ts
 * strategyDenoJson(new URL("file:///opt/harvester/")).imports; // { "harvester/api": "file:///opt/…" }
 * ```
 */
export function strategyDenoJson(install: URL): Record<string, unknown> {
  const own = JSON.parse(readFileSync(new URL("deno.json", install), "utf8")) as {
    imports: Record<string, string>;
  };
  const imports: Record<string, string> = {};
  // The user-facing entry points (`harvester/*`), as the installation's deno.json names them;
  // not the ones only the bundle needs (`harvester/internal/*`: the output thread's module).
  for (const [name, path] of Object.entries(entryPoints(own))) {
    if (!name.startsWith("harvester/internal/")) imports[name] = new URL(path, install).href;
  }
  // Harvester's files import npm packages by bare name: resolved for them, and only them.
  const deps: Record<string, string> = {};
  for (const [name, target] of Object.entries(own.imports)) {
    if (target.startsWith("npm:") && name !== "vitest") deps[name] = target;
  }
  // From the sources, not the bundle (`bundle.ts`): the bundle runs with an import map of its own,
  // which would hide what this folder's deno.json adds (a strategy's own packages). Lazy dynamic
  // imports, as Harvester's deno.json has them: a command loads only its own modules.
  const cli = `${PROCESS_ENV_PREFIX} deno run -A --unstable-lazy-dynamic-imports ${V8_FLAGS_ARG} ${
    new URL("runtime/cli/main.ts", install).href
  }`;
  return {
    imports,
    scopes: { [install.href]: deps },
    tasks: {
      harvester: cli,
      backtest: `${cli} backtest algo.ts -s 2010-01-01 -e 2014-12-31 -o out/perf.csv`,
    },
  };
}

const VSCODE_SETTINGS = {
  "deno.enable": true,
  "deno.lint": true,
  "[typescript]": { "editor.defaultFormatter": "denoland.vscode-deno" },
};

export const initCommand: Command = {
  name: "init",
  summary:
    "Makes a strategy folder: deno.json mapping harvester/api, harvester/notebook and harvester/bundles to this installation, an example strategy (algo.ts), and VS Code settings enabling Deno.",
  usage: "init [DIR] [--force]",
  help: [
    "DIR       the folder (default: the current one); made if missing",
    "--force   overwrite deno.json, deno.lock, algo.ts and .vscode/settings.json if they exist",
  ],
  options: { force: { type: "boolean" } },
  positionals: [0, 1],
  run(args, io) {
    const dir = resolve(args.positionals[0] ?? ".");
    const files: [string, string][] = [
      ["deno.json", JSON.stringify(strategyDenoJson(INSTALL_ROOT), null, 2) + "\n"],
      ["deno.lock", readFileSync(installed("deno.lock"), "utf8")],
      ["algo.ts", EXAMPLE_STRATEGY],
      [join(".vscode", "settings.json"), JSON.stringify(VSCODE_SETTINGS, null, 2) + "\n"],
    ];
    const existing = files.map(([f]) => f).filter((f) => existsSync(join(dir, f)));
    if (existing.length && !args.values.force) {
      throw new UsageError(
        `${dir} already has ${existing.join(", ")}; --force overwrites ${
          existing.length > 1 ? "them" : "it"
        }`,
      );
    }
    mkdirSync(join(dir, ".vscode"), { recursive: true });
    for (const [f, text] of files) writeFileSync(join(dir, f), text);
    io.stdout(
      [
        `wrote ${files.map(([f]) => f).join(", ")} in ${dir}`,
        "next:",
        `  cd ${args.positionals[0] ?? "."}`,
        "  deno check algo.ts",
        "  harvester backtest algo.ts -s 2010-01-01 -e 2014-12-31 -o out/perf.csv   (or: deno task backtest)",
        "",
      ].join("\n"),
    );
    return Promise.resolve(0);
  },
};
