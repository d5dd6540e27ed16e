import { COLOUR_MAPS } from '/static/colours.js';
import { decodeFrame } from '/static/frame.js';
import { createLegend, drawClass } from '/static/heatmap.js';
import { deepEq, eq, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

const pixel = (canvas, x, y) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);

function canvas() {
  const c = document.createElement('canvas');
  document.getElementById('fixture').append(c);
  return c;
}

// one class of one row: bytes 0, 51, 255 of a frame from -0.5 to 2 stand for -0.5, 0 and 2
const frame = () => decodeFrame(encodeFrame({ classes: 1, rows: 1, cols: 3, min: -0.5, max: 2, cells: [0, 51, 255] }));

test('a map on the diverging scale: 0 white, the maximum dark red, negatives blue', () => {
  const c = canvas();
  drawClass(c, frame(), 0, { colours: COLOUR_MAPS.diverging });
  eq(c.dataset.colours, 'diverging');
  deepEq(pixel(c, 1, 0), [255, 255, 255, 255], 'the cell of 0 is white');
  deepEq(pixel(c, 2, 0), [103, 0, 31, 255], 'the cell of the limit is the red end');
  const [r, , b] = pixel(c, 0, 0);
  ok(b > r, 'the negative cell is bluish');
});

test('the same map on viridis spans the frame\'s own range', () => {
  const c = canvas();
  drawClass(c, frame(), 0, { colours: COLOUR_MAPS.viridis });
  eq(c.dataset.colours, 'viridis');
  deepEq(pixel(c, 0, 0), [68, 1, 84, 255]);
  deepEq(pixel(c, 2, 0), [253, 231, 37, 255]);
  drawClass(c, frame(), 0);
  deepEq(pixel(c, 0, 0), [68, 1, 84, 255], 'viridis unless told');
});

test('a diverging legend shows a symmetric scale and says that white is 0', () => {
  const legend = createLegend('mean activation');
  document.getElementById('fixture').append(legend.element);
  legend.set(-0.5, 2, 'one scale for all classes', COLOUR_MAPS.diverging);
  const q = s => legend.element.querySelector(s);
  eq(q('.legend-min').dataset.value, '-2');
  eq(q('.legend-max').dataset.value, '2');
  eq(q('.legend-note').textContent, 'white = 0 · one scale for all classes');
  eq(legend.element.dataset.colours, 'diverging');
  const bar = q('canvas.legend-bar');
  deepEq(pixel(bar, 128, 0), [255, 255, 255, 255], 'the bar\'s middle is white');

  legend.set(-0.5, 2, '', COLOUR_MAPS.viridis);
  eq(q('.legend-min').dataset.value, '-0.5');
  eq(q('.legend-note').textContent, '', 'viridis has no white');
  deepEq(pixel(bar, 0, 0), [68, 1, 84, 255], 'the bar was redrawn');
});
