/**
 * Imports a package when it is first needed, by a computed specifier. Unless a process runs with
 * Deno's `lazy-dynamic-imports` (Harvester's `deno.json` and launch flags set it; a notebook's or
 * another project's configuration may not), Deno builds the module graph of every literal
 * `import("…")` it can reach before a program starts: Arrow, Vega, Vega-Lite and DuckDB written
 * that way cost ≈ 9 ms of every `harvester backtest` process that never uses them. A computed one
 * is resolved (through the same import map) only when it runs, whatever the process's flags.
 * Harvester's own modules are imported by literal specifiers instead, so that the bundled command
 * line (`cli/bundle.ts`) holds them.
 *
 * @example
 * ```ts
 * const arrow = await lazyImport<typeof import("apache-arrow")>("apache-arrow");
 * ```
 */
export function lazyImport<T>(specifier: string | URL): Promise<T> {
  return import(typeof specifier === "string" ? specifier : specifier.href);
}
