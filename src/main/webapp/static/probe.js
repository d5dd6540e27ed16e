// The probe panel's pure parts: a probe answer's flat arrays as maps the heatmap drawing takes (quantised frames),
// the symmetric range of a saliency map, what the answer says about the parameters and the image, and the names of
// the exported files. Pure: no DOM, no network.
import { buildLut } from './colours.js';

/** Pixels on a side of the images the models read (Fashion-MNIST's 28x28). */
export const IMAGE_SIDE = 28;
export const IMAGE_SIZE = IMAGE_SIDE * IMAGE_SIDE;

/** Grey from black (0) to white (1): the images as the model reads them (a colour map as heatmap.js takes it). */
export const GREY = Object.freeze({ id: 'grey', label: 'grey', lut: buildLut([[0, 0, 0], [255, 255, 255]]),
  centred: false });

/** The parameters a probe may use, in the order the selector shows them. */
export const WHICH = Object.freeze(['live', 'final', 'best']);

/** The smallest and largest finite value of an array ({min: 0, max: 0} when there is none). */
export function finiteRange(values) {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * The range a signed map (a saliency) is shown on: symmetric about 0, out to the largest |value|, so that 0 is the
 * diverging scale's white and a sign is never exaggerated by a lopsided range. {min: 0, max: 0} when all are 0.
 */
export function symmetricRange(values) {
  const { min, max } = finiteRange(values);
  const limit = Math.max(Math.abs(min), Math.abs(max));
  return { min: -limit, max: limit };
}

/**
 * Values as a one-map heatmap frame (the shape frame.js decodes, so that heatmap.js draws it): one byte per cell
 * over range (the values' own range unless given); layers sheets of rows x cols, sheet-major. Non-finite values
 * land on the low end.
 */
export function quantise(values, { layers = 1, rows, cols, range = null, kind = 'probe', epoch = 0 }) {
  const n = layers * rows * cols;
  if (values.length !== n) {
    throw new Error(`a map of ${layers}x${rows}x${cols} cells needs ${n} values, got ${values.length}`);
  }
  const { min, max } = range || finiteRange(values);
  const span = max - min;
  const cells = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const t = span > 0 && Number.isFinite(v) ? (v - min) / span : 0;
    cells[i] = Math.max(0, Math.min(255, Math.round(t * 255)));
  }
  return {
    version: 0, kind, dims: layers > 1 ? 3 : 2, classes: 1, epoch, layers, rows, cols, min, max,
    gridRows: rows, gridCols: cols, blockRows: 1, blockCols: 1, cells,
  };
}

/**
 * The grid of an answer ({sheets, layers, rows, cols}) checked against its cell arrays: 2D grids are one map of
 * rows = H cells by cols = W layers (value [p*W + l]); 3D grids layers sheets of rows x cols (value
 * [(l*rows + r)*cols + c]). Both are the frames' own layout, so the arrays need no reordering. Throws when the
 * numbers do not agree.
 */
export function gridOf(answer) {
  const g = (answer && answer.grid) || {};
  const sheets = g.sheets === true;
  const layers = sheets ? Math.max(1, g.layers | 0) : 1;
  const rows = g.rows | 0, cols = g.cols | 0;
  const n = layers * rows * cols;
  for (const key of ['activations', 'cellSaliency']) {
    const a = answer[key];
    if (!Array.isArray(a) || a.length !== n) {
      throw new Error(`the answer's ${key} hold ${Array.isArray(a) ? a.length : 'no'} values, `
        + `its grid ${layers}x${rows}x${cols} = ${n}`);
    }
  }
  return { sheets, layers, rows, cols };
}

/**
 * An answer's maps as frames: the image as the model sees it (0..1, grey), the activations (their own range),
 * the cell and pixel saliencies (each on its symmetric range), and the grid.
 */
