/**
 * The built-in calendars and their aliases, named as exchange_calendars names them
 * (`calendar_utils.py`: `_default_calendar_factories` and `_default_calendar_aliases`). Specs are
 * plain data; the registry builds a calendar from one only when it is first asked for.
 */
import type { ExchangeSpec } from "./exchange.ts";
import { ALWAYS_OPEN_SPEC, WEEKDAY_SPEC } from "./always_open.ts";
import { XNYS_SPEC } from "./xnys.ts";
import { XLON_SPEC } from "./xlon.ts";
import { CMES_SPEC } from "./cmes.ts";
import { US_FUTURES_SPEC } from "./us_futures.ts";
import {
  XAMS_SPEC,
  XBRU_SPEC,
  XDUB_SPEC,
  XLIS_SPEC,
  XMIL_SPEC,
  XOSL_SPEC,
  XPAR_SPEC,
} from "./euronext.ts";
import {
  XCSE_SPEC,
  XHEL_SPEC,
  XICE_SPEC,
  XLIT_SPEC,
  XRIS_SPEC,
  XSTO_SPEC,
  XTAL_SPEC,
} from "./nordic_baltic.ts";
import {
  XBRA_SPEC,
  XBUD_SPEC,
  XLUX_SPEC,
  XMAD_SPEC,
  XPRA_SPEC,
  XSWX_SPEC,
  XWAR_SPEC,
  XWBO_SPEC,
} from "./europe_central.ts";
import {
  ASEX_SPEC,
  XBEL_SPEC,
  XBSE_SPEC,
  XCYS_SPEC,
  XLJU_SPEC,
  XZAG_SPEC,
} from "./europe_south_east.ts";
import { IEPA_SPEC, XBDA_SPEC, XCBF_SPEC, XMEX_SPEC, XTSE_SPEC } from "./americas_north.ts";
import { BVMF_SPEC, XBOG_SPEC, XBUE_SPEC, XLIM_SPEC, XSGO_SPEC } from "./americas_south.ts";
import { AIXK_SPEC, XIST_SPEC, XMOS_SPEC } from "./eurasia.ts";
import { XJSE_SPEC, XSAU_SPEC, XTAE_SPEC } from "./middle_east_africa.ts";
import { XASX_SPEC, XNZE_SPEC } from "./oceania.ts";
import { XTKS_SPEC } from "./japan.ts";
import { XHKG_SPEC, XSHG_SPEC } from "./china.ts";
import { XBOM_SPEC, XKAR_SPEC } from "./south_asia.ts";
import { XBKK_SPEC, XIDX_SPEC, XKLS_SPEC, XPHS_SPEC, XSES_SPEC } from "./southeast_asia.ts";
import { XTAI_SPEC } from "./taiwan.ts";
import { XKRX_SPEC } from "./korea.ts";
import {
  XDUS_SPEC,
  XEEE_SPEC,
  XETR_SPEC,
  XEUR_SPEC,
  XFRA_SPEC,
  XHAM_SPEC,
  XSTU_SPEC,
} from "./germany.ts";

/** A built-in calendar and the other names it answers to. */
export interface BuiltInCalendar {
  spec: ExchangeSpec;
  aliases?: readonly string[];
}

export const BUILT_IN_CALENDARS: readonly BuiltInCalendar[] = [
  // CSVDIR is Harvester's own: csvdir bundles default to the NYSE calendar.
  {
    spec: XNYS_SPEC,
    aliases: ["NYSE", "NASDAQ", "BATS", "XNAS", "ARCX", "OOTC", "XASE", "CSVDIR"],
  },
  { spec: CMES_SPEC, aliases: ["CME", "CBOT", "COMEX", "NYMEX"] },
  { spec: XLON_SPEC, aliases: ["LSE"] },
  { spec: US_FUTURES_SPEC },
  { spec: XAMS_SPEC },
  { spec: XBRU_SPEC },
  { spec: XPAR_SPEC },
  { spec: XLIS_SPEC },
  { spec: XMIL_SPEC },
  { spec: XDUB_SPEC },
  { spec: XOSL_SPEC, aliases: ["OSE"] },
  { spec: XSTO_SPEC },
  { spec: XHEL_SPEC },
  { spec: XCSE_SPEC },
  { spec: XICE_SPEC },
  { spec: XRIS_SPEC },
  { spec: XTAL_SPEC },
  { spec: XLIT_SPEC },
  { spec: XSWX_SPEC, aliases: ["SIX"] },
  { spec: XWBO_SPEC },
  { spec: XPRA_SPEC },
  { spec: XBUD_SPEC },
  { spec: XWAR_SPEC },
  { spec: XLUX_SPEC, aliases: ["LUXSE"] },
  { spec: XMAD_SPEC },
  { spec: XFRA_SPEC, aliases: ["FWB"] },
  { spec: XETR_SPEC },
  { spec: XDUS_SPEC },
  { spec: XHAM_SPEC },
  { spec: XSTU_SPEC },
  { spec: XEUR_SPEC },
  { spec: XEEE_SPEC },
  { spec: XBRA_SPEC },
  { spec: ASEX_SPEC },
  { spec: XCYS_SPEC },
  { spec: XBEL_SPEC },
  { spec: XLJU_SPEC },
  { spec: XZAG_SPEC },
  { spec: XBSE_SPEC, aliases: ["BVB"] },
  { spec: XTSE_SPEC, aliases: ["XTSX", "TSX"] },
  { spec: XMEX_SPEC },
  { spec: XBDA_SPEC },
  { spec: IEPA_SPEC, aliases: ["ICE", "ICEUS", "NYFE"] },
  { spec: XCBF_SPEC, aliases: ["CFE"] },
  { spec: BVMF_SPEC, aliases: ["BMF"] },
  { spec: XBUE_SPEC },
  { spec: XBOG_SPEC },
  { spec: XLIM_SPEC },
  { spec: XSGO_SPEC },
  { spec: XMOS_SPEC },
  { spec: XIST_SPEC },
  { spec: AIXK_SPEC },
  { spec: XTAE_SPEC, aliases: ["TASE"] },
  { spec: XSAU_SPEC },
  { spec: XJSE_SPEC },
  { spec: XASX_SPEC, aliases: ["ASX"] },
  { spec: XNZE_SPEC },
  { spec: XTKS_SPEC, aliases: ["JPX"] },
  { spec: XHKG_SPEC, aliases: ["HKEX"] },
  { spec: XSHG_SPEC, aliases: ["SSE"] },
  { spec: XBOM_SPEC, aliases: ["BSE"] },
  { spec: XKAR_SPEC },
  { spec: XSES_SPEC },
  { spec: XKLS_SPEC },
  { spec: XBKK_SPEC },
  { spec: XIDX_SPEC, aliases: ["JKT"] },
  { spec: XPHS_SPEC },
  { spec: XTAI_SPEC },
  { spec: XKRX_SPEC },
  { spec: ALWAYS_OPEN_SPEC },
  { spec: WEEKDAY_SPEC },
];
