/** Settings precedence, SIGTERM handling, flatten_all. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { ingest } from "../../bundles/mod.ts";
import {
  mergeSettings,
  readConfigFile,
  settingsFromEnv,
} from "../../runtime/config/live_config.ts";
import { readJournal } from "../../runtime/live/journal.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { tempRoot } from "../bundles/helpers.ts";
import { launchArgs } from "../../runtime/cli/launch_args.ts";

let root: string;
const algo = fileURLToPath(new URL("../../strategies/buyapple.ts", import.meta.url));
beforeAll(async () => {
  root = tempRoot();
  await ingest("zipline-examples", { root, environ: {} });
});

describe("live settings", () => {
  test("command line over config file over HARVESTER_* environment over defaults", async () => {
    const dir = tempRoot("hv-cfg-");
    writeFileSync(
      join(dir, "live.yaml"),
      "speed: 2\nrisk:\n  max_notional: 500\n  daily_loss_limit: 9\nuniverse: [AAPL, MSFT]\n",
    );
    const file = await readConfigFile(join(dir, "live.yaml"));
    const env = settingsFromEnv({
      HARVESTER_SPEED: "7",
      HARVESTER_PRICE_BAND: "0.05",
      HARVESTER_DAILY_LOSS_LIMIT: "3",
    });
    const st = mergeSettings({ speed: "max" }, file, env, { broker: "paper" });
    expect(st).toMatchObject({
      speed: "max",
      max_notional: 500,
      daily_loss_limit: 9,
      price_band: 0.05,
      broker: "paper",
    });
    expect(st.universe).toEqual(["AAPL", "MSFT"]);
    writeFileSync(join(dir, "bad.yaml"), "alpaca_secret: abc\n");
    await expect(readConfigFile(join(dir, "bad.yaml"))).rejects.toThrow(
      /secrets belong in the environment/,
    );
    writeFileSync(join(dir, "typo.yaml"), "max_notionl: 5\n");
    await expect(readConfigFile(join(dir, "typo.yaml"))).rejects.toThrow(/unknown setting/);
  });
  test("SIGTERM stops new orders, keeps state and journal, exits 0", async () => {
    const dir = tempRoot("hv-sig-");
    const state = join(dir, "s.json");
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        ...launchArgs(new URL("../../", import.meta.url)),
        "live",
        algo,
        "--feed",
        "bundle:zipline-examples",
        "--start",
        "2014-01-01",
        "--end",
        "2014-06-30",
        "--speed",
        "2000000",
        "--state-file",
        state,
        "--cancel-on-stop",
      ],
      env: { HARVESTER_ROOT: root },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    for (let k = 0; k < 200; k++) {
      await new Promise((r) => setTimeout(r, 25));
      if (
        readJournal(`${state}.journal.jsonl`).filter((e) => e.type === "session_end").length >= 5
      ) break;
    }
    child.kill("SIGTERM");
    const { code } = await child.output();
    expect(code).toBe(0);
    const j = readJournal(`${state}.journal.jsonl`);
    expect(j.at(-1)?.type).toBe("session_stopped");
    expect(j.some((e) => e.type === "stop_cancel")).toBe(true);
    const saved = JSON.parse(readFileSync(state, "utf8"));
    expect(saved.state.session_index).toBe(j.filter((e) => e.type === "session_end").length - 1);
  });
  test("flatten_all closes every position", async () => {
    const r = await run_algorithm({
      root,
      no_benchmark: true,
      start: "2014-01-02",
      end: "2014-01-10",
      strategy: {
        initialize: () => {},
        handle_data: async (c) => {
          c.n = (c.n ?? 0) + 1;
          if (c.n === 1) await c.order(await c.symbol("AAPL"), 10);
          if (c.n === 3) await c.flatten_all();
        },
      },
    });
    expect(r.perf.longs_count[2]).toBe(1);
    expect(r.perf.longs_count[4]).toBe(0);
  });
});
