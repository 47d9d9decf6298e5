/**
 * `Context<State>`: a strategy declares its fields and `deno check` holds it to them (a misspelt
 * `context.portfolo`, a wrong type), while `Context` without a type argument still takes any
 * field, as zipline's context does. The typed fixture also runs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import { asStrategy } from "../../runtime/engine/strategy.ts";
import { tempRoot } from "../bundles/helpers.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** `deno check` of one strategy text, in a folder of the repository (its deno.json applies). */
function check(text: string): { code: number | null; out: string } {
  const dir = mkdtempSync(join(repo, ".typecheck-"));
  try {
    writeFileSync(join(dir, "algo.ts"), text);
    const r = spawnSync(Deno.execPath(), ["check", "--quiet", join(dir, "algo.ts")], {
      cwd: repo,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...Deno.env.toObject(), NO_COLOR: "1" },
    });
    return { code: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const typed = (body: string) => `
import { order, symbol } from "harvester/api";
import type { Asset, Context } from "harvester/api";
type State = { asset: Asset; days: number };
export async function initialize(context: Context<State>) {
  context.asset = await symbol("AAPL");
  context.days = 0;
}
export async function handle_data(context: Context<State>) {
${body}
}
`;

describe("Context<State>", () => {
  test("declared fields are checked: a misspelt field and a wrong type are errors", () => {
    const ok = check(
      typed(
        "  context.days += 1;\n  await order(context.asset, context.portfolio.cash > 0 ? 1 : 0);",
      ),
    );
    expect(ok.out).toBe("");
    expect(ok.code).toBe(0);
    const typo = check(typed("  context.portfolo;"));
    expect(typo.code).toBe(1);
    expect(typo.out).toMatch(
      /Property 'portfolo' does not exist on type 'Context<State>'\. Did you mean 'portfolio'\?/,
    );
    const wrong = check(typed('  context.days = "one";'));
    expect(wrong.out).toMatch(/Type 'string' is not assignable to type 'number'/);
  }, 120_000);

  test("without a type argument any field goes, as in zipline", () => {
    const r = check(`
import type { Context } from "harvester/api";
export function initialize(context: Context) {
  context.anything = 1;
  context.other = [context.anything, context.portfolio.cash];
}
`);
    expect(r.out).toBe("");
  }, 60_000);

  test("the typed fixture runs", async () => {
    const mod = await import("../fixtures/strategies/typed_context.ts");
    const results = await run_algorithm({
      strategy: asStrategy(mod, "typed_context.ts"),
      start: "2014-01-02",
      end: "2014-02-28",
      root: tempRoot(),
      no_benchmark: true,
    });
    expect(results.recorded.get("days")?.at(-1)).toBe(results.length);
    expect(results.transactions.length).toBeGreaterThan(4);
  });
});
