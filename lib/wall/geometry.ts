/**
 * A wall built of several screens (`?tiles=3x1&bezel=24&distance=5&pitch=0.63`). The
 * browser spans the whole wall, so the seams between screens cross the page: nothing that
 * must be read may sit on one. Each screen (tile) gets its own panels, none straddles a
 * seam, and a band `bezel` CSS pixels wide around every seam stays empty. The smallest
 * text can also be made legible from a viewing distance (see `legibleFontPx`).
 */
import { DOMAINS, type Domain } from "../catalog";
import type { MessageKey } from "../i18n";
import { MIN_TEXT_REM } from "./layout";

export interface WallGeometry {
  across: number;
  down: number;
  /** Page pixels hidden at or beside each seam, kept free of panels. */
  bezelPx: number;
  /** Metres from the wall to the farthest seat that must read every text; null when not given. */
  distanceM: number | null;
  /** Millimetres between two device pixels of the wall. */
  pitchMm: number;
}

/** A message for the installer, shown on the wall in its language. */
export interface GeometryProblem {
  key: MessageKey;
  vars: Record<string, string | number>;
}

export interface ParsedGeometry {
  geometry: WallGeometry | null;
  /** What was wrong with the parameters, for the installer to see on the wall; the rest is used. */
  problems: GeometryProblem[];
}

/** The URL parameters that describe the wall, kept across language switches and kiosk views. */
export const GEOMETRY_PARAMS = ["tiles", "bezel", "distance", "pitch"] as const;

/** Beyond ten screens each one would hold less than a panel: run such a wall as several windows. */
export const MAX_TILES = 10;
/** A 55″ 1080p LCD video-wall screen, the usual tile of an operations centre. */
export const DEFAULT_PITCH_MM = 0.63;

type Params = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function numberIn(params: Params, name: string, min: number, max: number, problems: GeometryProblem[]): number | null {
  const raw = first(params[name]);
  if (raw === undefined || raw === "") return null;
  const value = Number(raw);
  if (Number.isFinite(value) && value >= min && value <= max) return value;
  problems.push({ key: "geometry.number", vars: { name, value: raw, min, max } });
  return null;
}

export function parseWallGeometry(params: Params): ParsedGeometry {
  const problems: GeometryProblem[] = [];
  const tiles = first(params.tiles);
  let across = 1;
  let down = 1;
  if (tiles !== undefined && tiles !== "") {
    const match = /^(\d{1,2})x(\d{1,2})$/.exec(tiles);
    const [a, d] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
    if (a < 1 || d < 1) problems.push({ key: "geometry.tiles", vars: { value: tiles } });
    else if (a * d > MAX_TILES) problems.push({ key: "geometry.tooMany", vars: { value: tiles, max: MAX_TILES } });
    else [across, down] = [a, d];
  }
  const bezelPx = numberIn(params, "bezel", 0, 400, problems) ?? 0;
  const distanceM = numberIn(params, "distance", 0.3, 100, problems);
  const pitchMm = numberIn(params, "pitch", 0.05, 20, problems) ?? DEFAULT_PITCH_MM;
  const given = across * down > 1 || bezelPx > 0 || distanceM !== null;
  return { geometry: given ? { across, down, bezelPx, distanceM, pitchMm } : null, problems };
}

/** The geometry parameters of `params` appended to `href`, so a wall keeps its shape when it navigates. */
export function keepGeometry(href: string, params: URLSearchParams): string {
  const url = new URL(href, "http://wall");
  for (const name of GEOMETRY_PARAMS) {
    const value = params.get(name);
    if (value !== null) url.searchParams.set(name, value);
  }
  return `${url.pathname}${url.search}`;
}

/**
 * The smallest font size (CSS px) whose capitals subtend 16 arc minutes at `distanceM`,
 * the minimum character height of ISO 9241-303 for reading. Capitals are taken as 0.7 of
 * the font size (Latin; CJK glyphs are taller, so they are on the safe side).
 */
export function legibleFontPx(distanceM: number, pitchMm: number, devicePixelRatio: number): number {
  const capitalMm = 2 * distanceM * 1_000 * Math.tan(((16 / 60) * Math.PI) / 180 / 2);
  return capitalMm / 0.7 / (pitchMm * devicePixelRatio);
}

/** The root font size the stylesheet gives a window this size (app/globals.css). */
export function fittedRem(width: number, height: number, devicePixelRatio: number): number {
  return Math.max(devicePixelRatio >= 1.5 ? 8 : 12, Math.min(width / 120, height / 67.5));
}

export interface WallRem {
  rem: number;
  /** The distance asked for more than the wall can give: the rem is capped, and this says so. */
  short: { needPx: number; havePx: number } | null;
}

/**
 * The wall's rem: the fitted one, raised until the smallest text (MIN_TEXT_REM) is legible
 * from the viewing distance. A raised rem shows fewer panels (`tiledWall`), down to one
 * per screen; past that the rem is capped and `short` reports it.
 */
export function wallRem(width: number, height: number, devicePixelRatio: number, geometry: WallGeometry | null): WallRem {
  const fitted = fittedRem(width, height, devicePixelRatio);
  if (!geometry || geometry.distanceM === null) return { rem: fitted, short: null };
  const needRem = legibleFontPx(geometry.distanceM, geometry.pitchMm, devicePixelRatio) / MIN_TEXT_REM;
  // One panel per screen still needs about this much room: the header's groups and a domain panel's KPIs and trend.
  const cap = Math.max(fitted, Math.min(width / geometry.across / 42, height / geometry.down / 34));
  const rem = Math.min(Math.max(fitted, needRem), cap);
  return { rem, short: needRem > cap ? { needPx: Math.ceil(needRem * MIN_TEXT_REM), havePx: Math.floor(rem * MIN_TEXT_REM) } : null };
}

