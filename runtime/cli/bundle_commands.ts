/** `harvester ingest`, `harvester bundles` and `harvester clean`. */
import {
  bundle_names,
  clean,
  harvesterRoot,
  ingest,
  listBundleDirs,
  listVersions,
  load,
  loadExtension,
  parseTimestamp,
  silentProgress,
  streamProgress,
} from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { type Command, type CommandIO, stringOpt, UsageError } from "./command.ts";
import { count } from "../metrics/format.ts";

function rootOf(io: CommandIO): string {
  return harvesterRoot(io.env);
}

function timestampArg(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimestamp(text);
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `${flag}: "${text}" is not a date or timestamp (e.g. 2024-07-03 or 2024-07-03T13:30:00)`,
    );
  }
  return ms;
}

export const ingestCommand: Command = {
  name: "ingest",
  summary: "Ingests a data bundle into a new version (atomically: all or nothing).",
  usage:
    "ingest BUNDLE [--csvdir DIR] [--calendar NAME] [--lenient] [--price-decimals N] [--show-progress | --no-show-progress]",
  help: [
    "BUNDLE               a registered bundle: csvdir, zipline-examples, quandl, alpaca_api, or yours",
    "-b, --bundle NAME    the bundle, as zipline's ingest takes it (instead of BUNDLE)",
    "--csvdir DIR         folder for the csvdir bundle (default: $CSVDIR)",
    "--calendar NAME      trading calendar (default: the bundle's, XNYS for csvdir)",
    "--lenient            drop rows with bad prices (reported as a count) instead of failing",
    "--price-decimals N   store prices with N decimals and whole volumes; 3 stores them as zipline does",
    "--symbols A,B,…      universe for network bundles (alpaca_api)",
    "--symbols-file F     universe file, one symbol per line",
    "--show-progress      progress bars (default on a terminal); --no-show-progress to turn off",
  ],
  options: {
    bundle: { type: "string", short: "b" },
    csvdir: { type: "string" },
    calendar: { type: "string" },
    lenient: { type: "boolean" },
    "price-decimals": { type: "string" },
    symbols: { type: "string" },
    "symbols-file": { type: "string" },
    "show-progress": { type: "boolean" },
    "no-show-progress": { type: "boolean" },
  },
  positionals: [0, 1],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    const positional = args.positionals[0], flag = stringOpt(args, "bundle");
    if (positional && flag && positional !== flag) {
      throw new UsageError(`two bundles given: ${positional} and -b ${flag}`);
    }
    const name = positional ?? flag;
    if (!name) throw new UsageError(`which bundle? usage: harvester ${this.usage}`);
    const show = args.values["no-show-progress"]
      ? false
      : args.values["show-progress"]
      ? true
      : io.isTerminal;
    const progress = show ? streamProgress(io.stderr, io.isTerminal) : silentProgress;
    const decimalsText = stringOpt(args, "price-decimals");
    if (decimalsText !== undefined && !/^\d$/.test(decimalsText)) {
      throw new UsageError(
        `--price-decimals: "${decimalsText}" is not a whole number from 0 to 9 (3: zipline's)`,
      );
    }
    const symbols = stringOpt(args, "symbols")?.split(",").map((s) => s.trim()).filter(Boolean);
    const version = await ingest(name, {
      root,
      environ: env,
      show_progress: show,
      progress,
      calendar: stringOpt(args, "calendar"),
      options: {
        csvdir: stringOpt(args, "csvdir"),
        lenient: Boolean(args.values.lenient),
        symbols,
        symbols_file: stringOpt(args, "symbols-file"),
        price_decimals: decimalsText === undefined ? undefined : Number(decimalsText),
      },
    });
    const reader = await load(name, { root, timestamp: version.time });
    try {
      const [{ n }] = await reader.sql("SELECT count(*)::INTEGER AS n FROM daily_bars");
      io.stdout(
        `ingested ${name}: version ${version.name}, ${reader.assets.length} assets, ${
          count(Number(n))
        } daily bars\n`,
      );
    } finally {
      reader.close();
    }
    return 0;
  },
};

export const bundlesCommand: Command = {
  name: "bundles",
  summary: "Lists every bundle with its ingested versions, newest first.",
  usage: "bundles",
  help: [],
  options: {},
  positionals: [0, 0],
  async run(_args, io) {
    const root = rootOf(io);
    await loadExtension(root);
    const names = [...new Set([...bundle_names(), ...listBundleDirs(root)])].sort();
    for (const name of names) {
      const versions = listVersions(root, name);
      if (versions.length === 0) io.stdout(`${name} <no ingestions>\n`);
      for (const v of versions.reverse()) io.stdout(`${name} ${v.name}\n`);
    }
    return 0;
  },
};

export const cleanCommand: Command = {
  name: "clean",
  summary: "Removes ingested versions of a bundle.",
  usage: "clean -b BUNDLE [-e/--before TS | -a/--after TS | -k/--keep-last N]",
  help: [
    "-b, --bundle NAME    the bundle",
    "-e, --before TS      remove versions ingested before TS (a date or date-time, UTC)",
    "-a, --after TS       remove versions ingested after TS",
    "-k, --keep-last N    keep only the newest N versions",
  ],
  options: {
    bundle: { type: "string", short: "b" },
    before: { type: "string", short: "e" },
    after: { type: "string", short: "a" },
    "keep-last": { type: "string", short: "k" },
  },
  positionals: [0, 0],
  run(args, io) {
    const name = stringOpt(args, "bundle");
    if (!name) throw new UsageError(`-b BUNDLE is required; usage: harvester ${this.usage}`);
    const keep = stringOpt(args, "keep-last");
    if (keep !== undefined && !/^\d+$/.test(keep)) {
      throw new UsageError(`--keep-last: "${keep}" is not a whole number`);
    }
    const removed = clean(name, {
      root: rootOf(io),
      before: timestampArg("--before", stringOpt(args, "before")),
      after: timestampArg("--after", stringOpt(args, "after")),
      keep_last: keep === undefined ? undefined : Number(keep),
    });
    for (const v of removed) io.stdout(`removed ${name} ${v.name}\n`);
    if (removed.length === 0) io.stdout(`nothing to remove for ${name}\n`);
    return Promise.resolve(0);
  },
};
