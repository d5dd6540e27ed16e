// Heatmap frames: the binary decoder (see org.neuralgrid.bus.HeatmapFrame), the viridis colour map and the
// canvas renderer shared by the run and compare pages.

const MAGIC = 0x4d48474e; // "NGHM" read as a little-endian u32
const HEADER_V1 = 32;
export const HEADER_BYTES = 48;

/**
 * Decodes a heatmap frame: a little-endian header (48 bytes; 32 in version 1, whose cells are never averaged),
 * then one byte per cell, class-major, then layer, row, column. A frame cell stands for a blockRows x blockCols
 * block of the grid's gridRows x gridCols map. Throws on a malformed frame.
 */
export function decodeFrame(buffer) {
  const buf = buffer instanceof ArrayBuffer ? buffer : buffer.buffer.slice(buffer.byteOffset,
    buffer.byteOffset + buffer.byteLength);
  if (buf.byteLength < HEADER_V1) throw new Error(`heatmap frame of ${buf.byteLength} bytes is too short`);
  const v = new DataView(buf);
  if (v.getUint32(0, true) !== MAGIC) throw new Error('not a heatmap frame (bad magic)');
  const version = v.getUint8(4);
  if (version !== 1 && version !== 2) throw new Error(`unsupported heatmap frame version ${version}`);
  const header = version === 1 ? HEADER_V1 : HEADER_BYTES;
  if (buf.byteLength < header) throw new Error(`heatmap frame of ${buf.byteLength} bytes is too short`);
  const frame = {
    version,
    dims: v.getUint8(5),
    classes: v.getUint16(6, true),
    epoch: v.getUint32(8, true),
    layers: v.getUint32(12, true),
    rows: v.getUint32(16, true),
    cols: v.getUint32(20, true),
    min: v.getFloat32(24, true),
    max: v.getFloat32(28, true),
  };
  frame.gridRows = version === 1 ? frame.rows : v.getUint32(32, true);
  frame.gridCols = version === 1 ? frame.cols : v.getUint32(36, true);
  frame.blockRows = version === 1 ? 1 : v.getUint32(40, true);
  frame.blockCols = version === 1 ? 1 : v.getUint32(44, true);
  const n = frame.classes * frame.layers * frame.rows * frame.cols;
  if (n !== buf.byteLength - header) {
    throw new Error(`heatmap frame says ${n} cells but holds ${buf.byteLength - header}`);
  }
  frame.cells = new Uint8Array(buf, header, n);
  return frame;
}

/** "first" or "first–last" of the grid indices (plus base) that frame index i of a side stands for. */
export function blockSpan(i, block, gridSize, base = 0) {
  const first = i * block;
  const last = Math.min(gridSize, first + block) - 1;
  return last > first ? `${first + base}–${last + base}` : `${first + base}`;
}

/**
 * Whether a frame holds a 3D grid's sheets (layers x rows x cols per class) rather than a 2D grid's one map per
 * class. A frame of one sheet says dims 2, like a 2D map, so the run's grid type decides where it is known.
 */
export function isSheetFrame(frame, gridType) {
  if (gridType === '3d') return true;
  if (gridType === '2d') return false;
  return frame.dims === 3 || frame.layers > 1;
}

/** The value a quantised cell stands for. */
export function cellValue(frame, byte) {
  return frame.min + (byte / 255) * (frame.max - frame.min);
}

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

