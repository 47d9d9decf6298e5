/**
 * DataSets: named groups of columns a loader provides — `EquityPricing` (OHLCV from the bundle,
 * adjusted as zipline adjusts pipeline windows) and any dataset a user declares, e.g.
 * fundamentals from a CSV file or a DuckDB table.
 *
 * A column's value for day D is what was known before D's open: for pricing, the bar of the
 * session before D, adjusted for every split and dividend effective on or before D.
 *
 * @example
 * ```ts
 * const Fundamentals = DataSet.define("Fundamentals", {
 *   pe_ratio: Column("float64"),
 *   sector: Column("int64", { missing_value: -1 }),
 * }, { loader: new CSVLoader("fundamentals.csv") });
 * const cheap = Fundamentals.pe_ratio.latest.lt(15);
 * ```
 */
import type { Classifier } from "./classifier.ts";
import { CustomClassifier, CustomFactor, CustomFilter } from "./custom.ts";
import type { Factor } from "./factor.ts";
import type { Filter } from "./filter.ts";
import type { PipelineLoader } from "./loader.ts";
import { Term, type TermData, type TermKind } from "./term.ts";

/** Column value types: numbers (factors), booleans (filters), integer labels (classifiers). */
export type ColumnDType = "float64" | "bool" | "int64";

/** A column declaration: its type and missing value. */
export interface ColumnSpec<D extends ColumnDType = ColumnDType> {
  dtype: D;
  missing_value: number;
}

/** The term `column.latest` gives for a dtype. */
export type LatestOf<D extends ColumnDType> = D extends "float64" ? Factor
  : D extends "bool" ? Filter
  : Classifier;

/**
 * Declares a DataSet column.
 * @example Column("float64") // NaN when missing
 * @example Column("int64", { missing_value: -1 })
 */
export function Column<D extends ColumnDType>(
  dtype: D,
  opts: { missing_value?: number } = {},
): ColumnSpec<D> {
  const missing = opts.missing_value ?? (dtype === "float64" ? NaN : dtype === "bool" ? 0 : -1);
  return { dtype, missing_value: missing };
}

const KIND: Record<ColumnDType, TermKind> = {
  float64: "factor",
  bool: "filter",
  int64: "classifier",
};

/** A DataSet's column as a pipeline term, loaded by the dataset's loader. */
export class BoundColumn<D extends ColumnDType = ColumnDType> extends Term {
  readonly kind: TermKind;
  readonly dtype: D;

  constructor(readonly dataset: DataSet, readonly name: string, spec: ColumnSpec<D>) {
    super({ missing_value: spec.missing_value }, { window_safe: true, missing_value: NaN });
    this.kind = KIND[spec.dtype];
    this.dtype = spec.dtype;
  }

  override get loadable(): boolean {
    return true;
  }

  /** The most recent value known each day, as a factor, filter or classifier by dtype. */
  get latest(): LatestOf<D> {
    const t = this.dtype === "float64"
      ? new Latest({ inputs: [this] })
      : this.dtype === "bool"
      ? new LatestFilter({ inputs: [this] })
      : new LatestClassifier({ inputs: [this], missing_value: this.missing_value });
    return t as unknown as LatestOf<D>;
  }

  protected override identity(): string {
    return `column|${this.dataset.name}#${this.dataset.id}.${this.name}`;
  }

  override _compute(): never {
    throw new Error(`${this} is loaded, not computed`);
  }

  override toString(): string {
    return `${this.dataset.name}.${this.name}::${this.dtype}`;
  }

  override shortName(): string {
    return this.toString();
  }
}

let nextDataSet = 1;

/** Options of `DataSet.define`. */
export interface DataSetOptions {
  /** Loads this dataset's columns (else the engine's loaders must know them). */
  loader?: PipelineLoader;
}

/** A named set of columns. Build with `DataSet.define`. */
export class DataSet {
  readonly id = nextDataSet++;
  readonly columns: readonly BoundColumn[];
  loader: PipelineLoader | null;

  protected constructor(
    readonly name: string,
    specs: Record<string, ColumnSpec>,
    opts: DataSetOptions,
  ) {
    this.loader = opts.loader ?? null;
    this.columns = Object.entries(specs).map(([n, s]) => new BoundColumn(this, n, s));
  }

  /**
   * A dataset with columns as properties (`MyData.col`), each a `BoundColumn`.
   * @example const Sentiment = DataSet.define("Sentiment", { score: Column("float64") });
   */
  static define<C extends Record<string, ColumnSpec>>(
    name: string,
    columns: C,
    opts: DataSetOptions = {},
  ): DataSet & { readonly [K in keyof C]: BoundColumn<C[K]["dtype"]> } {
    const ds = new DataSet(name, columns, opts);
    for (const c of ds.columns) {
      if (c.name in ds) throw new Error(`DataSet ${name}: column name "${c.name}" is reserved`);
      Object.defineProperty(ds, c.name, { value: c, enumerable: true });
    }
    return ds as DataSet & { readonly [K in keyof C]: BoundColumn<C[K]["dtype"]> };
  }

  /** The column named `name`. */
  column(name: string): BoundColumn {
    const c = this.columns.find((x) => x.name === name);
    if (!c) throw new Error(`DataSet ${this.name} has no column "${name}"`);
    return c;
  }

  toString(): string {
    return this.name;
  }
}

function copyLast(outs: TermData[], wins: TermData[], W: number, N: number): void {
  outs[0].set(wins[0].subarray((W - 1) * N, W * N));
}

/** zipline's `Latest` factor: a column's most recent value (`column.latest`). */
export class Latest extends CustomFactor {
  static override window_length = 1;
  override kernel = copyLast;
}

/** `Latest` for boolean columns. */
export class LatestFilter extends CustomFilter {
  static override window_length = 1;
  override kernel = copyLast;
}

/** `Latest` for integer-label columns. */
export class LatestClassifier extends CustomClassifier {
  static override window_length = 1;
  override kernel = copyLast;
}

/** Daily open, high, low, close and volume from the bundle (zipline's `EquityPricing`). */
export const EquityPricing = DataSet.define("EquityPricing", {
  open: Column("float64"),
  high: Column("float64"),
  low: Column("float64"),
  close: Column("float64"),
  volume: Column("float64"),
});

/** zipline's US alias of `EquityPricing` (the same columns). */
export const USEquityPricing = EquityPricing;
