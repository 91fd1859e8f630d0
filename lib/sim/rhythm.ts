/**
 * The daily rhythm of the city, as functions of Shenzhen local time (UTC+8, no
 * daylight saving). Each curve is 0 at its quietest and about 1 at its peak.
 */

const SHENZHEN_UTC_OFFSET_MS = 8 * 3_600_000;

export interface LocalTime {
  /** Hours since local midnight, fractional. */
  hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

export function shenzhenLocalTime(epochMs: number): LocalTime {
  const local = new Date(epochMs + SHENZHEN_UTC_OFFSET_MS);
  return {
    hour: local.getUTCHours() + local.getUTCMinutes() / 60 + local.getUTCSeconds() / 3600,
    weekday: local.getUTCDay(),
  };
}

export function isWeekend(t: LocalTime): boolean {
  return t.weekday === 0 || t.weekday === 6;
}

/** A bump centred on `centre` hours with width `sigma` hours (wraps around midnight). */
function bump(hour: number, centre: number, sigma: number): number {
  const d = Math.min(Math.abs(hour - centre), 24 - Math.abs(hour - centre));
  return Math.exp(-(d * d) / (2 * sigma * sigma));
}

/** Road demand: sharp commuter peaks on weekdays, a broad midday hump at weekends. */
export function trafficDemand(t: LocalTime): number {
  const night = 0.08;
  if (isWeekend(t)) return night + 0.55 * bump(t.hour, 14.5, 3.5) + 0.15 * bump(t.hour, 20, 1.5);
  return night + 0.9 * bump(t.hour, 8.25, 0.9) + 1.0 * bump(t.hour, 18.25, 1.1) + 0.45 * bump(t.hour, 13, 3);
}

/** Share of the working population at offices (drives CBD car parks). */
export function officePresence(t: LocalTime): number {
  if (isWeekend(t)) return 0.25 * bump(t.hour, 14, 3);
  const rampUp = 1 / (1 + Math.exp(-(t.hour - 8.8) * 3));
  const rampDown = 1 / (1 + Math.exp((t.hour - 18.7) * 2.5));
  return rampUp * rampDown;
}

/** Share of residents at home (drives residential car parks); the complement of commuting. */
export function homePresence(t: LocalTime): number {
  return 1 - 0.8 * officePresence(t) - 0.15 * bump(t.hour, 15, 2.5);
}

/** Outpatient demand: morning clinic peak, smaller afternoon one, near zero at night. */
export function clinicDemand(t: LocalTime): number {
  const weekendFactor = isWeekend(t) ? 0.55 : 1;
  return 0.04 + weekendFactor * (bump(t.hour, 9.5, 1.3) + 0.7 * bump(t.hour, 15, 1.4));
}

/** Home internet demand: evening peak 20:00–23:00, trough before dawn. */
export function broadbandDemand(t: LocalTime): number {
  const daytime = isWeekend(t) ? 0.55 : 0.4;
  return 0.12 + daytime * bump(t.hour, 13, 4) + 0.9 * bump(t.hour, 21.5, 1.4);
}
