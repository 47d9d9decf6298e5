/**
 * `Pipeline`: named output columns (factors, filters, classifiers) and an optional screen (a
 * filter choosing which assets appear in the output each day).
 *
 * @example
 * ```ts
 * const rsi = new RSI();
 * const pipe = new Pipeline({ columns: { longs: rsi.top(3), shorts: rsi.bottom(3) } });
 * attach_pipeline(pipe, "my_pipeline");
 * ```
 */
import { UnsupportedPipelineOutput } from "./errors.ts";
import type { Filter } from "./filter.ts";
import type { Term } from "./term.ts";

/** Options of `new Pipeline`. */
export interface PipelineOptions {
  columns?: Record<string, Term>;
  screen?: Filter | null;
}

/** A set of named terms computed together each day. */
export class Pipeline {
  #columns: Record<string, Term>;
  #screen: Filter | null;

  constructor(opts: PipelineOptions = {}) {
    const columns = opts.columns ?? {};
    for (const [name, term] of Object.entries(columns)) validateColumn(name, term);
    this.#columns = { ...columns };
    this.#screen = opts.screen ?? null;
  }

  /** The output columns by name. */
  get columns(): Readonly<Record<string, Term>> {
    return this.#columns;
  }

  /** The screen, or null (every asset alive that day). */
  get screen(): Filter | null {
    return this.#screen;
  }

  /**
   * Adds a column; an existing name is an error unless `overwrite`.
   * @example pipe.add(new SimpleMovingAverage({ inputs: [EquityPricing.close], window_length: 10 }), "sma10")
   */
  add(term: Term, name: string, opts: { overwrite?: boolean } = {}): void {
    validateColumn(name, term);
    if (name in this.#columns && !opts.overwrite) {
      throw new UnsupportedPipelineOutput(
        `column "${name}" already exists; pass { overwrite: true }`,
      );
    }
    this.#columns[name] = term;
  }

  /** Removes a column and returns its term. */
  remove(name: string): Term {
    const term = this.#columns[name];
    if (!term) throw new UnsupportedPipelineOutput(`no column "${name}"`);
    delete this.#columns[name];
    return term;
  }

  /** Sets the screen; replacing one is an error unless `overwrite`. */
  set_screen(screen: Filter, opts: { overwrite?: boolean } = {}): void {
    if (this.#screen && !opts.overwrite) {
      throw new UnsupportedPipelineOutput(
        "set_screen: a screen is already set; combine filters with and(), or pass { overwrite: true }",
      );
    }
    this.#screen = screen;
  }
}

function validateColumn(name: string, term: Term): void {
  if (term.loadable) {
    throw new UnsupportedPipelineOutput(
      `column "${name}": ${term} is a DataSet column, not a computed term; did you mean ${term}.latest?`,
    );
  }
  if (term.ndim === 1) {
    throw new UnsupportedPipelineOutput(
      `column "${name}": ${term} has one value per day, not per asset`,
    );
  }
  if (term.outputs) {
    throw new UnsupportedPipelineOutput(
      `column "${name}": ${term} has several outputs (${term.outputs.join(", ")}); ` +
        `add one of them with .output(name)`,
    );
  }
}
