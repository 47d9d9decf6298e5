/**
 * Date tables written eight to a line. Each date is checked as the table loads, so a mistyped
 * entry fails at import naming itself rather than shifting a holiday silently.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The `YYYY-MM-DD` dates of a whitespace-separated text.
 * @example dates(`2024-01-01 2024-12-25`) // ["2024-01-01", "2024-12-25"]
 */
export function dates(text: string): readonly string[] {
  const out = text.split(/\s+/).filter((d) => d !== "");
  for (const d of out) {
    if (!ISO_DATE.test(d)) throw new Error(`calendar data: "${d}" is not a YYYY-MM-DD date`);
  }
  return out;
}
