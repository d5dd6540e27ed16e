// A 3D frame as filmstrips: per class one row of all its sheets, with a ruler of layer numbers.
import { cellByte, cellValue } from './frame.js';
import { COLOUR_MAPS, fmtValue, indexMapFor, putColour } from './colours.js';

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

  /** Draws a frame's strips; options: layer (outlined), colours (a colour map), scale ({min, max} or none). */
  draw(frame, options = {}) {
    this.frame = frame;
    const { rows, cols, layers } = frame;
    const colours = options.colours || COLOUR_MAPS.viridis;
    const width = layers * (cols + STRIP_GAP) - STRIP_GAP;
    const changed = !this.shape || this.shape.layers !== layers || this.shape.rows !== rows
      || this.shape.cols !== cols;
    this.pixel = this.fitPixel(frame);
    const indexMap = indexMapFor(frame, colours, options.scale);
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
            putColour(px, (r * width + x0 + x) * 4, indexMap[frame.cells[base + r * cols + x]], colours.lut);
          }
        }
      }
      ctx.putImageData(image, 0, 0);
      canvas.dataset.epoch = String(frame.epoch);
      canvas.dataset.layers = String(layers);
      canvas.dataset.colours = colours.id;
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
    const b = cellByte(f, cls, at.layer, at.row, at.col);
    this.readout.textContent = `${this.classNames[cls]} · layer ${at.layer + 1} of ${f.layers}, row ${at.row}, `
      + `column ${at.col} · ${fmtValue(cellValue(f, b))} · click to show this layer`;
  }
}
