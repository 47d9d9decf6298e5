/**
 * zipline rounds every adjusted history window to 3 decimals after applying splits and
 * dividends (history_loader.py: DEFAULT_ASSET_PRICE_DECIMALS = 3; the window template's
 * `new_out.round(3)`), prices and volumes alike. Strategies whose decisions hang on a share count
 * (olmar's rounding of desired shares) follow zipline only with the same rounding.
 */

/**
 * numpy's `round(x, 3)`: scale by 1000, round half to even, scale back; NaN stays NaN.
 * @example roundHistory(30.281375796178345) // 30.281
 */
export function roundHistory(x: number): number {
  const y = x * 1000, r = Math.round(y);
  // Math.round takes halves up; numpy takes them to the even neighbour.
  return (r - y === 0.5 && r % 2 !== 0 ? r - 1 : r) / 1000;
}
