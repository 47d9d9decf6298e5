/**
 * A run's side tables written while it goes on, on a thread of their own: the thread keeps a
 * copy of the recorder (`recorder_delta.ts`), and each table's rows are encoded and written a
 * block at a time as soon as a whole block is recorded. What is left, and the file's name, come
 * at the end. The same fillers and encoder as `writeTables` over the finished run: the same
 * bytes.
 *
 * Why: the simulation is one thread. Writing a 100 × 2,520 run's 318,000 side-table rows took
 * 140–230 ms after it in a cold `harvester backtest -o x.csv`; here it overlaps the simulation
 * on another core.
 *
 * @module
 */
import { OutputFile } from "../../fs.ts";
import type { RecorderData } from "../recorder.ts";
import { type BlockArrays, blockColumns, type Filler } from "./blocked.ts";
import { CsvStream } from "./csv.ts";
import type { SideTable } from "./recorder_tables.ts";
import { BLOCK_ROWS, type Column } from "./table.ts";

/** One side table's file, written a block of rows at a time as the rows come. */
export class SideTableWriter {
  readonly #values: BlockArrays;
  readonly #columns: Column[];
  readonly #csv: CsvStream;
  readonly #file: OutputFile;
  #fill: Filler | null = null;
  #done = 0;

  /** `blockRows`: rows encoded at a time (the bytes are the same for any). */
  constructor(
    readonly path: string,
    private readonly table: SideTable,
    private readonly d: RecorderData,
    private readonly blockRows = BLOCK_ROWS,
  ) {
    ({ values: this.#values, columns: this.#columns } = blockColumns(table.specs, blockRows));
    this.#file = new OutputFile(path, true);
    this.#csv = new CsvStream((piece) => this.#file.write(piece));
  }

  /** Writes the rows recorded so far in whole blocks (`last`: all of them). */
  advance(last = false): void {
    const total = this.table.rows(this.d);
    const size = this.blockRows;
    while (total - this.#done >= size || (last && this.#done < total)) {
      const from = this.#done, to = Math.min(total, from + size);
      (this.#fill ??= this.table.open(this.d))(this.#values, from, to);
      this.#csv.add({ length: to - from, columns: this.#columns });
      this.#done = to;
    }
  }

  /** Writes the rest and gives the file its name. */
  finish(): Promise<void> {
    this.advance(true);
    this.#csv.end(this.#columns);
    return this.#file.commit();
  }

  /** Stops, removing what was written (an earlier file of the name stays). */
  abort(): void {
    this.#file.abort();
  }
}
