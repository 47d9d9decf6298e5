/** What can go wrong in a sweep, each error saying what to do next. */
import { HarvesterError } from "../errors.ts";

/** A sweep's settings cannot be used (a grid, a walk-forward split, an objective). */
export class SweepSettingsError extends HarvesterError {
  override name = "SweepSettingsError";
}

/**
 * A worker was handed a cell whose bundle version it does not hold: the results would not be the
 * coordinator's, so the cell is refused.
 */
export class BundleVersionMissingError extends HarvesterError {
  override name = "BundleVersionMissingError";
  constructor(
    readonly bundle: string,
    readonly version: string,
    readonly root: string,
    readonly have: readonly string[],
  ) {
    super(
      `bundle ${bundle} version ${version} is not under ${root} (this machine has ${
        have.length ? have.join(", ") : "no version of it"
      }); copy the folder data/${bundle}/${version} from the machine that started the sweep, or share HARVESTER_ROOT over a network mount`,
    );
  }
}

/** The strategy file changed between the sweep's start and a cell's start. */
export class StrategyChangedError extends HarvesterError {
  override name = "StrategyChangedError";
  constructor(readonly path: string, readonly expected: string, readonly found: string) {
    super(
      `${path} changed while the sweep ran (hash ${found.slice(0, 12)}, the sweep started with ${
        expected.slice(0, 12)
      }); run the sweep again to sweep the new version`,
    );
  }
}

/** A Redis URL that cannot be used. */
export class QueueUrlError extends HarvesterError {
  override name = "QueueUrlError";
}
