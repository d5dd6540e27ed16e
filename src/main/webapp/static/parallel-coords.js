// Parallel coordinates on a <canvas>: one vertical axis per swept field (sweep-axes.js: choices spaced evenly,
// numbers linear or log) and a last axis of the best test accuracy, one polyline per sweep point, coloured by its
// accuracy on viridis (colours.js). The geometry is pure and apart from the drawing; on the canvas data-lines="N"
// once N polylines are drawn.
import { VIRIDIS } from './colours.js';
import { niceTicks } from './sweep-axes.js';

/** The brightest end of viridis (yellow) is hard to see on white: colours stop short of it. */
const TOP_ENTRY = 225;
const NO_VALUE = '#b9c0ca';

/**
 * An axis of accuracies (0..1) over the range of the values, with round percent ticks inside it; a single value
 * (or none) gets a range of a percentage point around it.
 */
export function accuracyAxis(values, label = 'best test acc.') {
  const present = values.filter(v => typeof v === 'number' && Number.isFinite(v));
  let min = present.length ? Math.min(...present) : 0;
  let max = present.length ? Math.max(...present) : 1;
  if (max - min < 1e-6) {
    min -= 0.005;
    max += 0.005;
  }
  const position = v => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const unitAt = p => (p - min) / (max - min);
  return {
    field: 'accuracy', label, kind: 'linear', categories: null, min, max, position, unitAt,
    unit: v => (position(v) === null ? null : unitAt(v)),
    ticks: niceTicks(min * 100, max * 100, 4).map(p => ({ at: p / 100, label: `${p}%` })),
  };
}

/** Where an accuracy lies between the lowest and the highest shown (0..1), null without one. */
export function colourPosition(value, axis) {
  const u = axis.unit(value);
  return u === null ? null : Math.max(0, Math.min(1, u));
}

/** The line colour of a colour position: viridis from dark purple (lowest) to green-yellow (highest); grey for none. */
export function lineColour(t) {
  if (t === null || t === undefined || !Number.isFinite(t)) return NO_VALUE;
  const i = Math.round(Math.max(0, Math.min(1, t)) * TOP_ENTRY) * 3;
  return `rgb(${VIRIDIS[i]}, ${VIRIDIS[i + 1]}, ${VIRIDIS[i + 2]})`;
}

/**
 * The picture's geometry in pixels. axes: the axes left to right (sweep-axes.js; the last one the colour's);
 * rows: [{key, values: [one per axis]}]; box: {left, right, top, bottom} of the plot. Axes are evenly spread from
 * left to right (one axis: in the middle); a value lies at its unit from bottom (0) to top (1). Answers {axes: [{x,
 * label, ticks: [{y, label}]}], lines: [{key, segments: [[[x, y], ...], ...], t}]}: a line breaks where an axis has
 * no value for it, and t is its colour position (null without a value on the last axis). Lines come lowest
 * accuracy first (those without one before them), so that drawn in order the best lie on top.
 */
export function parallelGeometry(axes, rows, box) {
  const n = axes.length;
  const xOf = i => (n <= 1 ? (box.left + box.right) / 2 : box.left + (i * (box.right - box.left)) / (n - 1));
  const yOf = u => box.bottom - u * (box.bottom - box.top);
  const placed = axes.map((a, i) => ({
    x: xOf(i), label: a.label,
    ticks: a.ticks.map(t => ({ y: yOf(a.unitAt(t.at)), label: t.label })),
  }));
  const colourAxis = axes[n - 1];
  const lines = rows.map(row => {
    const segments = [];
    let current = null;
    axes.forEach((a, i) => {
      const u = a.unit(row.values[i]);
      if (u === null) {
        current = null;
        return;
      }
      if (!current) {
        current = [];
        segments.push(current);
      }
      current.push([xOf(i), yOf(u)]);
    });
    return { key: row.key, segments, t: n ? colourPosition(row.values[n - 1], colourAxis) : null };
  });
  lines.sort((a, b) => (a.t === null ? -1 : a.t) - (b.t === null ? -1 : b.t));
  return { axes: placed, lines };
}

/** The canvas's picture: sized to its box (times the device pixel ratio), redrawn when the box changes. */
export class ParallelCoords {
  constructor(canvas, { height = 300 } = {}) {
    this.canvas = canvas;
    this.height = height;
    this.axes = [];
    this.rows = [];
    this.empty = canvas.parentElement.querySelector('.chart-empty');
    if (typeof ResizeObserver === 'function') {
      let width = 0;
      new ResizeObserver(() => {
        const w = canvas.parentElement.clientWidth;
        if (w !== width) {
          width = w;
          this.render();
        }
      }).observe(canvas.parentElement);
    }
  }

  /** axes as parallelGeometry takes them; rows: [{key, values}]. Drawn at once. */
  show(axes, rows) {
    this.axes = axes;
    this.rows = rows;
    this.render();
  }

  render() {
    const canvas = this.canvas;
    const width = Math.max(200, canvas.parentElement.clientWidth || 600);
    const height = this.height;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const drawn = this.axes.length >= 2 && this.rows.length > 0;
    if (this.empty) this.empty.hidden = drawn;
    if (!drawn) {
      delete canvas.dataset.lines;
      return;
    }
    const box = { left: 70, right: width - 70, top: 34, bottom: height - 16 };
    const geometry = parallelGeometry(this.axes, this.rows, box);
    const font = getComputedStyle(canvas).fontFamily;
    for (const line of geometry.lines) {
      ctx.strokeStyle = lineColour(line.t);
      ctx.lineWidth = line.t === null ? 1.2 : 2;
      ctx.setLineDash(line.t === null ? [4, 3] : []);
      ctx.globalAlpha = 0.85;
      for (const segment of line.segments) {
        ctx.beginPath();
        segment.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
        // a point with a value on one axis only is still seen
        if (segment.length === 1) ctx.arc(segment[0][0], segment[0][1], 2.5, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
    geometry.axes.forEach((a, i) => {
      ctx.strokeStyle = '#596273';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(a.x, box.top);
      ctx.lineTo(a.x, box.bottom);
      ctx.stroke();
      ctx.fillStyle = '#1b2130';
      ctx.font = `600 12px ${font}`;
      ctx.textBaseline = 'bottom';
      ctx.textAlign = i === 0 ? 'left' : i === geometry.axes.length - 1 ? 'right' : 'center';
      ctx.fillText(a.label, i === 0 ? a.x - 30 : i === geometry.axes.length - 1 ? a.x + 30 : a.x, 24);
      ctx.font = `11px ${font}`;
      ctx.fillStyle = '#596273';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      for (const t of a.ticks) {
        ctx.strokeStyle = '#596273';
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(a.x - 3, t.y);
        ctx.lineTo(a.x, t.y);
        ctx.stroke();
        // a white halo keeps a label readable where lines cross it
        ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
        ctx.lineWidth = 3;
        ctx.strokeText(t.label, a.x - 5, t.y);
        ctx.fillText(t.label, a.x - 5, t.y);
      }
    });
    canvas.dataset.lines = String(geometry.lines.length);
  }
}
