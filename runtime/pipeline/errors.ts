/** Pipeline errors, under zipline's names, each saying what to do instead. */
import { HarvesterError } from "../errors.ts";

/** Base of every pipeline error. */
export class PipelineError extends HarvesterError {
  override name = "PipelineError";
}

/** A windowed term (window_length > 1) was given an input that means different things by day. */
export class NonWindowSafeInput extends PipelineError {
  override name = "NonWindowSafeInput";
  constructor(parent: string, child: string) {
    super(
      `${parent} cannot use ${child} as an input: it is not window-safe (its values are not ` +
        `comparable across days). Use a window-safe input such as a DataSet column, Returns, ` +
        `rank() or zscore(), or window_length 1`,
    );
  }
}

/** A CustomFactor/CustomFilter/CustomClassifier without a positive window_length. */
export class WindowLengthNotPositive extends PipelineError {
  override name = "WindowLengthNotPositive";
  constructor(term: string, window_length: unknown) {
    super(`${term}: window_length must be a positive integer (got ${String(window_length)})`);
  }
}

/** A term constructed with options it does not know. */
export class UnexpectedTermArgument extends PipelineError {
  override name = "UnexpectedTermArgument";
}

/** The lookback a pipeline needs reaches before the calendar's first session. */
export class NoFurtherDataError extends PipelineError {
  override name = "NoFurtherDataError";
}

/** A term needs an asset that does not exist over the pipeline's dates. */
export class NonExistentAssetInTimeFrame extends PipelineError {
  override name = "NonExistentAssetInTimeFrame";
  constructor(asset: string, start: string, end: string) {
    super(
      `${asset} does not exist for the whole of ${start}…${end}; choose another asset or dates`,
    );
  }
}

/** Percentile bounds out of order or range. */
export class BadPercentileBounds extends PipelineError {
  override name = "BadPercentileBounds";
  constructor(min: number, max: number, upper: number) {
    super(
      `percentile bounds must satisfy 0 <= min < max <= ${upper}; got min=${min}, max=${max}`,
    );
  }
}

/** A pipeline column that cannot be output (a DataSet column, a 1-d slice, a multi-output term). */
export class UnsupportedPipelineOutput extends PipelineError {
  override name = "UnsupportedPipelineOutput";
}

/** No loader knows a DataSet column. */
export class NoLoaderForColumn extends PipelineError {
  override name = "NoLoaderForColumn";
  constructor(column: string) {
    super(
      `no loader for ${column}: give the DataSet a loader (DataSet.define(…, { loader })) or ` +
        `pass one in run_algorithm({ pipeline_loaders }) / run_pipeline(…, { loaders })`,
    );
  }
}

/** `attach_pipeline` with a name already attached. */
export class DuplicatePipelineName extends PipelineError {
  override name = "DuplicatePipelineName";
  constructor(name: string) {
    super(`attach_pipeline: a pipeline named "${name}" is already attached; choose another name`);
  }
}

/** `pipeline_output` for a name never attached. */
export class NoSuchPipeline extends PipelineError {
  override name = "NoSuchPipeline";
  constructor(name: string, valid: string[]) {
    super(
      `pipeline_output: no pipeline named "${name}"; attached: ${valid.join(", ") || "(none)"}`,
    );
  }
}

/** `attach_pipeline` after initialize. */
export class AttachPipelineAfterInitialize extends PipelineError {
  override name = "AttachPipelineAfterInitialize";
  constructor() {
    super("attach_pipeline() can only be called in initialize()");
  }
}

/** `pipeline_output` inside initialize. */
export class PipelineOutputDuringInitialize extends PipelineError {
  override name = "PipelineOutputDuringInitialize";
  constructor() {
    super(
      "pipeline_output() cannot be called in initialize(); call it in before_trading_start, " +
        "handle_data or a scheduled function",
    );
  }
}

/** Inputs whose masks differ where the computation needs them aligned. */
export class IncompatibleTerms extends PipelineError {
  override name = "IncompatibleTerms";
}