export function answerMaps(answer) {
  const grid = gridOf(answer);
  const side = { rows: IMAGE_SIDE, cols: IMAGE_SIDE };
  return {
    grid,
    image: quantise(answer.pixels, { ...side, range: { min: 0, max: 1 }, kind: 'image' }),
    activations: quantise(answer.activations, { ...grid, kind: 'activations' }),
    cellSaliency: quantise(answer.cellSaliency, { ...grid, range: symmetricRange(answer.cellSaliency),
      kind: 'saliency' }),
    pixelSaliency: quantise(answer.pixelSaliency, { ...side, range: symmetricRange(answer.pixelSaliency),
      kind: 'saliency' }),
  };
}

/** The parameters an answer used, in words: "live, epoch 3, step 120", "final weights, epoch 20", ... */
export function parameterLabel(answer) {
  if (!answer) return '';
  const epoch = Number.isInteger(answer.epoch) ? `, epoch ${answer.epoch}` : '';
  if (answer.which === 'live') {
    const step = Number.isInteger(answer.batch) ? `, step ${answer.batch}` : '';
    return `live${epoch}${step}`;
  }
  return `${answer.which || 'saved'} weights${epoch}`;
}

/** The label of an image of the run's test set: "test image #123 (Trouser)". */
export function testImageLabel(index, label, classNames) {
  const name = Number.isInteger(label) ? ` (${classNames[label] ?? `class ${label}`})` : '';
  return `test image #${index}${name}`;
}

/**
 * Where the image came from, in words: a test image, a drawing, or a file (its size, and whether its brightness was
 * inverted to be light on dark as the training images are).
 */
export function sourceLabel(source, answer, classNames) {
  if (!source) return '';
  if (source.kind === 'test') return testImageLabel(source.index, answer ? answer.label : source.label, classNames);
  if (source.kind === 'drawn') return 'drawn';
  const size = answer && answer.source ? ` (${answer.source.width}×${answer.source.height}` : '';
  const inverted = answer && answer.inverted ? ', inverted' : '';
  return `file ${source.name || ''}${size}${size ? `${inverted})` : ''}`.trim();
}

/** The file name part of a source: test123, drawn, or the file's name without extension, made safe. */
export function sourceSlug(source) {
  if (!source) return 'image';
  if (source.kind === 'test') return `test${source.index}`;
  if (source.kind === 'drawn') return 'drawn';
  const base = String(source.name || 'file').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '').slice(0, 40);
  return `file-${base || 'picture'}`;
}

/** The name of an exported probe: run id, image source and traced class; ext 'png' or 'json'. */
export function probeFileName(runId, source, cls, ext) {
  return `neuralgrid-${runId}-probe-${sourceSlug(source)}-class${cls}.${ext}`;
}

/**
 * The JSON body of a probe of a test image or of pixels: class (the traced class) and which only when chosen.
 */
export function probeBody(source, { cls = null, which = null } = {}) {
  const body = source.kind === 'test' ? { testIndex: source.index } : { pixels: Array.from(source.pixels) };
  if (Number.isInteger(cls)) body.class = cls;
  if (which) body.which = which;
  return body;
}

/** The query of a picture's probe: ?class=&which= where chosen ('' when neither is). */
export function pictureQuery({ cls = null, which = null } = {}) {
  const q = new URLSearchParams();
  if (Number.isInteger(cls)) q.set('class', String(cls));
  if (which) q.set('which', which);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The page of thumbnails: {from, count, shown: "25–48 of 1,000", hasPrevious, hasNext}. total may be unknown
 * (null) before the first answer.
 */
export function thumbnailPage(from, pageSize, total) {
  const f = Math.max(0, from | 0);
  const known = Number.isInteger(total);
  const last = known ? Math.min(total, f + pageSize) : f + pageSize;
  const shown = !known ? '' : total === 0 ? 'none' : `${f + 1}–${last} of ${total.toLocaleString('en-US')}`;
  return { from: f, count: pageSize, shown, hasPrevious: f > 0, hasNext: known && last < total };
}

/** Which parameters can be asked for: live while the run trains, final and best once written. */
export function availableWhich(run, active) {
  const w = (run && run.weights) || {};
  return { live: active === true, final: w.final === true, best: w.best === true };
}
