/** `harvester live ALGO.ts` and `harvester kill`. */
import { readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { mkdirSync } from "node:fs";
import { harvesterRoot, loadExtension } from "../../bundles/mod.ts";
import { withDotEnv } from "../config/dotenv.ts";
import { consoleLogger } from "../log.ts";
import { runningTime } from "../api/scope.ts";
import { consoleOnStderr } from "./run_output.ts";
import { writeResults } from "../engine/output.ts";
import { runLive } from "../live/session.ts";
import { sha256 } from "../live/persistence.ts";
import type { RiskLimits } from "../orders/risk.ts";
import {
  benchmarkSettings,
  LIVE_SETTINGS,
  type LiveSettingName,
  type LiveSettings,
  mergeSettings,
  readConfigFile,
  settingsFromEnv,
} from "../config/live_config.ts";
import { type Command, stringOpt, UsageError } from "./command.ts";
import { defines, loadStrategyFile, resultsSummary } from "./backtest_command.ts";
import { dateArg } from "./calendar_command.ts";
import { buildBroker, liveClock } from "./live_brokers.ts";
import { openDaily } from "../../bundles/mod.ts";
import type { Broker } from "../model/broker.ts";
import type { MinuteLiveOptions } from "../live/live_options.ts";

function numberOpt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${flag}: "${v}" is not a positive number`);
  }
  return n;
}

/** The OTLP/HTTP collector's base URL, checked; none (or empty): no tracing. */
function otlpEndpoint(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(url)) {
    throw new UsageError(`--otlp-endpoint: "${url}" is not an http:// or https:// URL`);
  }
  return url;
}

