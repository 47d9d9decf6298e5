/**
 * `deno task generate`: writes the files made from others — `runtime/api/free_functions.ts`
 * (the free functions with their JSDoc, from runtime/api/api_*.ts), the README's CLI table
 * (from the commands' own help), then formats the README, and the bundled command line's import
 * map `runtime/cli/launch.imports.json` (from `deno.json`). `--check` writes nothing and exits 1
 * when either is out of date (the tests check the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ALIASES, COMMANDS } from "../runtime/cli/main.ts";
import { allApiDocs, freeFunctionsSource } from "./free_functions_gen.ts";
import { cliTable, tableCells, tableOf, withTable } from "./readme_cli_gen.ts";
import { launchImportMapText } from "../runtime/cli/bundle.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const check = Deno.args.includes("--check");
let stale = 0;

function report(path: string): void {
  stale++;
  if (check) console.error(`${path} is out of date: run \`deno task generate\``);
  else console.log(`wrote ${path}`);
}

const freePath = `${repo}runtime/api/free_functions.ts`;
const free = freeFunctionsSource(allApiDocs(`${repo}runtime/api`));
if (readFileSync(freePath, "utf8") !== free) {
  if (!check) writeFileSync(freePath, free);
  report("runtime/api/free_functions.ts");
}

const readmePath = `${repo}README.md`;
const readme = readFileSync(readmePath, "utf8");
const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
const table = cliTable(commands, ALIASES);
if (JSON.stringify(tableCells(tableOf(readme))) !== JSON.stringify(tableCells(table))) {
  if (!check) {
    writeFileSync(readmePath, withTable(readme, table));
    // The formatter pads the table's columns; the test compares cells, not padding.
    new Deno.Command(Deno.execPath(), { args: ["fmt", readmePath] }).outputSync();
  }
  report("README.md (the CLI table)");
}
const mapPath = `${repo}runtime/cli/launch.imports.json`;
const map = launchImportMapText(JSON.parse(readFileSync(`${repo}deno.json`, "utf8")));
if (readFileSync(mapPath, "utf8") !== map) {
  if (!check) writeFileSync(mapPath, map);
  report("runtime/cli/launch.imports.json");
}
if (check && stale) Deno.exit(1);
