/**
 * A bundle's asset records as the engine's `Asset` objects: what the data portal of a backtest
 * and a research pipeline engine both list.
 */
import type { AssetRecord } from "../../bundles/mod.ts";
import { Asset } from "./asset.ts";

/** One `Asset` per record, in the bundle's order (name defaults to the symbol, country to US). */
export function assetsOfBundle(records: readonly AssetRecord[]): Asset[] {
  return records.map((r) =>
    new Asset(
      r.sid,
      r.symbol,
      r.asset_name ?? r.symbol,
      r.exchange ?? "",
      r.start_date,
      r.end_date,
      r.auto_close_date,
      r.first_traded,
      r.country_code ?? "US",
    )
  );
}
