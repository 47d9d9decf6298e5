/**
 * How long a server asks a client to wait before its next request: `Retry-After` (RFC 9110
 * §10.2.3: a number of seconds or an HTTP-date) and `X-RateLimit-Reset` (the epoch second a rate
 * window resets: Alpaca's header, docs.alpaca.markets "Rate limit", also GitHub's). Parsed here
 * exactly: `Date.parse` would take "1.5" for a date in 2001 and read asctime in local time.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^[A-Z][a-z]+, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function utc(year: number, month: string, day: string, h: string, m: string, s: string) {
  const mon = MONTHS.indexOf(month);
  return mon < 0 ? NaN : Date.UTC(year, mon, Number(day), Number(h), Number(m), Number(s));
}

/**
 * An HTTP-date (RFC 9110 §5.6.7) as epoch ms, NaN when `text` is none: IMF-fixdate, and the
 * obsolete rfc850 and asctime forms recipients must still accept (both GMT). A two-digit rfc850
 * year more than 50 years ahead of `now` is the most recent past year with those digits.
 *
 * @example
 * httpDate("Sun, 06 Nov 1994 08:49:37 GMT", Date.now()); // 784111777000
 */
export function httpDate(text: string, now: number): number {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2], m[1], m[4], m[5], m[6]);
  m = RFC850.exec(text);
  if (m) {
    const thisYear = new Date(now).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    return utc(year, m[2], m[1], m[4], m[5], m[6]);
  }
  m = ASCTIME.exec(text);
  return m ? utc(Number(m[6]), m[1], m[2].trim(), m[3], m[4], m[5]) : NaN;
}

/**
 * The wait a `Retry-After` value asks for (ms, never negative), undefined when absent or not one
 * of RFC 9110 §10.2.3's two forms (delay-seconds is digits only).
 *
 * @example
 * retryAfterMs("120", Date.now()); // 120000
 * retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:00Z")); // 60000
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = httpDate(text, now);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long a rate-limited answer asks to wait (ms), undefined when it does not say: until
 * `X-RateLimit-Reset` (epoch seconds) and a quarter second past it — past the window's edge, not
 * on it — else `Retry-After`.
 *
 * @example
 * serverWaitMs(new Headers({ "x-ratelimit-reset": "1700000060" }), 1_700_000_000_000); // 60250
 */
export function serverWaitMs(headers: Headers, now: number): number | undefined {
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.has("x-ratelimit-reset") && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - now) + 250;
  }
  return retryAfterMs(headers.get("retry-after"), now);
}
