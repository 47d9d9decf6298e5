"""The reference workload (shared/bench/README.md) in backtrader, for `deno task bench`'s peer line.

Run with a backtrader work tree on PYTHONPATH (the bench sets it from BACKTRADER_PATH):

    python3 bench/peers/backtrader_sma.py DATASET_DIR

Dual SMA 20/50 on close over every asset, every bar, order_target_percent(asset, 1/A or 0),
cash 1,000,000, no commission; `runonce=False` and the default observers, as a backtrader user
runs it. Prints one JSON line: wall seconds of the whole run (data loading included, as the
harvester process figure includes it), bars, orders, final value.
"""
import json
import os
import sys
import time

t0 = time.perf_counter()
import backtrader as bt  # noqa: E402


class DualSma(bt.Strategy):
    def __init__(self):
        self.fast = {d: bt.indicators.SMA(d.close, period=20) for d in self.datas}
        self.slow = {d: bt.indicators.SMA(d.close, period=50) for d in self.datas}
        self.orders = 0

    def next(self):
        weight = 1.0 / len(self.datas)
        for d in self.datas:
            up = self.fast[d][0] > self.slow[d][0]
            if self.order_target_percent(d, target=weight if up else 0.0) is not None:
                self.orders += 1


def main(folder):
    daily = os.path.join(folder, "daily")
    cerebro = bt.Cerebro(runonce=False)
    for name in sorted(os.listdir(daily)):
        data = bt.feeds.GenericCSVData(
            dataname=os.path.join(daily, name), dtformat="%Y-%m-%d", datetime=0, open=1, high=2,
            low=3, close=4, volume=5, openinterest=-1,
        )
        cerebro.adddata(data, name=name[:-4])
    cerebro.broker.setcash(1_000_000)
    cerebro.addstrategy(DualSma)
    strategy = cerebro.run()[0]
    bars = sum(len(d) for d in strategy.datas)
    print(json.dumps({
        "seconds": time.perf_counter() - t0,
        "bars": bars,
        "orders": strategy.orders,
        "final_value": cerebro.broker.getvalue(),
    }))


if __name__ == "__main__":
    main(sys.argv[1])
