// The viridis colour map, the mapping of a frame's bytes onto it under a shared scale, and how a value is
// written beside it. Pure: no DOM.
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

/** Writes the pixel of colour-map index k at byte offset o of RGBA image data. */
export function putColour(px, o, k) {
  const i = k * 3;
  px[o] = VIRIDIS[i];
  px[o + 1] = VIRIDIS[i + 1];
  px[o + 2] = VIRIDIS[i + 2];
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
