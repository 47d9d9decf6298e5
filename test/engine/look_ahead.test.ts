/**
 * No look-ahead, on every bar: `data.current`, `data.history` and the buffers behind history
 * views show the current bar at most — daily and minute, in handle_data and in
 * before_trading_start (which sees the previous session, the first session's included). The
 * data are built so each bar's value names its bar: a later bar read by mistake is a different
 * number.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { csvdir_equities, ingest, register } from "../../bundles/mod.ts";
import { get_calendar } from "../../calendars/mod.ts";
import type { BarData } from "../../runtime/api/bar_data.ts";
import type { Asset } from "../../runtime/assets/asset.ts";
import { run_algorithm } from "../../runtime/engine/run_algorithm.ts";
import type { Strategy } from "../../runtime/engine/strategy.ts";
import type { Series } from "../../runtime/frames/series.ts";
import { csvFolder, tempRoot } from "../bundles/helpers.ts";

let root: string;
const cal = get_calendar("XNYS");
const SESSIONS = Array.from(cal.sessions_in_range(Date.UTC(2024, 6, 1), Date.UTC(2024, 6, 12)));
/** Close of minute `k` of session `s` (index in SESSIONS): it names its bar. */
const px = (s: number, k: number) => 100 + s + k / 1000;
/** A daily bar's close (the daily bundle): it names its session. */
const dpx = (s: number) => 50 + s;

beforeAll(async () => {
  root = tempRoot();
  const minute = ["date,open,high,low,close,volume"], daily = [...minute];
  SESSIONS.forEach((s, si) => {
    cal.session_minutes(s).forEach((m, k) => {
      const p = px(si, k), t = new Date(m).toISOString().slice(0, 19).replace("T", " ");
      minute.push(`${t},${p},${p},${p},${p},1000`);
    });
    const d = new Date(s).toISOString().slice(0, 10), p = dpx(si);
    daily.push(`${d},${p},${p},${p},${p},1000`);
  });
  register(
    "look-minute",
    csvdir_equities({ csvdir: csvFolder({ "AAA.csv": minute.join("\n") }, "minute") }),
    {
      calendar_name: "XNYS",
    },
  );
  register("look-daily", csvdir_equities({ csvdir: csvFolder({ "AAA.csv": daily.join("\n") }) }), {
    calendar_name: "XNYS",
  });
  await ingest("look-minute", { root });
  await ingest("look-daily", { root });
});

/** What a window's buffer holds right after the window (NaN or 0 when nothing later is there). */
function ahead(s: Series): number {
  const v = s.values, buf = new Float64Array(v.buffer);
  const at = v.byteOffset / 8 + v.length;
  return at < buf.length ? buf[at] : NaN;
}

interface Seen {
  dt: number;
  phase: "bts" | "bar";
  current: number;
  last: number;
  lastIndex: number;
  ahead: number;
}

async function watch(bundle: string, frequency: "daily" | "minute"): Promise<Seen[]> {
  const seen: Seen[] = [];
  const look = async (c: Record<string, unknown>, data: BarData, phase: Seen["phase"]) => {
    const a = c.a as Asset;
    const f = frequency === "minute" && phase === "bar" ? "1m" : "1d";
    const h = await data.history(a, "close", 3, f);
    seen.push({
      dt: data.current_dt.getTime(),
      phase,
      current: await data.current(a, "price"),
      last: h.values[2],
      lastIndex: h.index[2] as number,
      ahead: ahead(h),
    });
  };
  const strategy: Strategy = {
    initialize: async (c) => {
      c.a = await c.symbol("AAA");
    },
    before_trading_start: (c, data) => look(c, data, "bts"),
    handle_data: (c, data) => look(c, data, "bar"),
  };
  // From the third session: the first one's before_trading_start has two earlier sessions. Its
  // daily window of 3 ends at the session before and so reaches one session before the data,
  // which zipline refuses (HistoryWindowStartsBeforeData); what is checked here is the window's
  // last bar, so that session is padded with NaN instead.
  await run_algorithm({
    strategy,
    start: "2024-07-03",
    end: "2024-07-11",
    bundle,
    data_frequency: frequency,
    root,
    no_benchmark: true,
    history_before_data: "nan",
  });
  return seen;
}

const sessionOf = (dt: number) => SESSIONS.findLastIndex((s) => s <= dt);

describe("no look-ahead", () => {
  test("daily: every bar sees its own session, before_trading_start the one before", async () => {
    const seen = await watch("look-daily", "daily");
    expect(seen.length).toBe(2 * 6);
    for (const s of seen) {
      const today = sessionOf(s.dt);
      const visible = s.phase === "bar" ? today : today - 1;
      expect([s.phase, s.current, s.last], new Date(s.dt).toISOString()).toEqual([
        s.phase,
        dpx(visible),
        dpx(visible),
      ]);
      expect(s.lastIndex).toBe(SESSIONS[visible]);
      expect(Number.isNaN(s.ahead) || s.ahead === 0).toBe(true);
    }
    // The first session's before_trading_start sees the previous close like every later one.
    expect(seen[0]).toMatchObject({ phase: "bts", current: dpx(1) });
  });

  test("minute: every minute sees itself; before_trading_start the previous session", async () => {
    const seen = await watch("look-minute", "minute");
    const bars = seen.filter((s) => s.phase === "bar");
    expect(bars.length).toBe(390 * 5 + 210); // 2024-07-03 closes at 13:00
    for (const s of bars) {
      const si = sessionOf(s.dt), k = cal.session_minutes(SESSIONS[si]).indexOf(s.dt);
      if (s.current !== px(si, k) || s.last !== px(si, k) || s.lastIndex !== s.dt) {
        expect({ ...s, iso: new Date(s.dt).toISOString() }).toEqual({ later: "never" });
      }
      expect(Number.isNaN(s.ahead) || s.ahead === 0).toBe(true);
    }
    for (const s of seen.filter((s) => s.phase === "bts")) {
      const t = sessionOf(s.dt), y = t - 1, closing = cal.session_minutes(SESSIONS[y]).length - 1;
      // The previous session's last price. The daily window ends with today's bar so far (as
      // zipline's extra slot does), which before the open has no minute: no close yet.
      expect([s.current, s.lastIndex, s.last]).toEqual([px(y, closing), SESSIONS[t], NaN]);
    }
  });
});
