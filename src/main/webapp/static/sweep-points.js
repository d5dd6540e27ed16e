// A sweep as the API answers it (GET /api/sweeps/{id}) read into what the sweep page shows: the points table's
// columns, values and sort order, the runs a selection of points stands for, and the words of the header and the
// runs table. Pure: no DOM.
import { fmtDuration, fmtPct } from './common.js';
import { axisText } from './sweep-axes.js';

/**
 * The reply of GET /api/sweeps/{id}, with every part present: its "runs" is the array of run summaries (where a
 * sweep summary of the list has the count there instead, which becomes total with an empty array).
 */
export function readSweep(reply) {
  const s = reply && typeof reply === 'object' ? reply : {};
  const runs = Array.isArray(s.runs) ? s.runs.filter(r => r && r.id) : [];
  return {
    ...s,
    fields: Array.isArray(s.fields) ? s.fields.map(String) : [],
    counts: s.counts && typeof s.counts === 'object' ? s.counts : {},
    runs,
    total: Array.isArray(s.runs) ? runs.length : Number.isFinite(s.runs) ? s.runs : 0,
    points: Array.isArray(s.points) ? s.points.filter(p => p && typeof p === 'object') : [],
  };
}

/** What tells a point from the others: its label, else its values. */
export function pointKey(p) {
  return p.label ? String(p.label) : JSON.stringify(p.point || {});
}

/** A point's values as text: "kernel 3 · lr 0.001". */
export function pointText(point) {
  if (!point || typeof point !== 'object') return '–';
  const parts = Object.entries(point).map(([k, v]) => `${k} ${axisText(v)}`);
  return parts.length ? parts.join(' · ') : '–';
}

/** The accuracy columns start with the best at the top; the others from the smallest. */
const FIRST_DIRECTION = { best: 'desc', final: 'desc' };

/**
 * The points table's columns: one per swept field (labelled from its descriptor), then runs finished / total,
 * best and final test accuracy (mean ± std over the seeds) and the mean training time.
 */
export function pointColumns(fields, descriptors = []) {
  const byName = new Map(descriptors.map(d => [d.name, d]));
  return [
    ...fields.map(f => ({ id: `field:${f}`, field: f, label: (byName.get(f) && byName.get(f).label) || f,
      title: f, numeric: isNumeric(byName.get(f)) })),
    { id: 'runs', label: 'Runs done', title: 'completed runs of the point / all its runs', numeric: true },
    { id: 'best', label: 'Best test acc.', title: 'the test accuracy of each run\'s best epoch: mean ± std over '
      + 'the runs that have one', numeric: true },
    { id: 'final', label: 'Final test acc.', title: 'the test accuracy of the last epoch: mean ± std over the '
      + 'completed runs', numeric: true },
    { id: 'seconds', label: 'Mean time', title: 'training time, mean over the point\'s runs', numeric: true },
  ];
}

function isNumeric(descriptor) {
  return Boolean(descriptor) && (descriptor.kind === 'integer' || descriptor.kind === 'number');
}

/** What a column sorts a point by: a number, a text, or null (no value yet). */
export function sortValue(p, columnId) {
  if (columnId.startsWith('field:')) {
    const v = p.point ? p.point[columnId.slice(6)] : undefined;
    return v === undefined ? null : v;
  }
  switch (columnId) {
    case 'runs': {
      const total = Array.isArray(p.runs) ? p.runs.length : 0;
      return total > 0 ? (p.finished || 0) / total : null;
    }
    case 'best': return numberOrNull(p.bestTestMean);
    case 'final': return numberOrNull(p.finalTestMean);
    case 'seconds': return numberOrNull(p.secondsMean);
    default: return null;
  }
}

