// A 28x28 drawing pad for the probe panel: light strokes on black, as the Fashion-MNIST images are, drawn with a
// soft round brush by mouse, touch or pen (pointer events), or from the keyboard. The rasterising (brushAt,
// stampLine) is pure and works on a Float32Array of 784 values in 0..1, row by row.
import { IMAGE_SIDE, IMAGE_SIZE } from './probe.js';

/**
 * The brush: radius in cells, where its strength starts to fall off (core, in cells: full strength inside it) and
 * its strength (0..1). A radius of about 1.6 cells makes strokes about as thick as the images' outlines.
 */
export const BRUSH = Object.freeze({ radius: 1.6, core: 0.55, strength: 1 });

/** The brush's value at distance d from its centre: full in the core, falling linearly to 0 at the radius. */
export function brushAt(d, brush = BRUSH) {
  if (d <= brush.core) return brush.strength;
  if (d >= brush.radius) return 0;
  return brush.strength * (1 - (d - brush.core) / (brush.radius - brush.core));
}

/**
 * Stamps the brush at (x, y), in cell units (the cell (c, r) spans x in c..c+1): each cell within reach takes the
 * larger of its value and the brush's at its centre, so going over a stroke again never makes it brighter than the
 * brush. Returns whether a value changed.
 */
export function stamp(values, x, y, brush = BRUSH) {
  let changed = false;
  const r0 = Math.max(0, Math.floor(y - brush.radius)), r1 = Math.min(IMAGE_SIDE - 1, Math.floor(y + brush.radius));
  const c0 = Math.max(0, Math.floor(x - brush.radius)), c1 = Math.min(IMAGE_SIDE - 1, Math.floor(x + brush.radius));
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      // rounded as the Float32Array stores it, so that the same stamp again is no change
      const v = Math.fround(brushAt(Math.hypot(c + 0.5 - x, r + 0.5 - y), brush));
      const i = r * IMAGE_SIDE + c;
      if (v > values[i]) {
        values[i] = v;
        changed = true;
      }
    }
  }
  return changed;
}

/** Stamps along the segment from a to b ({x, y} in cells) every quarter cell, so that a fast stroke has no gaps. */
export function stampLine(values, a, b, brush = BRUSH) {
  const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * 4));
  let changed = false;
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    changed = stamp(values, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t, brush) || changed;
  }
  return changed;
}

/**
 * The drawing pad: a canvas of 28x28 pixels shown enlarged. onStroke(values) is called when a stroke ends (the
 * pointer is lifted, or the keyboard's pen is raised) with a copy of the 784 values. Keyboard: the arrow keys move
 * the pen (drawing while it is down), Space or Enter puts it down and lifts it.
 */
export class DrawPad {
  constructor(canvas, { onStroke = () => {} } = {}) {
    this.canvas = canvas;
    this.onStroke = onStroke;
    this.values = new Float32Array(IMAGE_SIZE);
    this.last = null;
    this.drawing = false;
    // the pen sits on a cell's centre
    this.pen = { x: IMAGE_SIDE / 2 + 0.5, y: IMAGE_SIDE / 2 + 0.5, down: false };
    canvas.width = IMAGE_SIDE;
    canvas.height = IMAGE_SIDE;
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'drawing pad, 28 by 28 pixels: draw with the mouse, a finger or a pen; '
      + 'from the keyboard, Space puts the pen down or lifts it and the arrow keys move it');
    canvas.addEventListener('pointerdown', e => this.down(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    canvas.addEventListener('pointerup', e => this.up(e));
    canvas.addEventListener('pointercancel', e => this.up(e));
    canvas.addEventListener('keydown', e => this.key(e));
    canvas.addEventListener('focus', () => this.render());
    canvas.addEventListener('blur', () => (this.pen.down ? this.liftPen() : this.render()));
    this.render();
  }

  /** The pointer's position in cells. */
  at(event) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / Math.max(1, rect.width)) * IMAGE_SIDE,
      y: ((event.clientY - rect.top) / Math.max(1, rect.height)) * IMAGE_SIDE,
    };
  }

  down(event) {
    if (event.button !== undefined && event.button !== 0) return;
    event.preventDefault();
    this.canvas.setPointerCapture?.(event.pointerId);
    this.drawing = true;
    this.last = this.at(event);
    stamp(this.values, this.last.x, this.last.y);
    this.render();
  }

  move(event) {
    if (!this.drawing) return;
    // a pen or a finger may report several positions per event: draw through all of them
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) {
      const p = this.at(e);
      stampLine(this.values, this.last, p);
      this.last = p;
    }
    this.render();
  }

  up(event) {
    if (!this.drawing) return;
    this.drawing = false;
    this.last = null;
    if (this.canvas.hasPointerCapture?.(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
    this.onStroke(this.snapshot());
  }

  key(event) {
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (this.pen.down) this.liftPen();
      else {
        this.pen.down = true;
        stamp(this.values, this.pen.x, this.pen.y);
        this.render();
      }
      return;
    }
    const m = moves[event.key];
    if (!m) return;
    event.preventDefault();
    const from = { x: this.pen.x, y: this.pen.y };
    this.pen.x = Math.max(0.5, Math.min(IMAGE_SIDE - 0.5, this.pen.x + m[0]));
    this.pen.y = Math.max(0.5, Math.min(IMAGE_SIDE - 0.5, this.pen.y + m[1]));
    if (this.pen.down) stampLine(this.values, from, this.pen);
    this.render();
  }

  liftPen() {
    this.pen.down = false;
    this.render();
    this.onStroke(this.snapshot());
  }

  /** Clears the pad (no probe: a black image says nothing). */
  clear() {
    this.values.fill(0);
    this.render();
  }

  /** A copy of the values, row by row, each in 0..1. */
  snapshot() {
    return Float32Array.from(this.values);
  }

  /** Whether anything is drawn. */
  isEmpty() {
    return !this.values.some(v => v > 0);
  }

  /** Draws the values in grey (and the keyboard's pen, when it is down or the pad has the focus). */
  render() {
    const ctx = this.canvas.getContext('2d');
    const image = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
    for (let i = 0; i < IMAGE_SIZE; i++) {
      const g = Math.round(this.values[i] * 255);
      image.data.set([g, g, g, 255], i * 4);
    }
    ctx.putImageData(image, 0, 0);
    if (this.pen.down || document.activeElement === this.canvas) {
      ctx.fillStyle = this.pen.down ? 'rgba(224, 102, 43, 0.9)' : 'rgba(224, 102, 43, 0.5)';
      ctx.fillRect(Math.floor(this.pen.x), Math.floor(this.pen.y), 1, 1);
    }
    this.canvas.dataset.inked = String(this.values.reduce((n, v) => n + (v > 0 ? 1 : 0), 0));
  }
}
