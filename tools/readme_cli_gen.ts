/**
 * The README's CLI table, made from the commands' own help (`usage` and `summary`, what
 * `harvester <command> --help` prints first), between `<!-- cli-table -->` and
 * `<!-- /cli-table -->`. `deno task generate` writes it; a test fails when the README's differs.
 */
import type { Command } from "../runtime/cli/command.ts";

export const START = "<!-- cli-table -->";
export const END = "<!-- /cli-table -->";

/** A table cell: `|` escaped, as Markdown tables need. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/**
 * The table's Markdown: one row per command (its usage line and summary), then one per alias.
 *
 * @example
 * ```ts
 * cliTable([calendarCommand], {}); // "| command | what it does |\n| --- | --- |\n| `harvester calendar …` | … |"
 * ```
 */
export function cliTable(commands: readonly Command[], aliases: Record<string, string>): string {
  const rows = [
    "| command | what it does |",
    "| --- | --- |",
    ...commands.map((c) => `| \`harvester ${cell(c.usage)}\` | ${cell(c.summary)} |`),
    ...Object.entries(aliases).map(([a, to]) =>
      `| \`harvester ${a} …\` | zipline's name for \`harvester ${to}\`: the same command and options |`
    ),
  ];
  return rows.join("\n");
}

/**
 * A table's cells, row by row, without the padding a formatter adds.
 *
 * @example
 * ```ts
 * tableCells("| a  | b |\n| -- | - |"); // [["a", "b"], ["---", "---"]]
 * ```
 */
export function tableCells(markdown: string): string[][] {
  return markdown.split("\n").filter((l) => l.trim().startsWith("|")).map((l) =>
    l.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => {
      const t = c.trim();
      return /^:?-+:?$/.test(t) ? "---" : t;
    })
  );
}

/**
 * The text between the markers of `readme`; throws when they are missing.
 *
 * @example
 * ```ts
 * tableOf(readFileSync("README.md", "utf8"));
 * ```
 */
export function tableOf(readme: string): string {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
  return readme.slice(a + START.length, b);
}

/**
 * `readme` with the table between the markers replaced.
 *
 * @example
 * ```ts
 * writeFileSync("README.md", withTable(readme, cliTable(commands, ALIASES)));
 * ```
 */
export function withTable(readme: string, table: string): string {
  const a = readme.indexOf(START), b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} section`);
  return `${readme.slice(0, a + START.length)}\n\n${table}\n\n${readme.slice(b)}`;
}
