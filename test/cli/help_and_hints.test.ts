/**
 * Every flag a command accepts is in its help, and every hint Harvester prints or documents —
 * "`harvester assets BUNDLE` lists …" — names a command that exists, with flags it takes.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type Command, commandHelp } from "../../runtime/cli/command.ts";
import { ALIASES, COMMANDS } from "../../runtime/cli/main.ts";
import { SymbolNotFound } from "../../runtime/api/errors.ts";
import { AccountControlViolation } from "../../runtime/finance/controls.ts";
import { API } from "../../runtime/api/context.ts";
import { REPO } from "./process.ts";

const commands = new Map<string, Command>();
for (const [name, load] of Object.entries(COMMANDS)) commands.set(name, await load());

/** `--flag` or `-f` as a word of a help text (after a space, `[`, `(`, `|`, `,` or `/`). */
const mentions = (text: string, flag: string) =>
  new RegExp(`(^|[\\s\\[(|,/])${flag.replace(/[-]/g, "\\-")}(?![\\w-])`, "m").test(text);

/** The flags a command takes: its options, their short forms, its aliases, and the global ones. */
function takes(cmd: Command): Set<string> {
  const out = new Set(["--help", "-h", "--debug", "--version"]);
  for (const [long, spec] of Object.entries(cmd.options)) {
    out.add(`--${long}`);
    if (spec.short) out.add(`-${spec.short}`);
  }
  for (const a of Object.keys(cmd.aliases ?? {})) out.add(a);
  return out;
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules" || name === "data") continue;
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith(".ts")) yield p;
  }
}

describe("help", () => {
  test("every option, short form and alias of every command is in its --help", () => {
    for (const [name, cmd] of commands) {
      const help = commandHelp(cmd);
      for (const flag of takes(cmd)) {
        if (["--help", "-h", "--debug", "--version"].includes(flag)) continue;
        expect(mentions(help, flag), `harvester ${name} --help names ${flag}`).toBe(true);
      }
    }
  });

  test("the aliases name commands", () => {
    for (const [alias, to] of Object.entries(ALIASES)) {
      expect(commands.has(to), alias).toBe(true);
      expect(commands.has(alias), alias).toBe(false);
    }
  });
});

describe("hints", () => {
  /** Every `harvester …` in backticks in Harvester's code and in the README. */
  function hints(): { where: string; name: string; rest: string }[] {
    const out = [];
    const files = [
      ...["runtime", "bundles", "calendars"].flatMap((d) => [...sources(join(REPO, d))]),
      join(REPO, "README.md"),
    ];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/`harvester ([a-z]+)([^`]*)`/g)) {
        out.push({ where: file.slice(REPO.length), name: m[1], rest: m[2] });
      }
    }
    return out;
  }

  test("every hint names a command that exists, with flags that command takes", () => {
    const all = hints();
    expect(all.length).toBeGreaterThan(20);
    for (const { where, name, rest } of all) {
      const cmd = commands.get(ALIASES[name] ?? name);
      expect(cmd, `${where}: harvester ${name}`).toBeDefined();
      const flags = [...rest.matchAll(/(?:^|[\s[(|])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]);
      for (const f of flags) {
        expect(takes(cmd!).has(f), `${where}: harvester ${name} … ${f}`).toBe(true);
      }
    }
  });

  test("SymbolNotFound points at harvester assets; account controls at their set_* function", () => {
    const e = new SymbolNotFound("GOOG", "2014-12-31");
    const named = /`harvester ([a-z]+) BUNDLE`/.exec(e.message)?.[1];
    expect(named).toBe("assets");
    expect(commands.has(named!)).toBe(true);
    const v = new AccountControlViolation(Date.UTC(2014, 0, 2), "MaxLeverage({'max_leverage': 1})");
    const setter = /change the limit given to ([a-z_]+)\(\)/.exec(v.message)?.[1];
    expect(setter).toBe("set_max_leverage");
    expect(setter! in API).toBe(true);
    expect(v.message).not.toMatch(/on_error/); // set_max_leverage takes none
  });
});
