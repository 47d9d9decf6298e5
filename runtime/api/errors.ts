/** zipline's user-facing errors, under the same names, each saying what to do instead. */
import { HarvesterError } from "../errors.ts";

export class OrderDuringInitialize extends HarvesterError {
  override name = "OrderDuringInitialize";
  constructor(fn = "order") {
    super(
      `${fn}() can only be called from within handle_data() or a scheduled function, not initialize()`,
    );
  }
}

export class OrderInBeforeTradingStart extends HarvesterError {
  override name = "OrderInBeforeTradingStart";
  constructor() {
    super(
      "Cannot place orders inside before_trading_start; place them in handle_data or a scheduled function",
    );
  }
}

export class UnsupportedOrderParameters extends HarvesterError {
  override name = "UnsupportedOrderParameters";
}

/** An order amount, value, percent, target or price that cannot be an order (NaN, ±∞, not a number). */
export class BadOrderValue extends HarvesterError {
  override name = "BadOrderValue";
}

export class CannotOrderDelistedAsset extends HarvesterError {
  override name = "CannotOrderDelistedAsset";
}

export class SymbolNotFound extends HarvesterError {
  override name = "SymbolNotFound";
  constructor(readonly symbol: string, when: string, readonly country_code?: string) {
    super(
      `Symbol '${symbol}' was not found (as of ${when}${
        country_code ? `, country ${country_code}` : ""
      }); \`harvester assets BUNDLE\` lists the symbols a bundle holds`,
    );
  }
}

export class SidsNotFound extends HarvesterError {
  override name = "SidsNotFound";
  constructor(readonly sids: readonly number[]) {
    super(`No asset with sid ${sids.join(", ")} in the bundle`);
  }
}

/** A setting that may only be made in initialize() (zipline's Set…PostInit errors). */
export class SettingPostInit extends HarvesterError {
  override name = "SettingPostInit";
  constructor(fn: string) {
    super(`${fn}() can only be called during initialize()`);
  }
}

export class RegisterTradingControlPostInit extends HarvesterError {
  override name = "RegisterTradingControlPostInit";
  constructor() {
    super("Trading controls may only be set during initialize()");
  }
}

export class ScheduleFunctionInvalidCalendar extends HarvesterError {
  override name = "ScheduleFunctionInvalidCalendar";
}

export class PipelineOutputDuringInitialize extends HarvesterError {
  override name = "PipelineOutputDuringInitialize";
  constructor() {
    super("pipeline_output() cannot be called during initialize()");
  }
}

/** A strategy file without `initialize`, or with exports of the wrong kind. */
export class StrategyDefinitionError extends HarvesterError {
  override name = "StrategyDefinitionError";
}

export class BadEnvironmentField extends HarvesterError {
  override name = "ValueError";
}
