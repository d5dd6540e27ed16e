// The colour maps of the heatmaps (viridis, and a blue-white-red map centred at zero), the mapping of a frame's
// bytes onto them under a shared or symmetric scale, and how a value is written beside them. Pure: no DOM.
import { cellValue } from './frame.js';

// viridis (matplotlib, van der Walt & Smith, CC0): its 256-entry table sampled at 33 evenly spaced stops and
// interpolated back to 256 entries (within 2/255 of the original everywhere).
const VIRIDIS_STOPS = [
  [68, 1, 84], [71, 13, 96], [72, 24, 106], [72, 35, 116], [71, 45, 123], [69, 54, 129], [66, 64, 134],
  [63, 73, 137], [59, 82, 139], [55, 90, 141], [51, 99, 141], [47, 106, 142], [44, 114, 142], [41, 122, 142],
  [38, 129, 142], [35, 137, 142], [33, 144, 140], [31, 152, 139], [31, 159, 136], [33, 166, 133],
  [40, 174, 128], [49, 181, 123], [62, 188, 116], [76, 194, 108], [93, 201, 99], [110, 206, 88],
  [130, 211, 76], [150, 216, 63], [171, 220, 50], [192, 223, 36], [213, 226, 26], [234, 229, 26],
  [253, 231, 37],
];

/** A 256-entry RGB table (r, g, b per entry) interpolated linearly between evenly spaced stops. */
export function buildLut(stops) {
  const lut = new Uint8ClampedArray(256 * 3);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const x = (i / 255) * segments;
    const j = Math.min(segments - 1, Math.floor(x));
    const f = x - j;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(stops[j][c] + (stops[j + 1][c] - stops[j][c]) * f);
  }
  return lut;
}

export const VIRIDIS = buildLut(VIRIDIS_STOPS);

// RdBu_r (ColorBrewer's RdBu, reversed, as matplotlib names it) with a pure white centre: from white out to the
// darkest blue (negative side) and to the darkest red (positive side). Every channel is monotone on each side.
const BLUES = [[255, 255, 255], [209, 229, 240], [146, 197, 222], [67, 147, 195], [33, 102, 172], [5, 48, 97]];
const REDS = [[255, 255, 255], [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31]];

/** The entry of the diverging map that is white: values of 0 land on it. */
export const DIVERGING_CENTRE = 128;

/**
 * A 256-entry diverging table: entries 0..127 the negative side (0 the darkest), 128 white, 129..255 the positive
 * side (255 the darkest). Each side runs from white outwards through its stops.
 */
export function buildDivergingLut(negative, positive) {
  const lut = new Uint8ClampedArray(256 * 3);
  const side = (stops, s, i) => {
    const x = s * (stops.length - 1);
    const j = Math.min(stops.length - 2, Math.floor(x));
    const f = x - j;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(stops[j][c] + (stops[j + 1][c] - stops[j][c]) * f);
  };
  for (let i = 0; i < 256; i++) {
    if (i < DIVERGING_CENTRE) side(negative, (DIVERGING_CENTRE - i) / DIVERGING_CENTRE, i);
    else side(positive, (i - DIVERGING_CENTRE) / (255 - DIVERGING_CENTRE), i);
  }
  return lut;
}

export const DIVERGING = buildDivergingLut(BLUES, REDS);

/**
 * The colour maps a heatmap is drawn with, by the id the pages' control uses. A centred map shows a range
 * symmetric about 0 with 0 at its centre colour.
 */
export const COLOUR_MAPS = Object.freeze({
  diverging: Object.freeze({ id: 'diverging', label: 'blue–white–red', lut: DIVERGING, centred: true }),
  viridis: Object.freeze({ id: 'viridis', label: 'viridis', lut: VIRIDIS, centred: false }),
});

/** The colour map of an id; viridis for an unknown one. */
export function colourMap(id) {
  return Object.prototype.hasOwnProperty.call(COLOUR_MAPS, id) ? COLOUR_MAPS[id] : COLOUR_MAPS.viridis;
}

/** Activations that are odd functions through 0 (their maps are signed): shown on the diverging map. */
const SIGNED_ACTIVATIONS = new Set(['sin', 'tanh']);

/**
 * The colour map a page starts with for runs of these activations: diverging when there is at least one and every
 * one is sin or tanh, else viridis (relu, gelu and identity maps are mostly of one sign, or unbounded).
 */
export function defaultColourMap(activations) {
  const list = [...activations];
  return list.length > 0 && list.every(a => SIGNED_ACTIVATIONS.has(a)) ? 'diverging' : 'viridis';
}

/** The range a colour map spans for values from min to max: as they are, or ±max(|min|, |max|) for a centred map. */
export function shownRange(map, min, max) {
  if (!map.centred) return { min, max };
  const limit = symmetricLimit(min, max);
  return { min: -limit, max: limit };
}

/** max(|min|, |max|) over the finite ends; 0 when neither is. */
export function symmetricLimit(min, max) {
  return Math.max(...[min, max].filter(Number.isFinite).map(Math.abs), 0);
}

/**
 * For each byte 0..255 of a frame, the colour-map index under a scale: the frame's own min/max (identity) or
 * an explicit {min, max} shared with other frames.
 */
export function byteToIndex(frame, scale) {
  const map = new Uint8Array(256);
  if (!scale || (scale.min === frame.min && scale.max === frame.max)) {
    for (let b = 0; b < 256; b++) map[b] = b;
    return map;
  }
  const span = scale.max - scale.min;
  for (let b = 0; b < 256; b++) {
    const value = cellValue(frame, b);
    const t = span > 0 ? (value - scale.min) / span : 0;
    map[b] = Math.max(0, Math.min(255, Math.round(t * 255)));
  }
  return map;
}

/**
 * For each byte 0..255 of a frame, the diverging map's index under the scale -limit..limit: 0 lands on white
 * (DIVERGING_CENTRE), -limit on entry 0, +limit on entry 255, beyond the limit on the ends. A limit of 0 (or none)
 * makes every cell white.
 */
export function symmetricByteToIndex(frame, limit) {
  const map = new Uint8Array(256);
  const c = DIVERGING_CENTRE;
  for (let b = 0; b < 256; b++) {
    const v = cellValue(frame, b);
    const t = limit > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / limit)) : 0;
    map[b] = t < 0 ? c - Math.round(-t * c) : c + Math.round(t * (255 - c));
  }
  return map;
}

/**
 * The byte-to-index table of a frame under a colour map. range: {min, max} shared with other frames, or null
 * for the frame's own; a centred map spans ±max(|min|, |max|) of it.
 */
export function indexMapFor(frame, map, range = null) {
  if (!map.centred) return byteToIndex(frame, range);
  const r = range || frame;
  return symmetricByteToIndex(frame, symmetricLimit(r.min, r.max));
}

/** Writes the pixel of entry k of a colour table (viridis unless given) at byte offset o of RGBA image data. */
export function putColour(px, o, k, lut = VIRIDIS) {
  const i = k * 3;
  px[o] = lut[i];
  px[o + 1] = lut[i + 1];
  px[o + 2] = lut[i + 2];
  px[o + 3] = 255;
}

/** A heatmap value as the legend and the read-outs write it: 4 significant figures or so, exponents at the ends. */
export function fmtValue(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return x.toFixed(a >= 100 ? 1 : a >= 1 ? 3 : 4);
}