function numberOrNull(v) {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Numbers before texts, texts in natural order ("relu" < "sin", "x2" < "x10"); null is for the caller. */
function compareValues(a, b) {
  const na = typeof a === 'number', nb = typeof b === 'number';
  if (na && nb) return a - b;
  if (na !== nb) return na ? -1 : 1;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/**
 * The points in a sort order ({column, dir: 'asc' | 'desc'}, or null: as the sweep lists them). Points without a
 * value in the column come last either way; ties keep the sweep's order.
 */
export function sortPoints(points, sort) {
  const order = points.map((p, i) => ({ p, i }));
  if (sort && sort.column) {
    const sign = sort.dir === 'desc' ? -1 : 1;
    order.sort((x, y) => {
      const a = sortValue(x.p, sort.column), b = sortValue(y.p, sort.column);
      if (a === null || b === null) return (a === null) - (b === null) || x.i - y.i;
      return sign * compareValues(a, b) || x.i - y.i;
    });
  }
  return order.map(o => o.p);
}

/** The sort after a click on a column's header: that column in its first direction, or the other way again. */
export function nextSort(sort, columnId) {
  if (sort && sort.column === columnId) return { column: columnId, dir: sort.dir === 'asc' ? 'desc' : 'asc' };
  return { column: columnId, dir: FIRST_DIRECTION[columnId] || 'asc' };
}

/** "84.21 ± 0.37 %", "84.21 %" without a deviation, "–" without a mean. */
export function meanStdText(mean, std) {
  if (typeof mean !== 'number' || !Number.isFinite(mean)) return '–';
  if (typeof std !== 'number' || !Number.isFinite(std)) return fmtPct(mean);
  return `${(mean * 100).toFixed(2)} ± ${(std * 100).toFixed(2)} %`;
}

/** A point's cells as text, by column id. */
export function pointCells(p, columns) {
  const total = Array.isArray(p.runs) ? p.runs.length : 0;
  return columns.map(c => {
    if (c.field) return axisText(p.point ? p.point[c.field] : null);
    if (c.id === 'runs') return `${p.finished || 0} / ${total}`;
    if (c.id === 'best') return meanStdText(p.bestTestMean, p.bestTestStd);
    if (c.id === 'final') return meanStdText(p.finalTestMean, p.finalTestStd);
    if (c.id === 'seconds') return numberOrNull(p.secondsMean) === null ? '–' : fmtDuration(p.secondsMean);
    return '';
  });
}

/**
 * What "Compare selected" opens: every run of the selected points, in the order of the points given (the table's),
 * and whether it can: {ids, enabled, reason} (reason: why not, or what it will do).
 */
export function comparison(points, selected, max) {
  const ids = [];
  for (const p of points) {
    if (!selected.has(pointKey(p))) continue;
    for (const id of Array.isArray(p.runs) ? p.runs : []) if (!ids.includes(id)) ids.push(id);
  }
  let reason;
  if (ids.length === 0) reason = 'Select points to compare their runs';
  else if (ids.length < 2) reason = 'A comparison needs two runs or more: select another point';
  else if (Number.isFinite(max) && ids.length > max) {
    reason = `${ids.length} runs selected: the comparison shows at most ${max}`;
  } else reason = `Compare the ${ids.length} runs of the selected points`;
  return { ids, enabled: ids.length >= 2 && !(Number.isFinite(max) && ids.length > max), reason };
}

/** The address of the comparison of runs. */
export function compareUrl(ids) {
  return `/compare?ids=${ids.map(encodeURIComponent).join(',')}`;
}

/** The order the header lists the counts in; statuses it does not know come after, as the server sends them. */
const COUNT_ORDER = ['running', 'queued', 'completed', 'interrupted', 'failed', 'cancelled'];

/** The counts per status that are not zero, in the header's order: [{status, n}]. */
export function countList(counts) {
  const known = COUNT_ORDER.filter(s => counts[s] > 0).map(s => ({ status: s, n: counts[s] }));
  const other = Object.keys(counts).filter(s => !COUNT_ORDER.includes(s) && counts[s] > 0)
    .map(s => ({ status: s, n: counts[s] }));
  return [...known, ...other];
}

/** How many runs have a status of a set. */
export function countIn(counts, statuses) {
  return Object.entries(counts).reduce((n, [s, k]) => n + (statuses.has(s) && k > 0 ? k : 0), 0);
}

/** What a sweep spec sweeps, in words: ["kernel: 3, 5, 7", "lr: 1e-4..1e-2"], in the order of the fields. */
export function sweptText(spec, fields) {
  const sweep = spec && spec.sweep && typeof spec.sweep === 'object' ? spec.sweep : {};
  const names = fields.length ? fields : Object.keys(sweep);
  return names.map(f => {
    const v = sweep[f];
    if (Array.isArray(v)) return `${f}: ${v.map(axisText).join(', ')}`;
    if (v === undefined || v === null) return f;
    return `${f}: ${v}`;
  });
}

/** "shares its device with 2 other runs"; "" when it has the device to itself. */
export function sharingText(sharing) {
  if (!(Number.isFinite(sharing) && sharing > 0)) return '';
  return `shares its device with ${sharing} other run${sharing === 1 ? '' : 's'}`;
}
