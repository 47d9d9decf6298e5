/** The shape of one CLI subcommand, and the parsing every subcommand shares. */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { HarvesterError } from "../errors.ts";

/** A command-line mistake: the CLI prints it with the command's usage line and exits 2. */
export class UsageError extends HarvesterError {
  override name = "UsageError";
}

/** Options as `node:util` parseArgs declares them. */
export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Where a command writes; tests pass their own. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTerminal: boolean;
  env: Record<string, string | undefined>;
}

/** One subcommand. `run` returns the process exit code. */
export interface Command {
  name: string;
  summary: string;
  /** e.g. `calendar NAME --start YYYY-MM-DD --end YYYY-MM-DD [--format csv|json]` */
  usage: string;
  /** Lines of help below the usage: one per option. */
  help: string[];
  options: OptionSpec;
  /** How many positional arguments the command takes: [min, max]. */
  positionals: [number, number];
  /**
   * Other spellings of options, as zipline's users type them, each rewritten before parsing:
   * `{ "-bf": "--benchmark-file", "-x": "--define" }` (parseArgs' short options are one letter).
   */
  aliases?: Record<string, string>;
  run(args: ParsedArgs, io: CommandIO): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Parses `argv` for a command, turning every parse problem into a `UsageError`. */
export function parseCommandArgs(cmd: Command, argv: string[]): ParsedArgs {
  const aliases = cmd.aliases ?? {};
  const args = argv.map((a) => {
    const eq = a.indexOf("=");
    const flag = eq > 0 && a.startsWith("-") ? a.slice(0, eq) : a;
    const to = aliases[flag];
    return to === undefined ? a : eq > 0 && flag !== a ? `${to}${a.slice(eq)}` : to;
  });
  let parsed;
  try {
    parsed = parseArgs({ args, options: cmd.options, allowPositionals: true, strict: true });
  } catch (e) {
    // node's messages are good but mention "parseArgs"; keep only the user-facing part.
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(msg);
  }
  const [min, max] = cmd.positionals;
  const n = parsed.positionals.length;
  if (n < min) throw new UsageError(`missing argument; usage: harvester ${cmd.usage}`);
  if (n > max) {
    throw new UsageError(
      `unexpected argument "${parsed.positionals[max]}"; usage: harvester ${cmd.usage}`,
    );
  }
  return parsed as ParsedArgs;
}

/** A string option's value, or `undefined`. */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === "string" ? v : undefined;
}

/** Renders a command's `--help`. */
export function commandHelp(cmd: Command): string {
  return [`harvester ${cmd.usage}`, "", cmd.summary, "", ...cmd.help.map((h) => `  ${h}`), ""]
    .join("\n");
}
