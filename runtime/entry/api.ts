/**
 * `harvester/api`: what a strategy imports — zipline's API as free functions bound to the running
 * algorithm, the model, style, control and rule classes, the Pipeline API, and `run_algorithm`.
 * An entry point: it sits above every layer, so it may gather from all of them.
 *
 * @example
 * ```ts
 * import { order, record, symbol } from "harvester/api";
 * import type { BarData, Context } from "harvester/api";
 *
 * export async function initialize(context: Context) {
 *   context.asset = await symbol("AAPL");
 * }
 * export async function handle_data(context: Context, data: BarData) {
 *   await order(context.asset, 10);
 *   record({ AAPL: await data.current(context.asset, "price") });
 * }
 * ```
 */
export * from "../api/mod.ts";
export { run_algorithm, type RunOptions } from "../engine/run_algorithm.ts";
