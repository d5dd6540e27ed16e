import { COLOUR_MAPS } from '/static/colours.js';
import { drawProbePicture, fitMap } from '/static/probe-export.js';
import { ProbeView } from '/static/probe-view.js';
import { answerMaps } from '/static/probe.js';
import { eq, ok, test } from './assert.js';

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag',
  'Ankle boot'];

function answer({ sheets = false, layers = 1, rows = 16, cols = 8, cls = 1 } = {}) {
  const n = layers * rows * cols;
  return {
    which: 'final', epoch: 3, batch: 0, testIndex: 7, label: 2, predicted: 1, class: cls,
    probabilities: [0.01, 0.7, 0.2, 0.01, 0.02, 0.01, 0.02, 0.01, 0.01, 0.01], logits: new Array(10).fill(0),
    pixels: Array.from({ length: 784 }, (_, i) => (i % 28) / 27),
    grid: { sheets, layers, rows, cols },
    activations: Array.from({ length: n }, (_, i) => Math.sin(i)),
    cellSaliency: Array.from({ length: n }, (_, i) => Math.cos(i) * (cls + 1)),
    pixelSaliency: Array.from({ length: 784 }, (_, i) => Math.sin(i / 7)),
  };
}

function colours(canvas) {
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  return seen.size;
}

function view(onTrace = () => {}) {
  const box = document.createElement('div');
  document.getElementById('fixture').append(box);
  return { box, view: new ProbeView(box, NAMES, { onTrace, colours: () => COLOUR_MAPS.viridis }) };
}

test('an answer shows ten bars, the predicted class and the true label marked', () => {
  const { box, view: v } = view();
  v.show(answer());
  const bars = box.querySelectorAll('#probe-probs li');
  eq(bars.length, 10);
  eq(box.querySelector('#probe-probs').dataset.predicted, '1');
  ok(bars[1].classList.contains('predicted'));
  ok(bars[2].classList.contains('truth'));
  eq(bars[1].querySelector('.probe-prob-value').textContent, '70.0 %');
  ok(bars[1].getAttribute('aria-label').includes('predicted'));
});

test('the grids are drawn: a 2D grid as H rows by W columns, the saliency of the traced class', () => {
  const { box, view: v } = view();
  v.show(answer({ cls: 4 }));
  const act = box.querySelector('#probe-activations');
  eq(act.width, 8);
  eq(act.height, 16);
  ok(colours(act) > 1, 'the activation map is not uniform');
  const cell = box.querySelector('#probe-cell-saliency');
  eq(cell.dataset.class, '4');
  eq(cell.dataset.colours, 'diverging');
  eq(box.querySelector('#probe-pixel-saliency').width, 28);
  eq(box.querySelector('#probe-trace-class').value, '4');
  ok(box.querySelector('.probe-layer-control').hidden, 'no layer slider for a 2D grid');
});

test('a 3D grid is shown one sheet at a time, picked with the layer slider', () => {
  const { box, view: v } = view();
  v.show(answer({ sheets: true, layers: 3, rows: 28, cols: 28 }));
  ok(!box.querySelector('.probe-layer-control').hidden);
  const act = box.querySelector('#probe-activations');
  eq(act.dataset.layer, '0');
  const slider = box.querySelector('#probe-layer');
  slider.value = '2';
  slider.dispatchEvent(new Event('input'));
  eq(act.dataset.layer, '2');
  eq(box.querySelector('#probe-cell-saliency').dataset.layer, '2');
  eq(box.querySelector('#probe-layer-label').textContent, '3 of 3');
});

test('choosing another class to trace asks for it', () => {
  const traced = [];
  const { box, view: v } = view(c => traced.push(c));
  v.show(answer());
  const select = box.querySelector('#probe-trace-class');
  select.value = '9';
  select.dispatchEvent(new Event('change'));
  eq(traced.join(), '9');
});

test('the picture of a probe holds the maps under their titles', () => {
  const a = answer();
  const canvas = drawProbePicture({ answer: a, maps: answerMaps(a), classNames: NAMES, title: 'probe',
    colours: COLOUR_MAPS.viridis });
  ok(canvas.width > 600 && canvas.height > 400, `${canvas.width}x${canvas.height}`);
  eq(canvas.dataset.class, '1');
  ok(colours(canvas) > 20, 'the picture has maps in it');
  const fit = fitMap(16, 8, 168);
  eq(fit.h, 160, 'whole pixels per cell where they fit');
  eq(fit.w, 80);
  const tall = fitMap(1030, 3, 168);
  ok(tall.h <= 168 && tall.w >= 1, 'a tall grid still fits');
});
