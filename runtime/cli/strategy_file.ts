/**
 * Loading a strategy — a file (`ALGO.ts`, `-f/--algofile`) or text (`-t/--algotext`) — and saying
 * what is wrong with it as the user's own mistake, at its file, line and column: a syntax error, an
 * import of a name `harvester/api` does not have (zipline's that are not here yet, or a misspelling
 * with the nearest name), a module that cannot be found, or a Python file.
 */
import { absolute, exists, fileUrl, removeAll } from "../fs.ts";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarvesterError } from "../errors.ts";
import { asStrategy, type Strategy } from "../engine/strategy.ts";
import { UsageError } from "./command.ts";
import { displayPath } from "./user_fault.ts";
import { Asset } from "../assets/asset.ts";
import { lazyImport } from "../lazy.ts";

/** A strategy that cannot be loaded, at a place in the user's code. */
export class StrategyLoadError extends HarvesterError {
  override name = "StrategyLoadError";
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    /** Deno's excerpt of the offending line, when it gave one. */
    readonly excerpt = "",
  ) {
    super(`${file}:${line}:${column}: ${reason}${excerpt ? `\n${excerpt}` : ""}`);
  }
}

/** zipline's `zipline.api` names that Harvester does not have yet, with what to do instead. */
const NOT_YET: Record<string, string> = {
  continuous_future: "futures are not supported yet",
  future_symbol: "futures are not supported yet",
  fetch_csv: "load your data as a pipeline dataset (loaders.csv) or read it in initialize",
  history: "zipline's old history() is data.history(assets, fields, bar_count, frequency)",
};

/** The modules a strategy imports from Harvester, and what each holds. */
const MODULES: Record<string, () => Promise<Record<string, unknown>>> = {
  "harvester/api": () => import("../entry/api.ts"),
  "harvester/notebook": () => import("../entry/notebook.ts"),
  "harvester/bundles": () => import("../../bundles/mod.ts"),
};

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/**
 * The export of `names` nearest to `name`, if it is near enough to be a misspelling.
 *
 * @example
 * ```ts
 * nearest("order_targt_percent", ["order", "order_target_percent"]); // "order_target_percent"
 * ```
 */
export function nearest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined, dist = Infinity;
  for (const n of names) {
    const k = levenshtein(name.toLowerCase(), n.toLowerCase());
    if (k < dist) [best, dist] = [n, k];
  }
  return dist <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** `at file:///x.ts:3:15` at the end of Deno's message: the place. */
function place(message: string): { url: string; line: number; column: number } | null {
  const m = /at (file:\/\/\S+?):(\d+):(\d+)\s*$/.exec(message);
  return m ? { url: m[1], line: Number(m[2]), column: Number(m[3]) } : null;
}

/** Why a module failed to load, said about the user's code; null when it is not about it. */
async function loadFault(e: unknown): Promise<StrategyLoadError | null> {
  if (!(e instanceof Error)) return null;
  const message = e.message.replace(ANSI, "");
  const at = place(message);
  if (!at) return null;
  const file = displayPath(fileURLToPath(at.url));
  const head = message.slice(0, message.lastIndexOf(" at ")).trimEnd();
  const syntax = /^SyntaxError: ([^\n]*)\n?([\s\S]*?)\s*$/.exec(head);
  if (syntax) {
    return new StrategyLoadError(file, at.line, at.column, `SyntaxError: ${syntax[1]}`, syntax[2]);
  }
  const missing = /^The requested module '([^']+)' does not provide an export named '([^']+)'/
    .exec(head);
  if (missing) {
    const [, mod, name] = missing;
    let reason = `${mod} has no export named \`${name}\``;
    if (mod === "harvester/api" && NOT_YET[name]) {
      reason = `\`${name}\` is not part of harvester/api yet (${NOT_YET[name]})`;
    } else if (MODULES[mod]) {
      const near = nearest(name, Object.keys(await MODULES[mod]()));
      if (near) reason += `; did you mean \`${near}\`?`;
    }
    return new StrategyLoadError(file, at.line, at.column, reason);
  }
  const notFound = /^Module not found "([^"]+)"/.exec(head);
  if (notFound) {
    const target = notFound[1].startsWith("file:")
      ? displayPath(fileURLToPath(notFound[1]))
      : notFound[1];
    return new StrategyLoadError(file, at.line, at.column, `cannot find module ${target}`);
  }
  const unmapped = /^Import "([^"]+)" not a dependency/.exec(head);
  if (unmapped) {
    const spec = unmapped[1];
    const hint = spec.startsWith("zipline")
      ? "zipline's Python modules are harvester/api here (README: Coming from zipline)"
      : spec.startsWith("harvester/")
      ? `Harvester's modules are ${Object.keys(MODULES).join(", ")}`
      : "add it to the imports of your deno.json (harvester init writes one)";
    return new StrategyLoadError(file, at.line, at.column, `cannot import "${spec}": ${hint}`);
  }
  return null;
}

/**
 * Imports a strategy module, turning load failures into the user's faults at their place.
 *
 * @example
 * ```ts
 * const strategy = await importStrategy(fileUrl("algo.ts").href, "algo.ts");
 * ```
 */
export async function importStrategy(url: string, source: string): Promise<Strategy> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (e) {
    throw (await loadFault(e)) ?? e;
  }
  let api: Record<string, unknown> | null = null;
  try {
    api = await lazyImport<Record<string, unknown>>("harvester/api");
  } catch {
    // Not importable here: then the strategy did not import it either.
  }
  if (api) checkSameHarvester(api);
  return asStrategy(mod, source);
}

/**
 * Fails when `harvester/api`, as the strategy resolves it, is another copy of Harvester than the
 * one running. That happens only if the bundled command line was made again between this
 * process's start and its strategy's import, because the sources changed meanwhile
 * (`bundle.ts`). The strategy's orders would then reach no running algorithm and its classes
 * would fail the engine's checks, so this says what happened instead.
 */
export function checkSameHarvester(api: Record<string, unknown>): void {
  if (api.Asset === undefined || api.Asset === Asset) return;
  throw new HarvesterError(
    "harvester/api is another copy of Harvester than the one running: its bundle was made " +
      "again while this command started, after a change to the sources. Run the command again",
  );
}

/**
 * Loads a strategy file. A `.py` file is refused with what to do instead.
 *
 * @example
 * ```ts
 * const strategy = await loadStrategyFile("strategies/buyapple.ts");
 * ```
 */
export async function loadStrategyFile(path: string): Promise<Strategy> {
  if (/\.py$/i.test(path)) {
    throw new UsageError(
      `${path} is a Python file: Harvester runs TypeScript strategies. Port it (the README's ` +
        `"Coming from zipline" maps zipline's Python to TypeScript), or start from the example ` +
        "strategy `harvester init` writes",
    );
  }
  const full = absolute(path);
  if (!exists(full)) throw new UsageError(`strategy file ${path} does not exist`);
  return await importStrategy(fileUrl(full).href, path);
}

/**
 * A strategy given as text (zipline's `-t/--algotext`): written to a temporary module, imported,
 * and removed. Errors point at `<algotext>` lines.
 *
 * @example
 * ```ts
 * const strategy = await loadStrategyText('export function initialize() {}');
 * ```
 */
export async function loadStrategyText(text: string): Promise<Strategy> {
  const dir = Deno.makeTempDirSync({ prefix: "hv-algotext-" });
  const file = join(dir, "algotext.ts");
  Deno.writeTextFileSync(file, text);
  try {
    return await importStrategy(fileUrl(file).href, "<algotext>");
  } finally {
    removeAll(dir);
  }
}
