import { COLOUR_MAPS } from '/static/colours.js';
import { decodeFrame } from '/static/frame.js';
import { downloadPicture, drawPicture, frameDataUrl, pictureFileName, pictureLayout } from '/static/map-export.js';
import { deepEq, eq, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

test('the picture\'s file name says run, kind, epoch and a 3D grid\'s layer', () => {
  eq(pictureFileName('0123456789ab', 'contrast', 7), 'neuralgrid-0123456789ab-contrast-epoch7.png');
  eq(pictureFileName('0123456789ab', 'weights', 0, 2), 'neuralgrid-0123456789ab-weights-epoch0-layer3.png');
});

test('the numbers of a frame are the API\'s ?kind= and ?format=', () => {
  eq(frameDataUrl('abc', 'std', 4, 'npy'), '/api/runs/abc/heatmaps/4?kind=std&format=npy');
  eq(frameDataUrl('abc', 'mean', 0, 'csv'), '/api/runs/abc/heatmaps/0?kind=mean&format=csv');
});

test('the layout: whole pixels per cell, five maps a row, one map alone', () => {
  const ten = pictureLayout(10, 16, 8);
  deepEq([ten.pixel, ten.perRow, ten.w, ten.h], [10, 5, 80, 160]);
  const one = pictureLayout(1, 16, 8);
  eq(one.perRow, 1);
  ok(one.width >= 480, 'room for the title and the bar');
  eq(pictureLayout(10, 1030, 3).pixel, 1, 'never under one pixel a cell');
});

test('the picture holds every map, drawn on the kind\'s colours, and the bar', () => {
  const frame = decodeFrame(encodeFrame({ version: 3, kind: 'contrast', classes: 10, rows: 4, cols: 2, min: -1,
    max: 1, cells: Array.from({ length: 80 }, (_, i) => (i % 8 === 0 ? 255 : 128)) }));
  const names = Array.from({ length: 10 }, (_, c) => `class ${c}`);
  const canvas = drawPicture(frame, { names, title: 'Contrast', colours: COLOUR_MAPS.diverging,
    range: { min: -1, max: 1 }, note: 'white = 0' });
  const layout = pictureLayout(10, 4, 2);
  deepEq([canvas.width, canvas.height], [layout.width, layout.height]);
  eq(canvas.dataset.maps, '10');
  const px = (x, y) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data);
  // the first map's first cell (byte 255: the red end) at the top left, the second map's last cell near white
  deepEq(px(16 + 1, 16 + 30 + 1), [103, 0, 31, 255]);
  const [r, g, b] = px(16 + layout.w + 12 + layout.w - 2, 16 + 30 + layout.h - 2);
  ok(r > 240 && g > 240 && b > 240, `a cell of about 0 is white: ${[r, g, b]}`);
});

test('the PNG goes out as a blob through a download link', async () => {
  const frame = decodeFrame(encodeFrame({ version: 3, kind: 'biases', classes: 1, rows: 3, cols: 3 }));
  const canvas = drawPicture(frame, { names: ['grid biases'], title: 'Grid biases', colours: COLOUR_MAPS.diverging,
    range: { min: -1, max: 1 } });
  const clicked = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function () {
    clicked.push(this.download);
  };
  try {
    const blob = await downloadPicture(canvas, 'neuralgrid-x-biases-epoch3.png');
    eq(blob.type, 'image/png');
    ok(blob.size > 100, `a PNG of ${blob.size} bytes`);
    deepEq(clicked, ['neuralgrid-x-biases-epoch3.png']);
    eq(document.querySelectorAll('a[download]').length, 0, 'the link is gone again');
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
});
