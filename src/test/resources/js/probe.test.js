import {
  answerMaps, availableWhich, finiteRange, gridOf, parameterLabel, pictureQuery, probeBody, probeFileName,
  quantise, sourceLabel, sourceSlug, symmetricRange, thumbnailPage,
} from '/static/probe.js';
import { deepEq, eq, near, ok, test, throws } from './assert.js';

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag',
  'Ankle boot'];

/** An answer of a grid: 2D rows x cols (one map), or 3D layers sheets of rows x cols. */
function answer({ sheets = false, layers = 1, rows = 4, cols = 3 } = {}) {
  const n = (sheets ? layers : 1) * rows * cols;
  return {
    which: 'final', epoch: 3, batch: 0, testIndex: 7, label: 1, predicted: 1, class: 1,
    probabilities: [0, 0.9, 0.1, 0, 0, 0, 0, 0, 0, 0], logits: new Array(10).fill(0),
    pixels: Array.from({ length: 784 }, (_, i) => (i % 28) / 27),
    grid: { sheets, layers: sheets ? layers : 1, rows, cols },
    activations: Array.from({ length: n }, (_, i) => i),
    cellSaliency: Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -0.5) * i),
    pixelSaliency: Array.from({ length: 784 }, (_, i) => (i === 0 ? -2 : i === 1 ? 1 : 0)),
  };
}

test('finiteRange skips NaN and infinities; none at all is 0..0', () => {
  deepEq(finiteRange([3, NaN, -1, Infinity, 2]), { min: -1, max: 3 });
  deepEq(finiteRange([NaN]), { min: 0, max: 0 });
});

test('symmetricRange spans ±max|value| whichever side is larger', () => {
  deepEq(symmetricRange([-0.2, 0.5]), { min: -0.5, max: 0.5 });
  deepEq(symmetricRange([-3, 1]), { min: -3, max: 3 });
  deepEq(symmetricRange([0.25, 0.5]), { min: -0.5, max: 0.5 }, 'one-signed values still centre on 0');
  const zero = symmetricRange([0, 0]);
  eq(zero.max, 0);
  eq(Math.abs(zero.min), 0);
});

test('quantise maps the range onto bytes 0..255 and keeps the shape', () => {
  const f = quantise([0, 0.5, 1, 2], { rows: 2, cols: 2, range: { min: 0, max: 1 } });
  deepEq(Array.from(f.cells), [0, 128, 255, 255], 'values above the range are clamped');
  eq(f.classes, 1);
  eq(f.layers, 1);
  eq(f.rows, 2);
  eq(f.cols, 2);
  const own = quantise([-1, 1], { rows: 1, cols: 2 });
  deepEq([own.min, own.max], [-1, 1], 'without a range, the values\' own');
  throws(() => quantise([1, 2, 3], { rows: 2, cols: 2 }), /needs 4 values, got 3/);
});

test('a symmetric range puts 0 on the middle byte', () => {
  const f = quantise([-2, 0, 2], { rows: 1, cols: 3, range: symmetricRange([-2, 2]) });
  deepEq(Array.from(f.cells), [0, 128, 255]);
});

test('a 2D answer is one map of H rows by W columns, value [p*W + l]', () => {
  const a = answer({ rows: 4, cols: 3 });
  const m = answerMaps(a);
  deepEq(m.grid, { sheets: false, layers: 1, rows: 4, cols: 3 });
  eq(m.activations.layers, 1);
  eq(m.activations.rows, 4);
  eq(m.activations.cols, 3);
  // cell 2 of layer 1 (0-based) is value 2*3 + 1 = 7: the highest byte is the last value
  eq(m.activations.cells[2 * 3 + 1], Math.round((7 / 11) * 255));
  eq(m.activations.cells[11], 255);
  eq(m.image.rows, 28);
  eq(m.image.cells[27], 255, 'the image\'s pixels 0..1 span the grey bytes');
  eq(m.pixelSaliency.min, -2);
  eq(m.pixelSaliency.max, 2);
  eq(m.cellSaliency.min, -m.cellSaliency.max, 'the cell saliency is symmetric');
});

