/** Bundles registered in $HARVESTER_ROOT/extension.ts are known to the CLI, like zipline's extension.py. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { csvFolder, goodCsv, tempRoot } from "./helpers.ts";

describe("extension.ts", () => {
  test("a bundle registered there can be ingested and listed", () => {
    const root = tempRoot();
    const data = csvFolder({ "EXT.csv": goodCsv() });
    writeFileSync(
      join(root, "extension.ts"),
      `import { csvdir_equities, register } from "harvester/bundles";
register("my-bundle", csvdir_equities({ csvdir: ${
        JSON.stringify(data)
      } }), { calendar_name: "NYSE" });
`,
    );
    // A real process: the CLI resolves "harvester/bundles" through deno.json's import map.
    const run = (...args: string[]) =>
      spawnSync(Deno.execPath(), ["run", "-A", "runtime/cli/main.ts", ...args], {
        env: { ...Deno.env.toObject(), HARVESTER_ROOT: root },
        encoding: "utf8",
      });
    const r = run("ingest", "my-bundle", "--no-show-progress");
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/ingested my-bundle: version .*, 1 assets, 4 daily bars/);
    expect(run("bundles").stdout).toMatch(/^my-bundle \d{4}-/m);
  });
});
