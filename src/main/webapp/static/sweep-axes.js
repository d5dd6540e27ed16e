// The axis of a swept field, shared by the sweep page's accuracy chart and its parallel coordinates: where a value
// lies on it and which ticks it gets. Numbers lie on a linear axis, or on a log axis for the fields whose
// descriptor says logScale (lr, weight decay); anything else (choices, backends) is a category, spaced evenly in the
// order the sweep first lists it. Pure: no DOM.

/** How many distinct values an axis labels one by one before it falls back to round ticks. */
const MAX_VALUE_TICKS = 8;

/** A value as an axis writes it: numbers to 4 significant figures (exponents for the very small and large). */
export function axisText(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e6) {
    const [m, e] = v.toExponential(2).split('e');
    return `${String(Number(m))}e${Number(e)}`;
  }
  return String(Number(v.toPrecision(4)));
}

/**
 * Round ticks between lo and hi, about count of them, at steps of 1, 2 or 5 times a power of ten (values that are
 * exact to the step: 0.30000000000000004 is 0.3).
 */
export function niceTicks(lo, hi, count = 5) {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(f => f * power).find(s => s >= raw * 0.999) || 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) {
    out.push(Number((k * step).toFixed(decimals)));
  }
  return out;
}

/**
 * The axis of one swept field. descriptor: the field's descriptor of the page data (kind, label, logScale), or
 * undefined for a field the page does not know (numbers then make a linear axis); values: the field's values over
 * the sweep's points. Answers {field, label, kind: 'linear' | 'log' | 'category', categories, min, max (in axis
 * units), position(v) (in axis units, null for a value the axis cannot place), unitAt(p) (a position onto 0..1 from
 * min to max, 0.5 on an axis of one value), unit(v) (unitAt of the value's position, null where position is),
 * ticks: [{at (axis units), label}]}.
 */
export function sweptAxis(field, descriptor, values) {
  const label = (descriptor && descriptor.label) || field;
  const present = values.filter(v => v !== null && v !== undefined);
  const numeric = descriptor ? descriptor.kind === 'integer' || descriptor.kind === 'number'
    : present.length > 0 && present.every(v => typeof v === 'number');
  if (numeric && present.every(v => typeof v === 'number' && Number.isFinite(v))) {
    return descriptor && descriptor.logScale ? logAxis(field, label, present) : linearAxis(field, label, present);
  }
  return categoryAxis(field, label, present);
}

/** An axis with unitAt(p): a position in axis units spread onto 0..1, and unit(v): the same for a value. */
function withUnit(axis) {
  const span = axis.max - axis.min;
  axis.unitAt = p => (span > 0 ? (p - axis.min) / span : 0.5);
  axis.unit = v => {
    const p = axis.position(v);
    return p === null ? null : axis.unitAt(p);
  };
  return axis;
}

function distinctSorted(values) {
  return [...new Set(values)].sort((a, b) => a - b);
}

function linearAxis(field, label, values) {
  const distinct = distinctSorted(values);
  const min = distinct.length ? distinct[0] : 0;
  const max = distinct.length ? distinct[distinct.length - 1] : 1;
  const at = distinct.length <= MAX_VALUE_TICKS ? distinct : niceTicks(min, max);
  return withUnit({
    field, label, kind: 'linear', categories: null, min, max,
    position: v => (typeof v === 'number' && Number.isFinite(v) ? v : null),
    ticks: at.map(t => ({ at: t, label: axisText(t) })),
  });
}

/**
 * Positions are log10 of the value. A 0 among the values (no weight decay) has no logarithm: it is placed one
 * decade below the smallest positive value and labelled "0", so that it shows apart from them.
 */
function logAxis(field, label, values) {
  const positive = distinctSorted(values.filter(v => v > 0));
  if (positive.length === 0) return linearAxis(field, label, values);
  const lowest = Math.log10(positive[0]);
  const highest = Math.log10(positive[positive.length - 1]);
  const zero = values.some(v => v === 0) ? Math.floor(lowest + 1e-9) - 1 : null;
  const position = v => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return null;
    if (v === 0) return zero;
    return Math.log10(v);
  };
  const min = zero === null ? lowest : zero;
  let ticks;
  if (positive.length <= MAX_VALUE_TICKS) {
    ticks = positive.map(v => ({ at: Math.log10(v), label: axisText(v) }));
  } else {
    // many values (random points): the whole decades between them, or the ends when they span less than two
    ticks = [];
    for (let d = Math.ceil(lowest - 1e-9); d <= highest + 1e-9; d++) ticks.push({ at: d, label: axisText(10 ** d) });
    if (ticks.length < 2) ticks = [lowest, highest].map(p => ({ at: p, label: axisText(10 ** p) }));
  }
  if (zero !== null) ticks.unshift({ at: zero, label: '0' });
  return withUnit({ field, label, kind: 'log', categories: null, min, max: highest, position, ticks });
}

function categoryAxis(field, label, values) {
  const categories = [...new Set(values.map(String))];
  const index = new Map(categories.map((c, i) => [c, i]));
  return withUnit({
    field, label, kind: 'category', categories, min: 0, max: Math.max(0, categories.length - 1),
    position: v => (v === null || v === undefined || !index.has(String(v)) ? null : index.get(String(v))),
    ticks: categories.map((c, i) => ({ at: i, label: c })),
  });
}
