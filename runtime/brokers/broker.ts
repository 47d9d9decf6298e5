/**
 * The broker contract, re-exported for the adapters beside it. It is defined in
 * `model/broker.ts` so the order manager can hold a broker without importing the adapters' folder.
 */
export type * from "../model/broker.ts";
