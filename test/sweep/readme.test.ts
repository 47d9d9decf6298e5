/** The README's Sweeps section runs as written: its two commands and its notebook snippet. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { tempRoot } from "../bundles/helpers.ts";
import { harvester, readCsv } from "./helpers.ts";

const readme = readFileSync("README.md", "utf8");
const section = readme.slice(
  readme.indexOf("## Sweeps and walk-forward"),
  readme.indexOf("## Live and paper trading"),
);

describe("the README's Sweeps section", () => {
  test("its commands run and write what it says", async () => {
    const commands = /```sh\n([\s\S]*?)```/.exec(section)![1].trim().split("\n");
    expect(commands.length).toBe(2);
    const root = tempRoot();
    for (const line of commands) {
      const [program, ...args] = line.split(/\s+/);
      expect(program).toBe("harvester");
      const r = await harvester(args, { HARVESTER_ROOT: root });
      expect(r.code, `${line}\n${r.stderr}`).toBe(0);
    }
    const table = readCsv("out/sweep/table.csv");
    expect(table.length).toBe(6);
    const sharpe = table.map((r) => Number(r.sharpe));
    expect(sharpe).toEqual([...sharpe].sort((a, b) => b - a));
    expect(existsSync("out/sweep/report.html")).toBe(true);
    const oos = readCsv("out/sweep/oos.csv");
    expect(oos[0].date).toBe("2008-01-03");
    expect(oos.at(-1)!.date).toBe("2012-12-31");
    expect(readCsv("out/sweep/oos_folds.csv").length).toBe(5);
  }, 180_000);

  test("its notebook snippet runs", async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(section)![1];
    // Inside the repository, so the snippet's relative strategy path and deno.json resolve.
    mkdirSync("out", { recursive: true });
    const dir = mkdtempSync(join(Deno.cwd(), "out", "readme-"));
    const file = join(dir, "snippet.ts");
    writeFileSync(
      file,
      `${code}\nif (table.rows.length !== 6) throw new Error("rows: " + table.rows.length);\n`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--config", "deno.json", file],
      env: { ...Deno.env.toObject(), HARVESTER_ROOT: tempRoot() },
      signal: AbortSignal.timeout(120_000),
    }).output();
    expect(out.code, new TextDecoder().decode(out.stderr)).toBe(0);
  }, 180_000);
});
