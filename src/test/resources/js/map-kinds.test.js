import { COLOUR_MAPS } from '/static/colours.js';
import { FRAME_KINDS, decodeFrame } from '/static/frame.js';
import {
  MAP_KINDS, addressWithKind, kindCaption, kindFromAddress, kindScale, mapKind, mapNames, missingKindNote,
} from '/static/map-kinds.js';
import { deepEq, eq, ok, test } from './assert.js';
import { encodeFrame } from './frames.js';

const frame = (kind, min, max) => decodeFrame(encodeFrame({ version: 3, kind, min, max,
  classes: kind === 'weights' || kind === 'biases' ? 1 : 10 }));

test('the choice lists every kind a frame can have, in the decoder\'s order', () => {
  deepEq(MAP_KINDS.map(k => k.id), FRAME_KINDS);
  deepEq(MAP_KINDS.map(k => k.label), ['Mean', 'Std', 'Contrast', 'Grid weights', 'Grid biases']);
  eq(mapKind('nonsense').id, 'mean', 'an unknown kind is the mean');
});

test('the means follow the colour control, over the frame\'s own range', () => {
  const f = frame('mean', -0.5, 2);
  const viridis = kindScale('mean', f, 'viridis');
  eq(viridis.colours, COLOUR_MAPS.viridis);
  eq(viridis.scale, null);
  deepEq(viridis.range, { min: -0.5, max: 2 });
  const diverging = kindScale('mean', f, 'diverging');
  eq(diverging.colours, COLOUR_MAPS.diverging);
  deepEq(diverging.range, { min: -2, max: 2 }, 'symmetric about 0');
});

test('a spread is on viridis from 0, whatever the control says', () => {
  const s = kindScale('std', frame('std', 0.25, 3), 'diverging');
  eq(s.colours, COLOUR_MAPS.viridis);
  deepEq(s.scale, { min: 0, max: 3 }, 'the bytes are drawn from 0, not from the smallest spread');
  deepEq(s.range, { min: 0, max: 3 });
});

test('contrasts, weights and biases are diverging, symmetric about 0 with 0 white', () => {
  for (const kind of ['contrast', 'weights', 'biases']) {
    const s = kindScale(kind, frame(kind, -0.3, 1.5), 'viridis');
    eq(s.colours, COLOUR_MAPS.diverging, kind);
    eq(s.scale, null, kind);
    deepEq(s.range, { min: -1.5, max: 1.5 }, kind);
  }
  deepEq(kindScale('weights', frame('weights', -4, 1), 'viridis').range, { min: -4, max: 4 });
});

test('ten maps named by class, or one map of the grid', () => {
  const classes = ['a', 'b', 'c'];
  eq(mapNames('mean', classes), classes);
  eq(mapNames('contrast', classes), classes);
  deepEq(mapNames('weights', classes), ['grid weights']);
  deepEq(mapNames('biases', classes), ['grid biases']);
});

test('a one-map kind says what its map holds; the weights\' columns are their source layers', () => {
  ok(kindCaption('weights', false).includes('column l holds the weights of source layer l'),
    kindCaption('weights', false));
  ok(kindCaption('weights', true).includes('the sheet at layer n holds the weights of source layer n−1'));
  ok(kindCaption('biases', false).includes('column l holds the biases of layer l+1'));
  ok(kindCaption('biases', true).includes('biases'));
  eq(kindCaption('mean', false), null);
  eq(kindCaption('contrast', true), null);
  ok(missingKindNote('std').startsWith('This run has no standard deviation'), missingKindNote('std'));
});

test('the kind comes from ?map= or #map=, the mean otherwise', () => {
  eq(kindFromAddress('?map=contrast', ''), 'contrast');
  eq(kindFromAddress('', '#map=weights'), 'weights');
  eq(kindFromAddress('?map=std', '#map=biases'), 'std', 'the query wins');
  eq(kindFromAddress('?map=bogus', ''), 'mean');
  eq(kindFromAddress('', ''), 'mean');
});

test('the address of a kind keeps the rest of the address', () => {
  eq(addressWithKind('http://h/runs/abc', 'contrast'), 'http://h/runs/abc?map=contrast');
  eq(addressWithKind('http://h/runs/abc?x=1&map=std', 'biases'), 'http://h/runs/abc?x=1&map=biases');
  eq(addressWithKind('http://h/runs/abc?map=std', 'mean'), 'http://h/runs/abc', 'the mean needs no query');
  eq(addressWithKind('http://h/runs/abc#map=std', 'weights'), 'http://h/runs/abc?map=weights',
    'a kind in the hash gives way to the query');
  eq(kindFromAddress(new URL(addressWithKind('http://h/r', 'std')).search, ''), 'std', 'round trip');
});
