// The run page's 3D view of a 3D grid: one class's sheets as a stack in space (see stack-view.js for the geometry),
// turned by dragging or with the arrow keys, with a threshold below which cells are left out, and a PNG export.
import { perFrame } from './common.js';
import { downloadPicture } from './map-export.js';
import { COLOUR_MAPS, fmtValue } from './colours.js';
import {
  DEFAULT_ROTATION, DEFAULT_THRESHOLD_SHARE, normaliseRotation, projectStack, sheetOutlines, thresholdLimit,
} from './stack-view.js';

/** Degrees turned per pixel dragged, and per arrow key press. */
const DRAG_DEGREES = 0.5;
const KEY_DEGREES = 10;

/**
 * Behind the points: dark for viridis, whose shown (strong) cells are its bright end, white for the diverging map,
 * whose strong cells are its dark red and blue ends (and whose white is 0, which the threshold leaves out).
 */
const BACKGROUNDS = Object.freeze({ viridis: '#161b26', diverging: '#ffffff' });
const OUTLINES = Object.freeze({ viridis: 'rgba(255, 255, 255, 0.22)', diverging: 'rgba(27, 33, 48, 0.2)' });
const LABELS = Object.freeze({ viridis: 'rgba(255, 255, 255, 0.7)', diverging: 'rgba(27, 33, 48, 0.65)' });

/** A class name as part of a file name: letters, digits and dashes. */
const slug = s => String(s).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'class';

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** What the threshold compares: a mean frame's (or an older frame's, which has no kind) activations, else values. */
const quantity = frame => (!frame.kind || frame.kind === 'mean' ? 'mean activation' : 'value');

/**
 * The 3D view in a container: a class choice, the threshold slider, a button back to the opening turn, the PNG
 * export, and the canvas. draw(frame, {colours, scale, names}) shows a frame (the page calls it whenever the epoch
 * changes); the turn, the class and a threshold the user set are kept from frame to frame, so that epochs compare
 * like with like. Until the user moves it, the threshold is DEFAULT_THRESHOLD_SHARE of each frame's largest
 * |value|. options.runId names the exported file.
 */
export class StackPanel {
  constructor(container, classNames, options = {}) {
    this.container = container;
    this.classNames = classNames;
    this.runId = options.runId || 'run';
    this.frame = null;
    this.colours = COLOUR_MAPS.viridis;
    this.range = null;
    this.cls = 0;
    this.threshold = null;
    this.rotation = { ...DEFAULT_ROTATION };
    this.drag = null;
    this.renderSoon = perFrame(() => this.render());
    container.textContent = '';
    container.classList.add('stack-view');

    this.classSelect = element('select', { id: 'stack-class' });
    this.classLabel = element('label', { className: 'control' }, 'class ', this.classSelect);
    this.setNames(classNames);
    this.slider = element('input', { type: 'range', id: 'stack-threshold', min: '0', max: '0', step: 'any' });
    this.slider.setAttribute('aria-label', 'threshold: cells whose |value| is above it are drawn');
    this.sliderValue = element('output', { id: 'stack-threshold-value' });
    this.sliderText = document.createTextNode('|mean activation| above ');
    const reset = element('button', { type: 'button', id: 'stack-reset', textContent: 'reset turn',
      title: 'back to the opening view (Home)' });
    this.exportButton = element('button', { type: 'button', id: 'stack-export', textContent: '↓ PNG',
      title: 'download this 3D view as a PNG picture' });
    this.count = element('span', { className: 'stack-count', id: 'stack-count' });
    this.count.setAttribute('aria-live', 'polite');
    const toolbar = element('div', { className: 'stack-toolbar' },
      this.classLabel,
      element('label', { className: 'control', title: 'cells at or below this |value| are left out' },
        this.sliderText, this.slider, this.sliderValue),
      reset, this.exportButton, this.count);
    this.canvas = element('canvas', { id: 'stack-canvas', className: 'stack-canvas', tabIndex: 0, width: 640,
      height: 400 });
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown Home');
    const hint = element('p', { className: 'stack-hint',
      textContent: 'drag, or focus the picture and use the arrow keys, to turn the stack · Home: the opening view' });
    container.append(toolbar, this.canvas, hint);

    this.classSelect.addEventListener('change', () => {
      this.cls = Number(this.classSelect.value) || 0;
      this.render();
    });
    this.slider.addEventListener('input', () => {
      this.threshold = Number(this.slider.value);
      this.renderSoon();
    });
    reset.addEventListener('click', () => this.turnTo(DEFAULT_ROTATION));
    this.exportButton.addEventListener('click', () => this.exportPng());
    this.bindTurning();
  }

