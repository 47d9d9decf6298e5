/**
 * Imports a package or module when it is first needed, by a computed specifier. Deno builds the
 * module graph of every literal `import("…")` it can reach before a program starts, so a literal
 * one is not lazy for start-up: Arrow, Vega, Vega-Lite and DuckDB written that way cost ≈ 9 ms of
 * every `harvester backtest` process that never uses them. A computed one is resolved (through
 * the same import map) only when it runs, and loads as fast then.
 *
 * @example
 * ```ts
 * const arrow = await lazyImport<typeof import("apache-arrow")>("apache-arrow");
 * ```
 */
export function lazyImport<T>(specifier: string | URL): Promise<T> {
  return import(typeof specifier === "string" ? specifier : specifier.href);
}