function buildLut(stops) {
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

/** CSS colour of t in [0, 1] on the colour map. */
export function colourCss(t) {
  const i = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  return `rgb(${VIRIDIS[i]}, ${VIRIDIS[i + 1]}, ${VIRIDIS[i + 2]})`;
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
 * Draws one class's map (one layer of it for 3D frames) at one canvas pixel per cell. options: layer (0-based),
 * sheets (a 3D frame: the canvas gets data-layer), scale ({min, max} shared with other frames), indexMap.
 */
export function drawClass(canvas, frame, cls, options = {}) {
  const layer = Math.max(0, Math.min(options.layer || 0, frame.layers - 1));
  const { rows, cols } = frame;
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  canvas.style.aspectRatio = `${cols} / ${rows}`;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const px = image.data;
  const index = options.indexMap || byteToIndex(frame, options.scale);
  const base = (cls * frame.layers + layer) * rows * cols;
  for (let i = 0; i < rows * cols; i++) {
    const k = index[frame.cells[base + i]] * 3;
    const o = i * 4;
    px[o] = VIRIDIS[k];
    px[o + 1] = VIRIDIS[k + 1];
    px[o + 2] = VIRIDIS[k + 2];
    px[o + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  canvas.dataset.epoch = String(frame.epoch);
  if (options.sheets) canvas.dataset.layer = String(layer);
  else delete canvas.dataset.layer;
}

/** Draws the colour bar (left = min, right = max) into a canvas. */
export function drawColourBar(canvas) {
  canvas.width = 256;
  canvas.height = 1;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(256, 1);
  for (let i = 0; i < 256; i++) {
    image.data.set([VIRIDIS[i * 3], VIRIDIS[i * 3 + 1], VIRIDIS[i * 3 + 2], 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

export function fmtValue(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return x.toFixed(a >= 100 ? 1 : a >= 1 ? 3 : 4);
}

/** A legend: colour bar with min and max under it. Returns {element, set(min, max, note)}. */
export function createLegend(label) {
  const bar = document.createElement('canvas');
  bar.className = 'legend-bar';
  drawColourBar(bar);
  const min = document.createElement('span');
  min.className = 'legend-min';
  const max = document.createElement('span');
  max.className = 'legend-max';
  const note = document.createElement('span');
  note.className = 'legend-note';
  const title = document.createElement('span');
  title.className = 'legend-title';
  title.textContent = label || 'mean activation';
  const wrap = document.createElement('div');
  wrap.className = 'legend';
  const scale = document.createElement('div');
  scale.className = 'legend-scale';
  scale.append(min, bar, max);
  wrap.append(title, scale, note);
  return {
    element: wrap,
    set(lo, hi, text) {
      min.textContent = Number.isFinite(lo) ? fmtValue(lo) : '–';
      max.textContent = Number.isFinite(hi) ? fmtValue(hi) : '–';
      min.dataset.value = String(lo);
      max.dataset.value = String(hi);
      note.textContent = text || '';
    },
  };
}

/**
 * A set of per-class heatmap tiles (canvas + label), with a hover read-out of the cell under the pointer.
 * container: the element to fill; classNames: labels; options.idPrefix for canvas ids.
 */
export class HeatmapSet {
  constructor(container, classNames, options = {}) {
    this.container = container;
    this.classNames = classNames;
    this.frame = null;
    this.drawOptions = {};
    this.canvases = [];
    this.readout = options.readout || null;
    container.textContent = '';
    classNames.forEach((name, c) => {
      const canvas = document.createElement('canvas');
      canvas.className = 'heatmap';
      canvas.dataset.class = String(c);
      canvas.width = 1;
      canvas.height = 1;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `mean activation map of class ${name}`);
      if (options.idPrefix) canvas.id = `${options.idPrefix}${c}`;
      const label = document.createElement('figcaption');
      label.className = 'heatmap-label';
      label.textContent = name;
      label.title = `class ${c}: ${name}`;
      const fig = document.createElement('figure');
      fig.className = 'heatmap-tile';
      fig.dataset.class = String(c);
      fig.append(canvas, label);
      container.append(fig);
      this.canvases.push(canvas);
      canvas.addEventListener('mousemove', e => this.hover(e, c));
      canvas.addEventListener('mouseleave', () => this.hover(null, c));
    });
  }

  draw(frame, options = {}) {
    this.frame = frame;
    this.drawOptions = options;
    const indexMap = byteToIndex(frame, options.scale);
    const n = Math.min(frame.classes, this.canvases.length);
    for (let c = 0; c < n; c++) drawClass(this.canvases[c], frame, c, { ...options, indexMap });
  }

  hover(event, cls) {
    if (!this.readout) return;
    const f = this.frame;
    if (!event || !f) {
      this.readout.textContent = '';
      return;
    }
    const canvas = event.currentTarget;
    const rect = canvas.getBoundingClientRect();
    // the canvas is drawn with object-fit: contain, so the image may be letterboxed inside the box
    const s = Math.min(rect.width / f.cols, rect.height / f.rows);
    const x0 = (rect.width - s * f.cols) / 2, y0 = (rect.height - s * f.rows) / 2;
    const col = Math.floor((event.clientX - rect.left - x0) / s);
    const row = Math.floor((event.clientY - rect.top - y0) / s);
    if (col < 0 || row < 0 || col >= f.cols || row >= f.rows) {
      this.readout.textContent = '';
      return;
    }
    const layer = Math.max(0, Math.min(this.drawOptions.layer || 0, f.layers - 1));
    const b = f.cells[((cls * f.layers + layer) * f.rows + row) * f.cols + col];
    this.readout.textContent = this.drawOptions.sheets
      ? `${this.classNames[cls]} · layer ${layer + 1} of ${f.layers}, row ${row}, column ${col} · `
        + `${fmtValue(cellValue(f, b))}`
      : this.flatReadout(f, cls, row, col, b);
  }

  /** A 2D map's cell under the pointer; where the frame averages blocks of cells, the block's cells and layers. */
  flatReadout(f, cls, row, col, b) {
    const value = fmtValue(cellValue(f, b));
    if (f.blockRows === 1 && f.blockCols === 1) {
      return `${this.classNames[cls]} · cell ${row} of layer ${col + 1} · ${value}`;
    }
    const cells = blockSpan(row, f.blockRows, f.gridRows);
    const layers = blockSpan(col, f.blockCols, f.gridCols, 1);
    const of = layers.includes('–') ? 'layers' : 'layer';
    return `${this.classNames[cls]} · cells ${cells} of ${of} ${layers} (mean of the block) · ${value}`;
  }
}

/** Canvas pixels between two sheets of a filmstrip (left transparent). */
const STRIP_GAP = 2;

/**
 * A 3D frame as filmstrips: per class one row, all of its sheets side by side (layer 1 on the left), at a whole
 * number of screen pixels per cell; the rows scroll together under a ruler of layer numbers when they do not
 * fit. The current layer is outlined; a click on a sheet calls options.onPick(layer).
 */
export class Filmstrip {
  constructor(container, classNames, options = {}) {
    this.container = container;
    this.classNames = classNames;
    this.readout = options.readout || null;
    this.onPick = options.onPick || null;
    this.frame = null;
    this.layer = 0;
    this.pixel = 2;
    container.textContent = '';
    container.classList.add('filmstrip');
    this.ruler = document.createElement('div');
    this.ruler.className = 'filmstrip-ruler';
    const corner = document.createElement('span');
    corner.className = 'filmstrip-label filmstrip-corner';
    corner.textContent = 'layer';
    this.ticks = document.createElement('div');
    this.ticks.className = 'filmstrip-ticks';
    this.ruler.append(corner, this.ticks);
    container.append(this.ruler);
    this.rows = classNames.map((name, c) => {
      const canvas = document.createElement('canvas');
      canvas.className = 'heatmap-strip';
      canvas.dataset.class = String(c);
      canvas.width = 1;
      canvas.height = 1;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `mean activation of class ${name}, every layer`);
      const mark = document.createElement('div');
      mark.className = 'filmstrip-mark';
      const track = document.createElement('div');
      track.className = 'filmstrip-track';
      track.append(canvas, mark);
      const label = document.createElement('span');
      label.className = 'filmstrip-label';
      label.textContent = name;
      label.title = `class ${c}: ${name}`;
      const row = document.createElement('div');
      row.className = 'filmstrip-row';
      row.dataset.class = String(c);
      row.append(label, track);
      container.append(row);
      canvas.addEventListener('mousemove', e => this.hover(e, c));
      canvas.addEventListener('mouseleave', () => this.hover(null, c));
      canvas.addEventListener('click', e => {
        const at = this.at(e);
        if (at && this.onPick) this.onPick(at.layer);
      });
      return { canvas, mark };
    });
  }

  /** Screen pixels per cell: 2 where that fits the width, else 1 (and the rows scroll when even that is too wide). */
  fitPixel(frame) {
    const label = this.ruler.firstElementChild.getBoundingClientRect().width || 110;
    const room = this.container.clientWidth - label - 16;
    const perPixel = frame.layers * (frame.cols + STRIP_GAP) - STRIP_GAP;
    return room >= 2 * perPixel ? 2 : 1;
  }

  draw(frame, options = {}) {
    this.frame = frame;
    const { rows, cols, layers } = frame;
    const width = layers * (cols + STRIP_GAP) - STRIP_GAP;
    const changed = !this.shape || this.shape.layers !== layers || this.shape.rows !== rows
      || this.shape.cols !== cols;
    this.pixel = this.fitPixel(frame);
    const indexMap = byteToIndex(frame, options.scale);
    const n = Math.min(frame.classes, this.rows.length);
    for (let c = 0; c < n; c++) {
      const { canvas } = this.rows[c];
      if (canvas.width !== width) canvas.width = width;
      if (canvas.height !== rows) canvas.height = rows;
      canvas.style.width = `${width * this.pixel}px`;
      canvas.style.height = `${rows * this.pixel}px`;
      const ctx = canvas.getContext('2d');
      const image = ctx.createImageData(width, rows);
      const px = image.data;
      for (let l = 0; l < layers; l++) {
        const base = (c * layers + l) * rows * cols;
        const x0 = l * (cols + STRIP_GAP);
        for (let r = 0; r < rows; r++) {
          for (let x = 0; x < cols; x++) {
            const k = indexMap[frame.cells[base + r * cols + x]] * 3;
            const o = (r * width + x0 + x) * 4;
            px[o] = VIRIDIS[k];
            px[o + 1] = VIRIDIS[k + 1];
            px[o + 2] = VIRIDIS[k + 2];
            px[o + 3] = 255;
          }
        }
      }
      ctx.putImageData(image, 0, 0);
      canvas.dataset.epoch = String(frame.epoch);
      canvas.dataset.layers = String(layers);
    }
    if (changed || this.shape.pixel !== this.pixel) this.drawRuler(frame);
    this.shape = { layers, rows, cols, pixel: this.pixel };
    this.setLayer(options.layer ?? this.layer);
  }

  /** Layer numbers over the strips: every layer when there is room, else every 2nd, 5th, 10th, ... */
  drawRuler(frame) {
    const step = (frame.cols + STRIP_GAP) * this.pixel;
    const every = [1, 2, 5, 10, 20, 50, 100, 200, 500].find(k => k * step >= 36) || 1000;
    this.ticks.textContent = '';
    this.ticks.style.width = `${(frame.layers * (frame.cols + STRIP_GAP) - STRIP_GAP) * this.pixel}px`;
    for (let l = 0; l < frame.layers; l++) {
      if (l !== 0 && (l + 1) % every !== 0) continue;
      const tick = document.createElement('span');
      tick.className = 'filmstrip-tick';
      tick.style.left = `${l * step}px`;
      tick.style.width = `${frame.cols * this.pixel}px`;
      tick.textContent = String(l + 1);
      this.ticks.append(tick);
    }
  }

  /** Outlines one layer in every row and scrolls it into view. */
  setLayer(layer) {
    const f = this.frame;
    this.layer = layer;
    if (!f) return;
    const l = Math.max(0, Math.min(layer, f.layers - 1));
    const step = (f.cols + STRIP_GAP) * this.pixel;
    for (const { mark } of this.rows) {
      mark.style.left = `${l * step}px`;
      mark.style.width = `${f.cols * this.pixel}px`;
      mark.style.height = `${f.rows * this.pixel}px`;
    }
    this.container.dataset.layer = String(l);
    const label = this.ruler.firstElementChild.getBoundingClientRect().width || 0;
    const left = label + l * step;
    const view = this.container;
    if (left < view.scrollLeft + label || left + step > view.scrollLeft + view.clientWidth) {
      view.scrollLeft = Math.max(0, left - label - (view.clientWidth - label) / 2);
    }
  }

  /** The layer, row and column under a pointer event, or null between sheets. */
  at(event) {
    const f = this.frame;
    if (!f) return null;
    const rect = event.currentTarget.getBoundingClientRect();
    const s = rect.height / f.rows;
    const x = Math.floor((event.clientX - rect.left) / s);
    const row = Math.floor((event.clientY - rect.top) / s);
    const layer = Math.floor(x / (f.cols + STRIP_GAP));
    const col = x - layer * (f.cols + STRIP_GAP);
    if (layer < 0 || layer >= f.layers || col >= f.cols || row < 0 || row >= f.rows) return null;
    return { layer, row, col };
  }

  hover(event, cls) {
    if (!this.readout) return;
    const at = event ? this.at(event) : null;
    if (!at) {
      this.readout.textContent = '';
      return;
    }
    const f = this.frame;
    const b = f.cells[((cls * f.layers + at.layer) * f.rows + at.row) * f.cols + at.col];
    this.readout.textContent = `${this.classNames[cls]} · layer ${at.layer + 1} of ${f.layers}, row ${at.row}, `
      + `column ${at.col} · ${fmtValue(cellValue(f, b))} · click to show this layer`;
  }
}

/** Fetches and caches heatmap frames of one run by epoch; concurrent requests for an epoch share one fetch. */
export class FrameCache {
  constructor(runId) {
    this.runId = runId;
    this.frames = new Map();
    this.pending = new Map();
  }

  has(epoch) {
    return this.frames.has(epoch);
  }

  put(frame) {
    this.frames.set(frame.epoch, frame);
  }

  get(epoch) {
    if (this.frames.has(epoch)) return Promise.resolve(this.frames.get(epoch));
    if (this.pending.has(epoch)) return this.pending.get(epoch);
    const p = fetch(`/api/runs/${encodeURIComponent(this.runId)}/heatmaps/${epoch}`, { credentials: 'same-origin' })
      .then(async res => {
        if (!res.ok) throw new Error(`heatmap of epoch ${epoch}: HTTP ${res.status}`);
        const frame = decodeFrame(await res.arrayBuffer());
        this.frames.set(epoch, frame);
        return frame;
      })
      .finally(() => this.pending.delete(epoch));
    this.pending.set(epoch, p);
    return p;
  }
}