  /** Dragging turns the stack (the near side follows the pointer); so do the arrow keys, Home turns it back. */
  bindTurning() {
    const c = this.canvas;
    c.addEventListener('pointerdown', e => {
      if (e.button !== 0) return;
      this.drag = { x: e.clientX, y: e.clientY };
      c.setPointerCapture(e.pointerId);
      c.classList.add('dragging');
    });
    c.addEventListener('pointermove', e => {
      if (!this.drag) return;
      const dx = e.clientX - this.drag.x, dy = e.clientY - this.drag.y;
      this.drag = { x: e.clientX, y: e.clientY };
      this.turnBy(-dx * DRAG_DEGREES, dy * DRAG_DEGREES, true);
    });
    const end = () => {
      this.drag = null;
      c.classList.remove('dragging');
    };
    c.addEventListener('pointerup', end);
    c.addEventListener('pointercancel', end);
    c.addEventListener('keydown', e => {
      const turns = { ArrowLeft: [KEY_DEGREES, 0], ArrowRight: [-KEY_DEGREES, 0], ArrowUp: [0, -KEY_DEGREES],
        ArrowDown: [0, KEY_DEGREES] };
      if (e.key === 'Home') this.turnTo(DEFAULT_ROTATION);
      else if (turns[e.key]) this.turnBy(...turns[e.key]);
      else return;
      e.preventDefault();
    });
  }

  turnBy(yaw, pitch, soon = false) {
    this.rotation = normaliseRotation({ yaw: this.rotation.yaw + yaw, pitch: this.rotation.pitch + pitch });
    if (soon) this.renderSoon();
    else this.render();
  }

  turnTo(rotation) {
    this.rotation = normaliseRotation(rotation);
    this.render();
  }

  /** The maps to choose from: the class names, or the one map of a kind without classes (the grid's weights). */
  setNames(names) {
    if (this.names && this.names.join('\n') === names.join('\n')) return;
    this.names = names;
    this.classSelect.replaceChildren(...names.map((name, c) =>
      element('option', { value: String(c), textContent: name })));
    this.classSelect.disabled = names.length < 2;
    this.classLabel.firstChild.textContent = names.length < 2 ? 'map ' : 'class ';
  }

  /**
   * Shows a frame (of a 3D grid). options: colours (the page's colour map), scale (the {min, max} its bytes are
   * drawn over, or none for the frame's own), names (the labels of its maps, when not the class names).
   */
  draw(frame, options = {}) {
    // a threshold set on one kind of map means nothing on another (a weight is no activation)
    if (this.frame && frame.kind !== this.frame.kind) this.threshold = null;
    this.frame = frame;
    this.colours = options.colours || COLOUR_MAPS.viridis;
    this.range = options.scale || null;
    this.setNames(options.names || this.classNames);
    this.render();
  }

  /** The slider's range for the frame shown (0 to its largest |value|) and the threshold in it; returns that. */
  updateSlider(frame) {
    const limit = thresholdLimit(frame);
    const wanted = this.threshold == null ? DEFAULT_THRESHOLD_SHARE * limit : Math.min(this.threshold, limit);
    this.slider.max = String(limit);
    this.slider.step = limit > 0 ? String(limit / 200) : 'any';
    this.slider.disabled = !(limit > 0);
    this.slider.value = String(wanted);
    const t = Number(this.slider.value);
    const text = `|${quantity(frame)}| above ${fmtValue(t)} of at most ${fmtValue(limit)}`;
    this.sliderValue.textContent = fmtValue(t);
    this.sliderText.textContent = `|${quantity(frame)}| above `;
    this.slider.setAttribute('aria-valuetext', text);
    return t;
  }

