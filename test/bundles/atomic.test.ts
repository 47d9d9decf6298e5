/** An interrupted or killed ingest leaves no visible version and never touches earlier ones. */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { listVersions } from "../../bundles/mod.ts";
import { tempRoot } from "./helpers.ts";

const script = fileURLToPath(new URL("../fixtures/scripts/slow_ingest.ts", import.meta.url));

function finish(root: string): string {
  const r = spawnSync(Deno.execPath(), ["run", "-A", script], {
    env: { ...Deno.env.toObject(), HARVESTER_ROOT: root, FINISH: "1" },
    encoding: "utf8",
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split(" ")[1];
}

/** Starts an ingest, waits for READY, sends `signal`, and resolves with the exit code. */
async function interrupt(root: string, signal: Deno.Signal): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    env: { HARVESTER_ROOT: root },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  let out = "";
  while (!out.includes("READY")) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  child.kill(signal);
  reader.releaseLock();
  await child.stdout.cancel();
  return (await child.status).code;
}

describe("atomic ingest", () => {
  test("kill -9 mid-ingest leaves no version; the earlier one stays; the next ingest cleans up", async () => {
    const root = tempRoot();
    const firstName = finish(root);
    await interrupt(root, "SIGKILL");
    expect(listVersions(root, "slow").map((v) => v.name)).toEqual([firstName]);
    // The killed ingest's temporary folder is hidden, then removed by the next ingest.
    const dir = join(root, "data", "slow");
    expect(readdirSync(dir).some((n) => n.startsWith(".ingest-"))).toBe(true);
    const second = finish(root);
    expect(readdirSync(dir).some((n) => n.startsWith(".ingest-"))).toBe(false);
    expect(listVersions(root, "slow").map((v) => v.name)).toEqual([firstName, second]);
  });
  test("Ctrl-C (SIGINT) mid-ingest removes the temporary folder and exits 130", async () => {
    const root = tempRoot();
    const firstName = finish(root);
    const code = await interrupt(root, "SIGINT");
    expect(code).toBe(130);
    expect(readdirSync(join(root, "data", "slow")).filter((n) => !n.startsWith(".cache"))).toEqual([
      firstName,
    ]);
  });
});
