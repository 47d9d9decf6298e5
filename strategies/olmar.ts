/**
 * zipline's `olmar` example: On-Line Moving Average Reversion (Li & Hoi, ICML 2012) over seven
 * stocks, eps = 1, a 5-day window, rebalanced every bar from the fifth.
 */
import { commission, order, set_commission, set_slippage, slippage, symbols } from "harvester/api";
import type { BarData, Context } from "harvester/api";

const STOCKS = ["AMD", "CERN", "COST", "DELL", "GPS", "INTC", "MMM"];

export async function initialize(context: Context): Promise<void> {
  context.stocks = await symbols(...STOCKS);
  context.m = STOCKS.length;
  context.b_t = new Array(context.m).fill(1 / context.m);
  context.eps = Number(context.params.eps ?? 1);
  context.window_length = Number(context.params.window_length ?? 5);
  context.init = true;
  context.days = 0;
  set_commission(new commission.PerShare({ cost: 0, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function handle_data(context: Context, data: BarData): Promise<void> {
  context.days += 1;
  if (context.days < context.window_length) return;
  if (context.init) {
    await rebalance(context, data, context.b_t, context.portfolio.starting_cash);
    context.init = false;
    return;
  }
  const m: number = context.m;
  const prices = await Promise.all(
    context.stocks.map((s: unknown) => data.current(s as never, "price")),
  );
  const x_tilde = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    const hist = await data.history(context.stocks[i], "price", context.window_length, "1d");
    x_tilde[i] = hist.mean() / prices[i];
  }
  const b = olmarUpdate(context.b_t, x_tilde, context.eps);
  await rebalance(context, data, b, context.portfolio.positions_value + context.portfolio.cash);
  context.b_t = b;
}

/** One OLMAR step: move towards the predicted relatives, then project onto the simplex. */
export function olmarUpdate(b: number[], x: number[], eps: number): number[] {
  const m = b.length;
  const xBar = x.reduce((s, v) => s + v, 0) / m;
  let expected = 0, norm = 0;
  for (let i = 0; i < m; i++) {
    expected += b[i] * x[i];
    norm += (x[i] - xBar) ** 2;
  }
  const step = norm === 0 ? 0 : Math.max(0, (eps - expected) / norm);
  return simplexProjection(b.map((bi, i) => bi + step * (x[i] - xBar)));
}

/** Euclidean projection onto the probability simplex (Duchi et al.), as the example does it. */
export function simplexProjection(v: number[], z = 1): number[] {
  const w = v.map((x) => (x < 0 ? 0 : x));
  const u = [...w].sort((a, b) => b - a);
  let sv = 0, rho = 0, rhoSum = 0;
  for (let j = 0; j < u.length; j++) {
    sv += u[j];
    if (u[j] > (sv - z) / (j + 1)) {
      rho = j;
      rhoSum = sv;
    }
  }
  const theta = Math.max(0, (rhoSum - z) / (rho + 1));
  return w.map((x) => Math.max(x - theta, 0));
}

async function rebalance(
  context: Context,
  data: BarData,
  desired: number[],
  budget: number,
): Promise<void> {
  for (let i = 0; i < context.m; i++) {
    const stock = context.stocks[i];
    const price = await data.current(stock, "price");
    const desiredShares = Math.round((desired[i] * budget) / price);
    const current = context.portfolio.positions.get(stock).amount;
    await order(stock, desiredShares - current);
  }
}