  /** Sizes the canvas to the panel's width (at most 960 by 600 pixels). */
  fitCanvas() {
    const width = Math.max(320, Math.min(960, Math.floor((this.container.clientWidth || 642) - 2)));
    const height = Math.round(Math.max(280, Math.min(600, width * 0.62)));
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
  }

  render() {
    const f = this.frame;
    if (!f || this.container.hidden) return;
    this.fitCanvas();
    const threshold = this.updateSlider(f);
    const { width, height } = this.canvas;
    const view = { width, height, colours: this.colours, range: this.range };
    // the class chosen is kept through frames of one map (the grid's weights) for when classes come back
    const cls = Math.max(0, Math.min(this.cls, f.classes - 1));
    this.classSelect.value = String(cls);
    const { points, size } = projectStack(f, cls, threshold, this.rotation, view);
    const id = this.colours.id;
    const ctx = this.canvas.getContext('2d');
    ctx.fillStyle = BACKGROUNDS[id] || BACKGROUNDS.viridis;
    ctx.fillRect(0, 0, width, height);
    this.drawOutlines(ctx, sheetOutlines(f, this.rotation, view), id);
    const lut = this.colours.lut;
    const half = size / 2;
    for (const p of points) {
      const i = p.index * 3;
      ctx.fillStyle = `rgb(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]})`;
      ctx.fillRect(p.x - half, p.y - half, size, size);
    }
    const total = f.layers * f.rows * f.cols;
    const name = this.names[cls] ?? `class ${cls}`;
    const what = quantity(f);
    // what the picture shows, in the picture: an exported PNG says it without the page around it
    ctx.fillStyle = LABELS[id] || LABELS.viridis;
    ctx.textBaseline = 'top';
    ctx.fillText(`${name} · epoch ${f.epoch} · |${what}| > ${fmtValue(threshold)} · ${points.length} of ${total} `
      + 'cells', 8, 8);
    this.count.textContent = `${points.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} cells`;
    Object.assign(this.canvas.dataset, { points: String(points.length), epoch: String(f.epoch),
      class: String(cls), threshold: String(threshold), yaw: String(Math.round(this.rotation.yaw)),
      pitch: String(Math.round(this.rotation.pitch)), colours: id });
    const of = this.names.length < 2 ? name : `class ${name}`;
    this.canvas.setAttribute('aria-label', `3D view of the ${f.layers} sheets of ${of} at epoch ${f.epoch}: `
      + `${points.length} of ${total} cells with |${what}| above ${fmtValue(threshold)}, layer 1 in front; `
      + `turned ${Math.round(this.rotation.yaw)}° about the vertical axis and ${Math.round(this.rotation.pitch)}° `
      + 'about the horizontal one');
  }

  /** Each sheet's outline, faintly, and the first and last layer's numbers at their top left corners. */
  drawOutlines(ctx, outlines, id) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = OUTLINES[id] || OUTLINES.viridis;
    for (const { corners } of outlines) {
      ctx.beginPath();
      corners.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.stroke();
    }
    ctx.fillStyle = LABELS[id] || LABELS.viridis;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    const last = outlines.length - 1;
    const ends = last > 0 ? [outlines[0], outlines[last]] : outlines;
    for (const { layer, corners } of ends) ctx.fillText(`layer ${layer + 1}`, corners[0][0], corners[0][1] - 3);
  }

  /** Downloads the picture as neuralgrid-{run}-3d-{class}-epoch{e}.png (the kind before the class, but for means). */
  exportPng() {
    const f = this.frame;
    if (!f) return;
    const kind = f.kind && f.kind !== 'mean' ? `${f.kind}-` : '';
    const cls = Math.max(0, Math.min(this.cls, f.classes - 1));
    const name = `neuralgrid-${this.runId}-3d-${kind}${slug(this.names[cls] ?? cls)}-epoch${f.epoch}.png`;
    downloadPicture(this.canvas, name).catch(() => {});
  }
}
