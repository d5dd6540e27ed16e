// The per-class heatmap tiles and the colour legend, drawn on canvases (the run and compare pages share them).
import { blockSpan, cellByte, cellValue } from './frame.js';
import { COLOUR_MAPS, fmtValue, indexMapFor, putColour, shownRange } from './colours.js';

/**
 * Draws one class's map (one layer of it for 3D frames) at one canvas pixel per cell. options: layer (0-based),
 * sheets (a 3D frame: the canvas gets data-layer), colours (a colour map of COLOUR_MAPS; viridis unless given),
 * scale ({min, max} shared with other frames), indexMap (the byte-to-index table, when the caller has it).
 */
export function drawClass(canvas, frame, cls, options = {}) {
  const layer = Math.max(0, Math.min(options.layer || 0, frame.layers - 1));
  const { rows, cols } = frame;
  if (canvas.width !== cols) canvas.width = cols;
  if (canvas.height !== rows) canvas.height = rows;
  canvas.style.aspectRatio = `${cols} / ${rows}`;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  const colours = options.colours || COLOUR_MAPS.viridis;
  const index = options.indexMap || indexMapFor(frame, colours, options.scale);
  const base = (cls * frame.layers + layer) * rows * cols;
  for (let i = 0; i < rows * cols; i++) putColour(image.data, i * 4, index[frame.cells[base + i]], colours.lut);
  ctx.putImageData(image, 0, 0);
  canvas.dataset.epoch = String(frame.epoch);
  canvas.dataset.kind = frame.kind || 'mean';
  canvas.dataset.colours = colours.id;
  if (options.sheets) canvas.dataset.layer = String(layer);
  else delete canvas.dataset.layer;
}

/** Draws a colour map's bar (left = min, right = max) into a canvas. */
export function drawColourBar(canvas, colours = COLOUR_MAPS.viridis) {
  canvas.width = 256;
  canvas.height = 1;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(256, 1);
  for (let i = 0; i < 256; i++) putColour(image.data, i * 4, i, colours.lut);
  ctx.putImageData(image, 0, 0);
  canvas.dataset.colours = colours.id;
}

function span(className, text) {
  const node = document.createElement('span');
  node.className = className;
  if (text) node.textContent = text;
  return node;
}

/**
 * A legend: colour bar with the ends of its scale beside it. Returns {element, set(min, max, note, colours)}: min and
 * max are the data's (a centred map shows ±max(|min|, |max|) and says that white is 0).
 */
export function createLegend(label) {
  const bar = document.createElement('canvas');
  bar.className = 'legend-bar';
  drawColourBar(bar);
  bar.setAttribute('role', 'img');
  const min = span('legend-min');
  const max = span('legend-max');
  const note = span('legend-note');
  const wrap = document.createElement('div');
  wrap.className = 'legend';
  const scale = document.createElement('div');
  scale.className = 'legend-scale';
  scale.append(min, bar, max);
  wrap.append(span('legend-title', label || 'mean activation'), scale, note);
  return {
    element: wrap,
    set(lo, hi, text, colours = COLOUR_MAPS.viridis) {
      if (bar.dataset.colours !== colours.id) drawColourBar(bar, colours);
      const shown = shownRange(colours, lo, hi);
      min.textContent = Number.isFinite(shown.min) ? fmtValue(shown.min) : '–';
      max.textContent = Number.isFinite(shown.max) ? fmtValue(shown.max) : '–';
      min.dataset.value = String(shown.min);
      max.dataset.value = String(shown.max);
      const white = colours.centred ? 'white = 0' : '';
      note.textContent = [white, text].filter(Boolean).join(' · ');
      wrap.dataset.colours = colours.id;
      bar.setAttribute('aria-label', `${colours.label} colour scale from ${min.textContent} to ${max.textContent}`
        + (white ? `, ${white}` : ''));
      wrap.title = colours.centred && Number.isFinite(lo) && Number.isFinite(hi)
        ? `the data run from ${fmtValue(lo)} to ${fmtValue(hi)}; the scale is symmetric about 0` : '';
    },
  };
}

/**
 * A set of per-class heatmap tiles (canvas + label), with a hover read-out of the cell under the pointer.
 * container: the element to fill; classNames: labels (one per map: a one-map kind has one); options.readout: the
 * read-out element; options.idPrefix for canvas ids; options.describe(name) the canvases' aria-label (a class's
 * mean activation map unless given).
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
      canvas.setAttribute('aria-label',
        options.describe ? options.describe(name) : `mean activation map of class ${name}`);
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

  /**
   * Draws every class of a frame; options as drawClass's (layer, sheets, colours, scale), and layerBase: the number
   * the read-out gives a 2D map's column 0 (1, the first grid layer, unless given).
   */
  draw(frame, options = {}) {
    this.frame = frame;
    this.drawOptions = options;
    const indexMap = indexMapFor(frame, options.colours || COLOUR_MAPS.viridis, options.scale);
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
    const b = cellByte(f, cls, layer, row, col);
    this.readout.textContent = this.drawOptions.sheets
      ? `${this.classNames[cls]} · layer ${layer + 1} of ${f.layers}, row ${row}, column ${col} · `
        + `${fmtValue(cellValue(f, b))}`
      : flatReadout(this.classNames[cls], f, row, col, b, this.drawOptions.layerBase ?? 1);
  }
}

/**
 * A 2D map's cell under the pointer; where the frame averages blocks of cells, the block's cells and layers. Column
 * c is layer c + layerBase (the weights' columns are their source layers, from 0).
 */
export function flatReadout(className, f, row, col, b, layerBase = 1) {
  const value = fmtValue(cellValue(f, b));
  if (f.blockRows === 1 && f.blockCols === 1) {
    return `${className} · cell ${row} of layer ${col + layerBase} · ${value}`;
  }
  const cells = blockSpan(row, f.blockRows, f.gridRows);
  const layers = blockSpan(col, f.blockCols, f.gridCols, layerBase);
  const of = layers.includes('–') ? 'layers' : 'layer';
  return `${className} · cells ${cells} of ${of} ${layers} (mean of the block) · ${value}`;
}