export type WallPanel = Domain | `${Domain}All` | "map" | "districts";

export interface TilePanel {
  panel: WallPanel;
  column: number;
  row: number;
  rowSpan: number;
}

export interface Tile {
  /** Content box in page pixels (the seams' bands and the header excluded). */
  left: number;
  top: number;
  width: number;
  height: number;
  columns: number;
  rows: number;
  panels: TilePanel[];
}

export interface ScreenColumn {
  left: number;
  right: number;
}

export interface TiledWall {
  tiles: Tile[];
  /** Each column of screens' content edges in page pixels, for the header's groups. */
  columns: ScreenColumn[];
}

/** CSS grid columns for a full-width row: a margin, then each screen's content with the seam bands between them. */
export function headerTracks(columns: ScreenColumn[]): string {
  const tracks = columns.flatMap((c, i) => [`${i === 0 ? c.left : c.left - columns[i - 1]!.right}px`, `${c.right - c.left}px`]);
  return [...tracks, "minmax(0, 1fr)"].join(" ");
}

/** Which panels a wall shows when it has room for fewer than all: the four domains and the map first. */
const PRIORITY: WallPanel[] = [...DOMAINS, "map", "districts", ...DOMAINS.map((d) => `${d}All` as const)];
/** Left to right on the wall: each domain beside its full metric set, the map and districts in the middle. */
const COLUMNS: WallPanel[][] = [
  ["traffic", "trafficAll"],
  ["parking", "parkingAll"],
  ["map", "districts"],
  ["health", "healthAll"],
  ["broadband", "broadbandAll"],
];
/** The size of one cell of the designed wall (a 16:9 wall is three by two of them). */
const CELL_REM = { width: 38, height: 30 };

/** Sizes of `n` items split into `parts` runs in order, the larger runs at the ends (the middle, the map, keeps its room). */
export function splitEvenly(n: number, parts: number): number[] {
  const sizes = Array.from({ length: parts }, () => Math.floor(n / parts));
  for (let extra = n % parts, i = 0; extra > 0; extra--, i++) sizes[i % 2 === 0 ? i / 2 : parts - 1 - (i - 1) / 2]! += 1;
  return sizes;
}

/**
 * The panels of each screen, and where each screen's content lies. A tall screen stacks two
 * rows (a domain over its full metric set, the map over the districts); a short one puts
 * its panels side by side.
 */
export function tiledWall(width: number, height: number, rem: number, geometry: WallGeometry): TiledWall {
  const { across, down } = geometry;
  const gap = 0.7 * rem;
  const seam = geometry.bezelPx / 2 + gap / 2;
  const header = 4.2 * rem;
  const tileWidth = width / across;
  const tileHeight = height / down;
  const columns = Array.from({ length: across }, (_, i) => ({
    left: i * tileWidth + (i === 0 ? gap : seam),
    right: (i + 1) * tileWidth - (i === across - 1 ? gap : seam),
  }));
  const rowsOf = Array.from({ length: down }, (_, j) => ({
    top: j * tileHeight + (j === 0 ? header + gap : seam),
    bottom: (j + 1) * tileHeight - (j === down - 1 ? gap : seam),
  }));
  // Every screen has the same room but the top one (the header): size cells by the smallest.
  const contentWidth = Math.min(...columns.map((c) => c.right - c.left)) / rem;
  const contentHeight = Math.min(...rowsOf.map((r) => r.bottom - r.top)) / rem;
  const stacked = contentHeight >= 1.5 * CELL_REM.height;
  const perTile = Math.max(1, Math.round(contentWidth / CELL_REM.width)) * (stacked ? 2 : 1);
  const count = across * down;
  const shown = new Set(PRIORITY.slice(0, Math.min(PRIORITY.length, perTile * count)));
  const inOrder = COLUMNS.flat().filter((p) => shown.has(p));
  // Two by two on tall screens (a domain over its metric set, the map over the districts) while
  // every screen still gets a column; otherwise panel by panel.
  const columnsOfTwo = stacked ? chunk(inOrder, 2) : inOrder.map((p) => [p]);
  const units = columnsOfTwo.length >= count ? columnsOfTwo : inOrder.map((p) => [p]);
  let next = 0;
  const tiles = splitEvenly(units.length, count).map((size, index): Tile => {
    const panels = units.slice(next, (next += size)).flat();
    const column = columns[index % across]!;
    const row = rowsOf[Math.floor(index / across)]!;
    return { left: column.left, top: row.top, width: column.right - column.left, height: row.bottom - row.top, ...arrange(panels, stacked) };
  });
  return { tiles, columns };
}

/** One screen's panels on its grid, column by column; a panel alone in its column is full height. */
function arrange(panels: WallPanel[], stacked: boolean): Pick<Tile, "columns" | "rows" | "panels"> {
  const rows = stacked && panels.length > 1 ? 2 : 1;
  const columns = chunk(panels, rows);
  return {
    columns: columns.length,
    rows,
    panels: columns.flatMap((inColumn, column) => inColumn.map((panel, row) => ({ panel, column: column + 1, row: row + 1, rowSpan: inColumn.length === 1 ? rows : 1 }))),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));
}
