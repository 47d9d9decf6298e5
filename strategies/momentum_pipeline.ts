/**
 * zipline's `momentum_pipeline` example: a pipeline ranks every asset by RSI each day; the
 * strategy goes long the top 3 and short the bottom 3 (a third of the portfolio each), and
 * closes anything else it holds.
 * Run: `deno task harvester backtest strategies/momentum_pipeline.ts -s 2013-10-07 -e 2013-11-30 --capital-base 100000`
 */
import {
  attach_pipeline,
  commission,
  date_rules,
  factors,
  order_target_percent,
  Pipeline,
  pipeline_output,
  record,
  schedule_function,
  set_commission,
  set_slippage,
  slippage,
} from "harvester/api";
import type { BarData, Context, PipelineFrame } from "harvester/api";

function make_pipeline(): Pipeline {
  const rsi = new factors.RSI();
  return new Pipeline({
    columns: {
      longs: rsi.top(3),
      shorts: rsi.bottom(3),
    },
  });
}

async function rebalance(context: Context, data: BarData): Promise<void> {
  // The pipeline's output: a frame of boolean columns `longs` and `shorts`, indexed by asset.
  const pipeline_data: PipelineFrame = context.pipeline_data;
  const longs = pipeline_data.where("longs");
  const shorts = pipeline_data.where("shorts");

  record({ universe_size: pipeline_data.assets.length });

  // A 2x-leveraged, equal-weight, long-short portfolio.
  const one_third = 1.0 / 3.0;
  for (const asset of longs) await order_target_percent(asset, one_third);
  for (const asset of shorts) await order_target_percent(asset, -one_third);

  // Close anything no longer wanted (a delisted asset cannot trade; it is closed for us).
  const wanted = new Set([...longs, ...shorts].map((a) => a.sid));
  for (const asset of context.portfolio.positions.keys()) {
    if (!wanted.has(asset.sid) && await data.can_trade(asset)) {
      await order_target_percent(asset, 0);
    }
  }
}

export function initialize(_context: Context): void {
  attach_pipeline(make_pipeline(), "my_pipeline");
  // Rebalance each day (in daily mode, the same as doing it in handle_data).
  schedule_function(rebalance, date_rules.every_day());
  // The commission and slippage models zipline's example sets explicitly.
  set_commission(new commission.PerShare({ cost: 0.0075, min_trade_cost: 1.0 }));
  set_slippage(new slippage.VolumeShareSlippage());
}

export async function before_trading_start(context: Context, _data: BarData): Promise<void> {
  context.pipeline_data = await pipeline_output("my_pipeline");
}
