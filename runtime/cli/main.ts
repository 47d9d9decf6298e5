/**
 * `harvester`: the command line. Subcommands load on demand so that `harvester calendar` never
 * pays for DuckDB or Arrow. User mistakes print one line and exit non-zero; the stack trace only
 * with `--debug`.
 */
import { type Command, commandHelp, type CommandIO, parseCommandArgs } from "./command.ts";

const VERSION = "0.1.0";

/** Each subcommand's module, loaded only when it runs. */
export const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import("./init_command.ts")).initCommand,
  calendar: async () => (await import("./calendar_command.ts")).calendarCommand,
  demo: async () => (await import("./demo_command.ts")).demoCommand,
  ingest: async () => (await import("./bundle_commands.ts")).ingestCommand,
  bundles: async () => (await import("./bundle_commands.ts")).bundlesCommand,
  assets: async () => (await import("./assets_command.ts")).assetsCommand,
  clean: async () => (await import("./bundle_commands.ts")).cleanCommand,
  backtest: async () => (await import("./backtest_command.ts")).backtestCommand,
  live: async () => (await import("./live_command.ts")).liveCommand,
  kill: async () => (await import("./kill_command.ts")).killCommand,
  resume: async () => (await import("./kill_command.ts")).resumeCommand,
  replay: async () => (await import("./live_command.ts")).replayCommand,
  sweep: async () => (await import("./sweep_command.ts")).sweepCommand,
  worker: async () => (await import("./worker_command.ts")).workerCommand,
};

/** Other names of commands: zipline's (`zipline run` is `harvester backtest`). */
export const ALIASES: Record<string, string> = { run: "backtest" };

export const SUMMARIES: Record<string, string> = {
  init: "make a strategy folder: deno.json, an example strategy, editor settings",
  calendar: "print a trading calendar's sessions with their open and close",
  demo: "run the demo on the data the repository ships",
  ingest: "ingest a data bundle (csvdir, zipline-examples, quandl, alpaca_api, …)",
  bundles: "list bundles and their ingested versions",
  assets: "list a bundle's assets: symbol, sid, name, exchange, dates",
  clean: "remove ingested versions of a bundle",
  backtest: "backtest a strategy file on a bundle (zipline's run: harvester run works too)",
  live: "run a strategy as a live or paper session",
  kill: "throw a live session's kill switch",
  resume: "lift a live session's kill switch or halt",
  replay: "re-run a strategy on a session journal and compare its orders",
  sweep: "backtest every combination of parameter grids, on every core or on workers",
  worker: "run sweep cells from a Redis queue (harvester sweep --queue)",
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    "harvester — a zipline-compatible strategy runtime for backtests, paper and live trading",
    "",
    "usage: harvester <command> [options]    (harvester <command> --help for details)",
    "",
    "commands:",
    ...Object.keys(COMMANDS).map((c) => `  ${c.padEnd(width)}  ${SUMMARIES[c]}`),
    ...Object.entries(ALIASES).map(([a, c]) =>
      `  ${a.padEnd(width)}  the same as ${c} (zipline's name)`
    ),
    "",
    "global options:",
    "  --debug     print stack traces for errors",
    "  --version   print the version",
    "  -h, --help  print this help",
    "",
  ].join("\n");
}

/** Runs the CLI on `argv` (without the program name) and returns the exit code. */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const debug = argv.includes("--debug");
  const args = argv.filter((a) => a !== "--debug");
  const name = args[0];
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    io.stdout(mainHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version") {
    io.stdout(`harvester ${VERSION}\n`);
    return 0;
  }
  const load = COMMANDS[ALIASES[name] ?? name];
  if (!load) {
    io.stderr(
      `harvester: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(", ")}\n`,
    );
    return 2;
  }
  const cmd = await load();
  const rest = args.slice(1);
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(parseCommandArgs(cmd, rest), io);
  } catch (e) {
    // Loaded only on failure: a command that succeeds never pays for the report.
    const { reportFault } = await import("./user_fault.ts");
    const { failureError, failureTime } = await import("./run_failed.ts");
    const { text, code } = reportFault(failureError(e), {
      command: name,
      debug,
      time: failureTime(e),
    });
    io.stderr(text);
    return code;
  }
}

/**
 * Writes all of `text`. When the reader of a pipe has gone (`harvester assets X | head -3`), the
 * process ends quietly with status 0, as `rg` and `git` do: the rest was not wanted, and an
 * "internal error" about it would be noise.
 */
export function writeAll(
  out: { writeSync(p: Uint8Array): number },
  text: string,
  exit: (code: number) => void = Deno.exit,
): void {
  const bytes = new TextEncoder().encode(text);
  try {
    // A pipe may take fewer bytes than offered.
    for (let off = 0; off < bytes.length;) off += out.writeSync(bytes.subarray(off));
  } catch (e) {
    if (!(e instanceof Deno.errors.BrokenPipe)) throw e;
    exit(0);
  }
}

/** The IO of the real process. */
export function processIO(): CommandIO {
  return {
    stdout: (t) => writeAll(Deno.stdout, t),
    stderr: (t) => writeAll(Deno.stderr, t),
    isTerminal: Deno.stdout.isTerminal(),
    env: Deno.env.toObject(),
  };
}

/** Runs the command line of this process's arguments, and exits with its code. */
export async function main(): Promise<never> {
  // Deep enough to reach the strategy's frames under the engine's, for the error report.
  Error.stackTraceLimit = 50;
  Deno.exit(await runCli(Deno.args, processIO()));
}

if (import.meta.main) await main();
