/**
 * Every API function is documented where users meet it: a JSDoc with an example on its one
 * definition (runtime/api/api_*.ts), copied onto `harvester/api`'s free function (generated, and
 * up to date), and shown on hover by `deno lsp` — what VS Code's Deno extension displays — both
 * for `order(…)` imported from `harvester/api` and for `context.order(…)`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { API } from "../../runtime/api/context.ts";
import { allApiDocs, freeFunctionsSource } from "../../tools/free_functions_gen.ts";
import { LspClient } from "./lsp_client.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const docs = allApiDocs(join(repo, "runtime/api"));

/** A doc's first sentence, as the hover's markdown shows it (lines joined by the editor). */
const firstWords = (doc: string) =>
  doc.replace(/^\/\*\*\s*\n\s*\*\s*/, "").split("\n")[0].replace(/^\s*\*\s*/, "").slice(0, 40);

describe("API documentation", () => {
  test("every API function has a JSDoc with a description and an @example", () => {
    expect(docs.map((d) => d.name).sort()).toEqual(Object.keys(API).sort());
    for (const { name, doc } of docs) {
      expect(firstWords(doc).length, name).toBeGreaterThan(10);
      expect(doc, name).toMatch(/@example\s*\n\s*\* ```ts\n[\s\S]*\S[\s\S]*\* ```/);
    }
  });

  test("runtime/api/free_functions.ts is generated from them and up to date", () => {
    const onDisk = readFileSync(join(repo, "runtime/api/free_functions.ts"), "utf8");
    expect(onDisk, "run `deno task generate`").toBe(freeFunctionsSource(docs));
  });

  test(
    "an editor (deno lsp) shows each doc on hover, free function and context method",
    async () => {
      const dir = mkdtempSync(join(repo, ".hover-"));
      const lsp = await LspClient.start(repo);
      try {
        const names = docs.map((d) => d.name);
        const lines = [
          `import { ${names.join(", ")} } from "harvester/api";`,
          `import type { Context } from "harvester/api";`,
          `export function f(context: Context) {`,
          ...names.map((n) => `  [${n}, context.${n}];`),
          `}`,
        ];
        const file = join(dir, "hover.ts"), uri = `file://${file}`;
        writeFileSync(file, lines.join("\n"));
        lsp.open(uri, lines.join("\n"));
        for (const [k, { name, doc }] of docs.entries()) {
          const line = 3 + k, text = lines[line];
          const free = await lsp.hover(uri, line, text.indexOf(name) + 1);
          const method = await lsp.hover(uri, line, text.indexOf(`context.${name}`) + 9);
          expect(free, `${name} imported from harvester/api`).toContain(firstWords(doc));
          expect(free, name).toContain("*@example*");
          expect(method, `context.${name}`).toContain(firstWords(doc));
        }
      } finally {
        await lsp.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
