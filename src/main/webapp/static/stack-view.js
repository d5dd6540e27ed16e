// A 3D frame's sheets of one class as a stack in space: the cells strong enough to show, turned and projected onto
// a canvas (orthographic), farthest first. Pure: no DOM, so that the geometry is testable on its own.
import { cellValue } from './frame.js';
import { COLOUR_MAPS, indexMapFor, symmetricLimit } from './colours.js';

/** The turn the view opens with: deeper layers to the right and up, so that the stack reads input → output. */
export const DEFAULT_ROTATION = Object.freeze({ yaw: 35, pitch: 20 });

/** The share of the largest |value| the threshold starts at: the strong cells stand out, the rest stay out. */
export const DEFAULT_THRESHOLD_SHARE = 0.4;

/** Pitch stops at straight above or below: past that the picture would turn upside down. */
export const MAX_PITCH = 90;

const RAD = Math.PI / 180;

/** The largest |value| a frame's cells stand for (all classes and layers): the threshold slider's end. */
export function thresholdLimit(frame) {
  return symmetricLimit(frame.min, frame.max);
}

/**
 * For each byte 0..255 of a frame, whether its value is strictly above the threshold in magnitude. One table per
 * frame and threshold, so that a frame of many sheets is filtered without a value per cell.
 */
export function strongBytes(frame, threshold) {
  const strong = new Uint8Array(256);
  for (let b = 0; b < 256; b++) strong[b] = Math.abs(cellValue(frame, b)) > threshold ? 1 : 0;
  return strong;
}

/**
 * Space between two sheets, in cells: the stack about as deep as a sheet is wide, but the sheets never closer than
 * one cell (they would merge) nor farther than eight (a few sheets would fly apart).
 */
export function layerSpacing(frame) {
  const side = Math.max(frame.rows, frame.cols);
  return Math.max(1, Math.min(8, side / Math.max(1, frame.layers - 1)));
}

/** Keeps a rotation within range: yaw wraps to -180..180, pitch stops at ±MAX_PITCH. Degrees. */
export function normaliseRotation({ yaw = 0, pitch = 0 } = {}) {
  const y = ((((yaw + 180) % 360) + 360) % 360) - 180;
  return { yaw: y, pitch: Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pitch)) };
}

/**
 * A turn in space: yaw about the vertical axis (90° carries depth onto x), then pitch about the horizontal axis
 * (positive lifts the far side). Returns (x, y, z) -> [x, y, depth], depth growing away from the viewer; y grows
 * downwards, as on screen.
 */
export function rotator({ yaw = 0, pitch = 0 } = {}) {
  // cos(90°) is 6e-17, not 0: snapped, so that right angles give exact positions
  const snap = v => (Math.abs(v) < 1e-12 ? 0 : v);
  const [cY, sY, cP, sP] = [Math.cos(yaw * RAD), Math.sin(yaw * RAD), Math.cos(pitch * RAD), Math.sin(pitch * RAD)]
    .map(snap);
  return (x, y, z) => {
    const x1 = x * cY + z * sY;
    const z1 = -x * sY + z * cY;
    return [x1, y * cP - z1 * sP, y * sP + z1 * cP];
  };
}

/**
 * Where the stack sits on a canvas: the centre of the canvas, and the pixels per cell that keep the whole stack
 * inside it however it is turned (its bounding sphere fits), so that turning it never zooms. view: width, height,
 * and optionally scale and spacing to override.
 */
export function layout(frame, view = {}) {
  const width = view.width || 480;
  const height = view.height || 360;
  const spacing = view.spacing || layerSpacing(frame);
  const depth = (frame.layers - 1) * spacing;
  const radius = Math.max(0.5, Math.hypot(frame.cols, frame.rows, depth) / 2);
  const scale = view.scale || (0.94 * Math.min(width, height)) / (2 * radius);
  return { width, height, spacing, scale, cx: width / 2, cy: height / 2 };
}

/** A cell's place in space, the stack centred on the origin: column → x, row → y (down), layer → depth (0 nearest). */
function place(frame, spacing, layer, row, col) {
  return [col - (frame.cols - 1) / 2, row - (frame.rows - 1) / 2, (layer - (frame.layers - 1) / 2) * spacing];
}

/**
 * The cells of class cls whose |value| is above threshold, projected: each {x, y, depth, layer, row, col, value,
 * index}, x and y in canvas pixels, index the colour-map entry (view.colours, viridis unless given, over
 * view.range: the {min, max} the tiles take as their scale, or none for the frame's own range). Sorted farthest
 * first, so that drawing them in order paints the near ones over the far ones. rotation: {yaw, pitch} in degrees;
 * view: as layout's (whose scale is pixels per cell), plus colours and range.
 * Returns {points, scale, size} with size the side of a cell's square in pixels.
 */
export function projectStack(frame, cls, threshold, rotation = DEFAULT_ROTATION, view = {}) {
  const at = layout(frame, view);
  const turn = rotator(rotation);
  const strong = strongBytes(frame, threshold);
  const index = indexMapFor(frame, view.colours || COLOUR_MAPS.viridis, view.range || null);
  const { layers, rows, cols, cells } = frame;
  const points = [];
  for (let l = 0; l < layers; l++) {
    const base = (cls * layers + l) * rows * cols;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const b = cells[base + r * cols + c];
        if (!strong[b]) continue;
        const [x, y, depth] = turn(...place(frame, at.spacing, l, r, c));
        points.push({ x: at.cx + x * at.scale, y: at.cy + y * at.scale, depth, layer: l, row: r, col: c,
          value: cellValue(frame, b), index: index[b] });
      }
    }
  }
  // ties keep the order of the cells (the sort is stable), so that a picture does not flicker between draws
  points.sort((a, b) => b.depth - a.depth);
  return { points, scale: at.scale, size: Math.max(1, at.scale * 0.9) };
}

/**
 * The outline of each sheet (its four corners, projected) and the depth of its centre: drawn faintly behind the
 * points, they show where the sheets are, empty ones included. Each {layer, corners: [[x, y] x 4], depth}.
 */
export function sheetOutlines(frame, rotation = DEFAULT_ROTATION, view = {}) {
  const at = layout(frame, view);
  const turn = rotator(rotation);
  const hx = frame.cols / 2, hy = frame.rows / 2;
  const outlines = [];
  for (let l = 0; l < frame.layers; l++) {
    const z = (l - (frame.layers - 1) / 2) * at.spacing;
    const corners = [[-hx, -hy], [hx, -hy], [hx, hy], [-hx, hy]].map(([x, y]) => {
      const [px, py] = turn(x, y, z);
      return [at.cx + px * at.scale, at.cy + py * at.scale];
    });
    outlines.push({ layer: l, corners, depth: turn(0, 0, z)[2] });
  }
  return outlines;
}
