/**
 * Reports of a backtest: the analysis series, Vega-Lite charts (rendered to SVG without a
 * browser), HTML tables and the self-contained HTML tearsheet.
 *
 * @example
 * ```ts
 * import { writeTearsheet } from "./runtime/metrics/report/mod.ts";
 * await writeTearsheet(results, "out/report.html");
 * ```
 *
 * @module
 */
export * from "./analysis.ts";
export * from "./charts.ts";
export * from "./analysis_charts.ts";
export * from "./tables.ts";
export * from "./tearsheet.ts";
