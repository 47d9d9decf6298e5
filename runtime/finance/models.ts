/** The fill models a simulated venue works with: what `set_slippage` and `set_commission` set. */
import type { CommissionModel } from "./commission.ts";
import type { SlippageModel } from "./slippage.ts";

/** Read by the venue at every bar, so models set in initialize reach it. */
export interface FillModels {
  slippage: SlippageModel;
  commission: CommissionModel;
}
