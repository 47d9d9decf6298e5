/**
 * The Alpaca broker adapter (`harvester live ALGO.ts --broker alpaca`): paper by default, live
 * only when asked. REST through `@alpacahq/alpaca-trade-api` v4; `trade_updates` and market
 * data through a small `npm:ws` client that follows Alpaca's documented stream protocol (the
 * SDK's streams do not run under Deno). Options are described in `README.md` beside this file.
 *
 * @example
 * ```ts
 * import { createAlpacaBroker } from "./runtime/brokers/alpaca/mod.ts";
 *
 * const broker = createAlpacaBroker({ env: Deno.env.toObject() }); // paper account
 * broker.onEvent((e) => console.log(e));
 * await broker.connect();
 * await broker.submit({
 *   client_order_id: "hv0a1b2c3d-1",
 *   symbol: "AAPL",
 *   amount: 10,
 *   limit_price: 150,
 *   stop_price: null,
 *   time_in_force: "day",
 * });
 * ```
 */
import { get_calendar } from "../../../calendars/mod.ts";
import { AlpacaBroker } from "./broker.ts";
import { type AlpacaBrokerOptions, resolveAlpacaConfig } from "./config.ts";

export { AlpacaBroker } from "./broker.ts";
export {
  ALPACA_DATA_URL,
  ALPACA_LIVE_URL,
  ALPACA_PAPER_URL,
  type AlpacaBrokerOptions,
  type AlpacaConfig,
  type MinuteFilter,
  resolveAlpacaConfig,
} from "./config.ts";
export { AlpacaAuthError, AlpacaConfigError, AlpacaRequestError } from "./errors.ts";

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A `Broker` on an Alpaca account (`AlpacaBroker` implements `Broker`). Throws
 * `AlpacaConfigError` at once for missing keys or a paper/live mismatch; nothing touches the
 * network until `connect()`. Register the event listener (`onEvent`) before connecting.
 *
 * @example
 * ```ts
 * const live = createAlpacaBroker({ env: Deno.env.toObject(), paper: false }); // --live
 * const local = createAlpacaBroker({
 *   env: { APCA_API_KEY_ID: "k", APCA_API_SECRET_KEY: "s" },
 *   baseUrl: "http://127.0.0.1:8080", // a fake Alpaca; the streams follow: ws://127.0.0.1:8080/stream
 *   dataUrl: "http://127.0.0.1:8080",
 *   dataStreamUrl: "ws://127.0.0.1:8080/v2/iex",
 * });
 * ```
 */
export function createAlpacaBroker(options: AlpacaBrokerOptions): AlpacaBroker {
  const config = resolveAlpacaConfig(options);
  return new AlpacaBroker(config, {
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    calendar: options.calendar === undefined ? get_calendar("XNYS") : options.calendar,
  });
}
