/**
 * `deno task generate`: writes the files made from others — `runtime/api/free_functions.ts`
 * (the free functions with their JSDoc, from runtime/api/api_*.ts) and the README's CLI table
 * (from the commands' own help). `--check` writes nothing and exits 1 when a file is out of date
 * (the tests check the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { allApiDocs, freeFunctionsSource } from "./free_functions_gen.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const check = Deno.args.includes("--check");

const outputs: [path: string, text: string][] = [
  ["runtime/api/free_functions.ts", freeFunctionsSource(allApiDocs(`${repo}runtime/api`))],
];

let stale = 0;
for (const [path, text] of outputs) {
  const full = `${repo}${path}`;
  let old = "";
  try {
    old = readFileSync(full, "utf8");
  } catch { /* a new file */ }
  if (old === text) continue;
  stale++;
  if (check) console.error(`${path} is out of date: run \`deno task generate\``);
  else {
    writeFileSync(full, text);
    console.log(`wrote ${path}`);
  }
}
if (check && stale) Deno.exit(1);
