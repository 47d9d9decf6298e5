/**
 * How the CLI reports an error, by whose it is. A strategy's own exception is the user's: its
 * file:line:column and the strategy's own stack frames, never "internal error". Harvester's
 * errors raised on purpose (bad input, a control violated) are one line, plus where in the
 * strategy the call came from. Anything else thrown inside Harvester's code is an internal error.
 * `--debug` adds Harvester's frames to all of these.
 */
import { isAbsolute, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { HarvesterError } from "../errors.ts";
import { simTimeText } from "../log.ts";
import { UsageError } from "./command.ts";
import { installed } from "../install.ts";
import { BUNDLE_DIR, SOURCE_DIRS } from "./bundle.ts";

/** The bundle's frames: named as in the sources, at the bundle's lines (`bundle.ts`). */
const BUNDLE = installed(BUNDLE_DIR).href;

/** Harvester's own code, from its sources or its bundle: frames from here are not the user's. */
const HARVESTER_DIRS = [
  ...SOURCE_DIRS.map((d) => installed(d).href),
  BUNDLE,
];

/** One frame of a V8 stack: `at fn (file:///x.ts:3:15)` or `at file:///x.ts:3:15`. */
export interface Frame {
  text: string;
  fn: string;
  url: string;
  line: number;
  column: number;
}

/**
 * The frames of an error's stack, in order (innermost first).
 *
 * @example
 * ```ts
 * frames(new Error("x").stack ?? "")[0].url; // "file:///…/this_file.ts"
 * ```
 */
export function frames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const raw of stack.split("\n")) {
    const m = /^\s+at (?:async )?(?:(.*?) \()?(\S+?):(\d+):(\d+)\)?$/.exec(raw);
    if (m) out.push({ text: raw.trim(), fn: m[1] ?? "", url: m[2], line: +m[3], column: +m[4] });
  }
  return out;
}

/**
 * A frame in the user's code: a file outside Harvester's runtime and outside node_modules.
 *
 * @example
 * ```ts
 * frames(e.stack ?? "").filter(isUserFrame); // the strategy's own frames
 * ```
 */
export function isUserFrame(f: Frame): boolean {
  if (!f.url.startsWith("file:")) return false; // ext:, node:, native
  if (f.url.includes("/node_modules/")) return false;
  return !HARVESTER_DIRS.some((d) => f.url.startsWith(d));
}

/**
 * A path as the user typed it: relative to the working directory when inside it.
 *
 * @example
 * ```ts
 * displayPath(`${Deno.cwd()}/algo.ts`); // "algo.ts"
 * ```
 */
export function displayPath(path: string): string {
  if (/[\\/]hv-algotext-[^\\/]+[\\/]algotext\.ts$/.test(path)) return "<algotext>";
  const rel = relative(Deno.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}

function where(f: Frame): string {
  const path = f.url.startsWith("file:") ? displayPath(fileURLToPath(f.url)) : f.url;
  return `${path}:${f.line}:${f.column}`;
}

function frameLine(f: Frame): string {
  return `    at ${f.fn ? `${f.fn} (${where(f)})` : where(f)}`;
}

/** What the CLI knows about the failure besides the error. */
export interface FaultContext {
  /** The subcommand, for the `harvester <command>:` prefix. */
  command: string;
  debug: boolean;
  /** The simulation time of the failure (UTC ms; NaN when no run was going). */
  time?: number;
}

/** A rendered error and the exit code it calls for. */
export interface FaultReport {
  text: string;
  code: number;
}

/**
 * The report of an error thrown out of a command.
 *
 * @example
 * ```ts
 * const { text, code } = reportFault(e, { command: "backtest", debug: false, time });
 * // harvester backtest: algo.ts:9:20: Error: boom
 * //     at helper (algo.ts:9:20)
 * //     at handle_data (algo.ts:14:3)
 * ```
 */
export function reportFault(e: unknown, ctx: FaultContext): FaultReport {
  const prefix = `harvester ${ctx.command}: `;
  const when = ctx.time !== undefined && Number.isFinite(ctx.time)
    ? `  (simulation time ${simTimeText(ctx.time)})\n`
    : "";
  if (!(e instanceof Error)) {
    // Harvester throws Errors only: anything else came from the strategy.
    return {
      text: `${prefix}your strategy threw ${
        safeString(e)
      } (not an Error, so it has no stack)\n${when}`,
      code: 1,
    };
  }
  const all = frames(e.stack ?? "");
  const user = all.filter(isUserFrame);
  const stackOf = (list: Frame[]) =>
    list.map((f) => `${frameLine(f)}\n`).join("") + bundleNote(list);
  const head = `${e.name}: ${e.message}`;
  if (e instanceof HarvesterError) {
    const code = e instanceof UsageError ? 2 : 1;
    if (ctx.debug) return { text: `${prefix}${head}\n${stackOf(all)}${when}`, code };
    const from = user.length ? `    at ${where(user[0])} (your strategy)\n` : "";
    return { text: `${prefix}${e.message}\n${from}${when}`, code };
  }
  if (all.length && isUserFrame(all[0])) {
    const shown = ctx.debug ? all : user;
    return {
      text: `${prefix}${where(all[0])}: ${head}\n${stackOf(shown)}${when}` +
        (ctx.debug ? "" : "  (--debug also shows Harvester's frames)\n"),
      code: 1,
    };
  }
  if (ctx.debug) {
    return { text: `${prefix}internal error: ${head}\n${stackOf(all)}${when}`, code: 1 };
  }
  const from = user.length ? `; called from your strategy at ${where(user[0])}` : "";
  return {
    text: `${prefix}internal error: ${e.message}${from} (run with --debug for details)\n${when}`,
    code: 1,
  };
}

/**
 * Where to see source lines when Harvester's frames are in its bundle (which carries no source
 * map: reading the maps cost every command about 18 ms of start-up).
 */
function bundleNote(list: Frame[]): string {
  return list.some((f) => f.url.startsWith(BUNDLE))
    ? "  (Harvester's frames are at lines of its bundle, .build/cli; `deno run -A " +
      "runtime/cli/main.ts …` runs the same command from the sources, at their lines)\n"
    : "";
}

function safeString(v: unknown): string {
  try {
    return typeof v === "string" ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  } catch {
    return String(v);
  }
}