/** Default state file: `$HARVESTER_ROOT/live/<strategy>.state.json`. */
export function defaultStatePath(root: string, algo: string): string {
  const dir = join(root, "live");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${basename(algo).replace(/\.[jt]s$/, "")}.state.json`);
}

/** `--end` of a real-time session: an ISO time, or a date (its session's close); none: today's. */
function liveEnd(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text.length === 10 ? `${text}T23:59:59Z` : text);
  if (Number.isNaN(t)) throw new UsageError(`--end: "${text}" is not a date or an ISO time`);
  return t;
}

export const liveCommand: Command = {
  name: "live",
  summary: "Runs a strategy as a live or paper session (state persisted after every bar).",
  usage:
    "live ALGO.ts (--broker paper --feed bundle:NAME --start D | --broker alpaca [--paper|--live] | --broker ib [--broker-uri host:port:id]) [--bundle NAME] [--end D] [--universe A,B] [--state-file F] [--journal F] [--dry-run] [--fresh] [--benchmark-symbol S | --benchmark-file F | --no-benchmark] [-o perf.csv] [-D name=value]…",
  help: [
    "--broker paper|alpaca|ib paper replays a bundle; alpaca and ib trade minute bars in real time",
    "--feed bundle:NAME       paper: replay a bundle's daily bars as the live feed",
    "-b, --bundle NAME        alpaca/ib: daily history through yesterday (default: quandl)",
    "--paper, --live          alpaca: paper account (default) or real money",
    "--broker-uri H:P:ID      ib: TWS / IB Gateway host:port:client_id (default 127.0.0.1:7497:1)",
    "--universe A,B           alpaca/ib: symbols to subscribe (default: the strategy's symbol() calls)",
    "--stale-after S          alpaca/ib: an asset without a bar for S seconds is stale (default 300)",
    "--feed-stale-after S     alpaca/ib: no bar at all for S seconds: feed_stale (default 180)",
    "--feed-stale-action A    REDUCING (default) or HALTED when the feed is stale",
    "-s, --start D            paper: the first replayed session",
    "-e, --end D              paper: the last replayed session; alpaca/ib: a date or an ISO time",
    "                         (default: today's close)",
    "--capital-base N         starting cash (default 1e7)",
    "--speed N|max            N multiplies real time between bars; max does not wait (default max)",
    "--data-frequency F       paper: replay the bundle's daily (default) or minute bars",
    "--state-file F           state saved after every bar (default $HARVESTER_ROOT/live/<algo>.state.json)",
    "--journal F              append-only JSONL journal (default <state file>.journal.jsonl)",
    "--fresh                  ignore and replace an existing state file and journal",
    "--recover                paper: files that disagree with the state (an older state put back):",
    "                         run the session again from its start, the old files set aside",
    "--dry-run                log decisions and would-be orders; send nothing",
    "--journal-before-send    write the journal out before every order is sent (else once per bar)",
    "--max-notional N         refuse orders above N in value",
    "--max-orders-per-minute N",
    "--price-band F           refuse limit prices further than F (0.1 = 10%) from the last price",
    "--daily-loss-limit N     throw the kill switch when the day's loss exceeds N",
    "--flatten-on-kill        sell everything when the kill switch is thrown",
    "--cancel-on-stop         on Ctrl-C / SIGTERM, cancel open orders (default: keep them)",
    "--flatten-before-close N cancel open orders and close every position N minutes before each close;",
    "                         reducing-only until the next session (paper replay: after each bar)",
    "--inflight-after S       ask the broker about an order unacknowledged (or a cancel unconfirmed)",
    "                         for S seconds; one it does not know ends REJECTED (default 30)",
    "--working-quiet-after S  ask the broker about a working order without news for S seconds",
    "                         (default 300)",
    "--benchmark-symbol S     benchmark from an asset in the bundle (live: the feed's close of the day",
    "                         over the bundle's previous close; the asset is subscribed)",
    "-bf, --benchmark-file F  benchmark from a date,return CSV (live: read at each session's end)",
    "--no-benchmark           run without a benchmark (default: the strategy's set_benchmark, else none)",
    "--config live.yaml       settings file (command line > config > HARVESTER_* env > defaults)",
    "-o, --output FILE        write the perf table (as backtest -o)",
    "-D, --define name=value  reaches the strategy as context.params.name (repeatable; -x too)",
    "--baseline perf.csv      a backtest to compare with: live_drift.csv, live_performance.json",
    "--metrics-port N         Prometheus metrics on 127.0.0.1:N/metrics",
    "--otlp-endpoint URL      OpenTelemetry spans (bars, broker calls) to an OTLP/HTTP collector",
    "                         (default: $OTEL_EXPORTER_OTLP_ENDPOINT; e.g. http://127.0.0.1:4318)",
  ],
  options: {
    config: { type: "string" },
    broker: { type: "string" },
    feed: { type: "string" },
    bundle: { type: "string", short: "b" },
    "broker-uri": { type: "string" },
    paper: { type: "boolean" },
    live: { type: "boolean" },
    universe: { type: "string" },
    "stale-after": { type: "string" },
    "feed-stale-after": { type: "string" },
    "feed-stale-action": { type: "string" },
    start: { type: "string", short: "s" },
    end: { type: "string", short: "e" },
    speed: { type: "string" },
    "data-frequency": { type: "string" },
    "state-file": { type: "string" },
    journal: { type: "string" },
    fresh: { type: "boolean" },
    recover: { type: "boolean" },
    "dry-run": { type: "boolean" },
    "journal-before-send": { type: "boolean" },
    "capital-base": { type: "string" },
    "max-notional": { type: "string" },
    "max-orders-per-minute": { type: "string" },
    "price-band": { type: "string" },
    "daily-loss-limit": { type: "string" },
    "flatten-on-kill": { type: "boolean" },
    "cancel-on-stop": { type: "boolean" },
    "flatten-before-close": { type: "string" },
    "inflight-after": { type: "string" },
    "working-quiet-after": { type: "string" },
    output: { type: "string", short: "o" },
    define: { type: "string", short: "D", multiple: true },
    baseline: { type: "string" },
    "metrics-port": { type: "string" },
    "otlp-endpoint": { type: "string" },
    "benchmark-symbol": { type: "string" },
    "benchmark-file": { type: "string" },
    "no-benchmark": { type: "boolean" },
  },
  aliases: { "-bf": "--benchmark-file", "-x": "--define" },
  positionals: [1, 1],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    // Command line, then --config, then HARVESTER_* environment, then defaults.
    const cli: LiveSettings = {};
    for (const name of Object.keys(LIVE_SETTINGS) as LiveSettingName[]) {
      const v = args.values[name.replaceAll("_", "-")];
      if (v !== undefined) cli[name] = typeof v === "boolean" ? v : String(v);
    }
    const configPath = stringOpt(args, "config");
    const file = configPath ? await readConfigFile(configPath) : {};
    const fromEnv = settingsFromEnv(env);
    const st = mergeSettings(cli, file, fromEnv, { broker: "paper", speed: "max" });
    const benchmark = benchmarkSettings(cli, file, fromEnv);
    // An absolute path: `harvester replay` reads it from the journal's setup, wherever it runs.
    if (benchmark.benchmark_file) benchmark.benchmark_file = resolve(benchmark.benchmark_file);
    const str = (k: LiveSettingName) => (st[k] === undefined ? undefined : String(st[k]));
    const brokerName = str("broker")!;
    const algoPath = args.positionals[0];
    const num = (k: LiveSettingName) => numberOpt(`--${k.replaceAll("_", "-")}`, str(k));
    let bundle: string, start: number, end: number, speed: number | "max" = "max";
    let dataFrequency: "daily" | "minute" = "daily";
    let broker: Broker | undefined, live: MinuteLiveOptions | undefined;
    const clock = liveClock(env.HARVESTER_LIVE_CLOCK);
    if (brokerName === "paper") {
      const feed = str("feed");
      if (!feed?.startsWith("bundle:")) {
        throw new UsageError("--feed bundle:NAME is required for a paper session");
      }
      bundle = feed.slice("bundle:".length);
      const startText = str("start");
      if (!startText) throw new UsageError("--start is required with --feed bundle:NAME");
      start = dateArg("--start", startText, NaN);
      end = dateArg("--end", str("end"), start + 366 * 86_400_000);
      const freq = stringOpt(args, "data-frequency") ?? "daily";
      if (freq !== "daily" && freq !== "minute") {
        throw new UsageError(`--data-frequency: "${freq}" is not daily or minute`);
      }
      dataFrequency = freq;
      const speedText = str("speed")!;
      speed = speedText === "max" ? "max" : numberOpt("--speed", speedText)!;
    } else {
      if (st.live === true && st.paper === true) {
        throw new UsageError("--paper or --live, not both");
      }
      bundle = stringOpt(args, "bundle") ?? env.HARVESTER_BUNDLE ?? "quandl";
      const source = await openDaily(bundle, { root, environ: env });
      const calendar = source.calendar;
      source.close();
      broker = buildBroker({
        name: brokerName,
        env,
        live: st.live === true,
        uri: str("broker_uri"),
        clock,
        calendar,
      });
      start = end = clock.now();
      const u = st.universe;
      const action = str("feed_stale_action")?.toUpperCase();
      if (action !== undefined && action !== "REDUCING" && action !== "HALTED") {
        throw new UsageError(`--feed-stale-action: "${action}" is not REDUCING or HALTED`);
      }
      const sec = (k: LiveSettingName) => (num(k) === undefined ? undefined : num(k)! * 1000);
      live = {
        end: liveEnd(str("end")),
        universe: u === undefined ? undefined : (Array.isArray(u) ? u : String(u).split(","))
          .map((x) => x.trim()).filter(Boolean),
        stale_after_ms: sec("stale_after"),
        feed_stale_ms: sec("feed_stale_after"),
        feed_stale_action: action as MinuteLiveOptions["feed_stale_action"],
      };
    }
    const strategy = await loadStrategyFile(algoPath);
    const statePath = resolve(str("state_file") ?? defaultStatePath(root, algoPath));
    const risk: RiskLimits = {
      max_notional_per_order: num("max_notional"),
      max_orders_per_minute: num("max_orders_per_minute"),
      price_band: num("price_band"),
      daily_loss_limit: num("daily_loss_limit"),
    };
    const log = consoleLogger((l) => io.stderr(l), io.isTerminal, { simTime: runningTime });
    const session = () =>
      runLive({
        strategy,
        strategy_hash: sha256(readFileSync(algoPath)),
        bundle,
        broker,
        live,
        now: broker ? clock.now : undefined,
        sleep: broker ? clock.sleep : undefined,
        start,
        end,
        speed,
        data_frequency: dataFrequency,
        state_path: statePath,
        journal_path: resolve(str("journal") ?? `${statePath}.journal.jsonl`),
        fresh: st.fresh === true,
        recover: args.values.recover === true,
        dry_run: st.dry_run === true,
        journal_before_send: st.journal_before_send === true,
        capital_base: num("capital_base"),
        params: defines(args),
        risk,
        flatten_on_kill: st.flatten_on_kill === true,
        cancel_on_stop: st.cancel_on_stop === true,
        flatten_before_close: num("flatten_before_close"),
        inflight_after: num("inflight_after"),
        working_quiet_after: num("working_quiet_after"),
        ...benchmark,
        baseline: str("baseline"),
        metrics_port: num("metrics_port"),
        otlp_endpoint: otlpEndpoint(str("otlp_endpoint") ?? env.OTEL_EXPORTER_OTLP_ENDPOINT),
        root,
        environ: env,
        log,
      });
    const out = str("output");
    let results;
    try {
      // With -o -, stdout is the CSV alone: the strategy's prints go to stderr with the logs.
      results = await (out === "-" ? consoleOnStderr(io, session) : session());
    } finally {
      log.flush?.();
    }
    if (out) await writeResults(results, out, io.stdout);
    const hasBenchmark = Boolean(benchmark.benchmark_symbol || benchmark.benchmark_file) ||
      results.benchmark_returns.some((x) => x !== 0);
    if (out !== "-" && results.length) io.stdout(`${resultsSummary(results, hasBenchmark)}\n`);
    return 0;
  },
};

export const replayCommand: Command = {
  name: "replay",
  summary:
    "Re-runs a strategy on a session journal's recorded bars and checks it makes the same orders.",
  usage: "replay JOURNAL ALGO.ts",
  help: [
    "JOURNAL    a session's .journal.jsonl: a paper session replayed from a bundle (its daily",
    "           bars), or a live minute session (its minute bars, on a simulated clock)",
    "ALGO.ts    the strategy file",
    "Exit code 0 when the orders are the same, 1 when they differ (the first difference printed).",
  ],
  options: {},
  positionals: [2, 2],
  async run(args, io) {
    const env = withDotEnv(io.env);
    const root = harvesterRoot(env);
    await loadExtension(root);
    const { replayJournal } = await import("../live/replay.ts");
    const report = await replayJournal(
      args.positionals[0],
      await loadStrategyFile(args.positionals[1]),
      { root, environ: env },
    );
    if (report.same) {
      io.stdout(`same orders: ${report.recorded} recorded, ${report.replayed} replayed\n`);
      return 0;
    }
    const d = report.difference!;
    io.stdout(
      `different orders: ${report.recorded} recorded, ${report.replayed} replayed; first difference at #${
        d.index + 1
      }: ` +
        `recorded ${JSON.stringify(d.recorded)}, replayed ${JSON.stringify(d.replayed)}\n`,
    );
    return 1;
  },
};
