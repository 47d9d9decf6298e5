/** The fill models a simulated venue works with: what `set_slippage` and `set_commission` set. */
import type { CommissionModel } from "./commission.ts";
import type { FillSimulator } from "./slippage.ts";

/** Read by the venue at every bar, so models set in initialize reach it. */
export interface FillModels {
  slippage: FillSimulator;
  commission: Pick<CommissionModel, "calculate">;
  /**
   * `set_slippage`'s and `set_commission`'s `us_futures` models, checked and kept for when
   * futures trade (no bundle holds futures yet).
   */
  future_slippage?: FillSimulator;
  future_commission?: Pick<CommissionModel, "calculate">;
}