test('a 3D answer is layers sheets of rows x cols, value [(l*rows + r)*cols + c]', () => {
  const m = answerMaps(answer({ sheets: true, layers: 2, rows: 28, cols: 28 }));
  deepEq(m.grid, { sheets: true, layers: 2, rows: 28, cols: 28 });
  eq(m.activations.layers, 2);
  eq(m.activations.dims, 3);
  eq(m.activations.cells.length, 2 * 28 * 28);
  eq(m.activations.cells[2 * 784 - 1], 255, 'the last cell of the last sheet');
});

test('an answer whose arrays do not fit its grid is refused', () => {
  const a = answer({ rows: 4, cols: 3 });
  a.cellSaliency = a.cellSaliency.slice(1);
  throws(() => gridOf(a), /cellSaliency hold 11 values, its grid 1x4x3 = 12/);
});

test('the parameters in words', () => {
  eq(parameterLabel({ which: 'live', epoch: 3, batch: 120 }), 'live, epoch 3, step 120');
  eq(parameterLabel({ which: 'final', epoch: 20, batch: 0 }), 'final weights, epoch 20');
  eq(parameterLabel({ which: 'best', epoch: 17 }), 'best weights, epoch 17');
  eq(parameterLabel(null), '');
});

test('where the image came from, in words and in file names', () => {
  eq(sourceLabel({ kind: 'test', index: 12 }, { label: 1 }, NAMES), 'test image #12 (Trouser)');
  eq(sourceLabel({ kind: 'drawn' }, {}, NAMES), 'drawn');
  eq(sourceLabel({ kind: 'file', name: 'shoe.png' }, { source: { width: 640, height: 480 }, inverted: true }, NAMES),
    'file shoe.png (640×480, inverted)');
  eq(sourceSlug({ kind: 'test', index: 12 }), 'test12');
  eq(sourceSlug({ kind: 'file', name: 'my shoe (2).JPG' }), 'file-my-shoe-2');
  eq(probeFileName('abc123', { kind: 'drawn' }, 7, 'png'), 'neuralgrid-abc123-probe-drawn-class7.png');
});

test('the request: a test index or the pixels, class and which only when chosen', () => {
  deepEq(probeBody({ kind: 'test', index: 5 }), { testIndex: 5 });
  deepEq(probeBody({ kind: 'test', index: 5 }, { cls: 0, which: 'best' }), { testIndex: 5, class: 0, which: 'best' });
  const drawn = probeBody({ kind: 'drawn', pixels: new Float32Array(784).fill(0.5) }, { cls: 3 });
  ok(Array.isArray(drawn.pixels), 'pixels are sent as a JSON array');
  eq(drawn.pixels.length, 784);
  eq(drawn.class, 3);
  eq(pictureQuery({}), '');
  eq(pictureQuery({ cls: 2, which: 'final' }), '?class=2&which=final');
});

test('the thumbnail pages', () => {
  deepEq(thumbnailPage(0, 24, 100), { from: 0, count: 24, shown: '1–24 of 100', hasPrevious: false, hasNext: true });
  const last = thumbnailPage(96, 24, 100);
  eq(last.shown, '97–100 of 100');
  ok(!last.hasNext && last.hasPrevious);
  eq(thumbnailPage(0, 24, 0).shown, 'none');
  ok(!thumbnailPage(0, 24, null).hasNext, 'no next page before the total is known');
  eq(thumbnailPage(-5, 24, 10).from, 0);
});

test('live parameters only while the run trains, saved ones once written', () => {
  deepEq(availableWhich({ weights: { final: true, best: false } }, false), { live: false, final: true, best: false });
  deepEq(availableWhich({}, true), { live: true, final: false, best: false });
  near(answer().probabilities.reduce((s, p) => s + p, 0), 1, 1e-9);
});
