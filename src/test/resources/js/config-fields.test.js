import {
  applies, choiceText, configRows, diffRows, estimateText, fmtBytes, formatValue, helpFor, holds, limitsText,
  parseInput, recipeButtonId, recipeValues, sections, singular,
} from '/static/config-fields.js';
import { deepEq, eq, test } from './assert.js';
import { FIELDS, RECIPES, byName } from './fields.js';

test('a field applies while every condition of its "when" holds, compared as text', () => {
  eq(applies(byName('height'), { gridType: '2d' }), true);
  eq(applies(byName('height'), { gridType: '3d' }), false);
  eq(applies(byName('layers'), { gridType: ' 3d ' }), true, 'blanks around a value do not count');
  eq(applies(byName('kernel'), {}), true, 'no conditions: always');
  eq(holds({ field: 'threads', value: '0' }, { threads: 0 }), true, 'a number compares as its text');
  eq(applies({ name: 'x', when: [{ field: 'a', value: '1' }, { field: 'b', value: '2' }] }, { a: 1, b: 3 }), false);
});

test('help: the chosen choice\'s own, else a helpWhen that holds, else the field\'s', () => {
  eq(helpFor(byName('gridType'), { gridType: '2d' }), 'A dense layer maps the image onto H cells.');
  eq(helpFor(byName('gridType'), { gridType: '3d' }), '2D: the published grid; 3D: image-shaped sheets.',
    'a choice without help keeps the field\'s');
  eq(helpFor(byName('kernel'), { gridType: '3d' }), 'k×k window over the previous sheet; at most 55.');
  eq(helpFor(byName('kernel'), { gridType: '2d' }), 'Window over the previous layer; at most 2H−1.');
  eq(helpFor(byName('dataset'), { dataset: 'synthetic' }), 'Generated images.');
});

test('limits in words, with what 0 stands for', () => {
  eq(limitsText(byName('kernel')), 'odd, 3–63');
  eq(limitsText(byName('threads')), '0–256 · 0: all cores');
  eq(limitsText(byName('backend')), '');
});

test('choices show their label beside the id', () => {
  eq(choiceText(byName('gridType'), '3d'), '3d: layers are 28×28 sheets');
  eq(choiceText(byName('activation'), 'relu'), 'relu');
  eq(choiceText(byName('activation'), 'swish'), 'swish', 'an unknown id as it is');
});

test('values as the tables show them: units, zero meanings, choices, rounding', () => {
  eq(formatValue(byName('layers'), 4), '4 sheets of 28×28');
  eq(formatValue(byName('layers'), 1), '1 sheet of 28×28');
  eq(formatValue(byName('threads'), 0), '0 (all cores)');
  eq(formatValue(byName('threads'), 1), '1 thread');
  eq(formatValue(byName('checkpointEvery'), 0), '0 (only at the end)');
  eq(formatValue(byName('checkpointEvery'), 10), '10 epochs');
  eq(formatValue(byName('gridType'), '2d'), '2d: layers are columns of H cells');
  eq(formatValue(byName('lr'), 0.1 + 0.2), '0.3');
  eq(formatValue(byName('kernel'), 3), '3');
  eq(formatValue(byName('backend'), 'opencl:0'), 'opencl:0');
  eq(formatValue(byName('height'), null), '–');
  eq(formatValue(null, 1.23456789012), '1.2345679', 'a key with no descriptor');
  eq(singular('images per class'), 'image per class');
  eq(singular('cells'), 'cell');
});

test('form text is sent as a number where it is one, else as the text for the server to judge', () => {
  eq(parseInput(byName('height'), ' 64 '), 64);
  eq(parseInput(byName('height'), '6.5'), '6.5');
  eq(parseInput(byName('height'), '99999999999999999999'), '99999999999999999999', 'beyond the safe integers');
  eq(parseInput(byName('lr'), '1e-4'), 0.0001);
  eq(parseInput(byName('lr'), ''), '');
  eq(parseInput(byName('lr'), 'fast'), 'fast');
  eq(parseInput(byName('gridType'), '3d'), '3d');
  eq(parseInput(byName('threads'), '-1'), -1);
});

test('sections keep the fields\' order and their titles', () => {
  deepEq(sections(FIELDS).map(s => [s.section, s.title, s.fields.length]),
    [['grid', 'Grid', 5], ['optimisation', 'Optimisation (Adam)', 2], ['data', 'Data', 2], ['compute', 'Compute', 2]]);
});

test('a recipe sets every field to its default overlaid with its values, keeping the grid type', () => {
  const quick = recipeValues(FIELDS, RECIPES[1], { gridType: '3d', height: 7, lr: 5 });
  eq(quick.gridType, '3d');
  eq(quick.height, 32);
  eq(quick.layers, 8);
  eq(quick.lr, 0.001);
  eq(quick.kernel, 3, 'a field the recipe does not set takes its default');
  eq(quick.backend, 'auto');
  const published = recipeValues(FIELDS, RECIPES[0], { gridType: '2d', dataset: 'synthetic' });
  eq(published.dataset, 'fashion-mnist');
  eq(published.gridType, '2d');
  eq(recipeValues(FIELDS, { ...RECIPES[0], keeps: ['dataset'] }, { gridType: '3d', dataset: 'synthetic' }).gridType,
    '2d', 'a recipe that says what it keeps');
});

test('a configuration table: the fields that apply in order, then unknown keys', () => {
  const rows = configRows(FIELDS, { threads: 0, gridType: '3d', height: 64, layers: 4, dataset: 'fashion-mnist',
    samples: 60000, future: 1.5, lr: 0.0001 });
  deepEq(rows.map(r => r.name), ['gridType', 'layers', 'lr', 'dataset', 'threads', 'future']);
  deepEq(rows.map(r => r.label), ['Grid type', 'Layers L', 'Learning rate', 'Dataset', 'CPU threads', 'future']);
  deepEq(rows.map(r => r.text), ['3d: layers are 28×28 sheets', '4 sheets of 28×28', '0.0001',
    'fashion-mnist: 60,000 / 10,000 images', '0 (all cores)', '1.5']);
});

test('a comparison: "–" where a field does not apply, differences marked, empty rows left out', () => {
  const rows = diffRows(FIELDS, [{ gridType: '2d', height: 16, layers: 64, kernel: 3 },
    { gridType: '3d', height: 64, layers: 3, kernel: 3, extra: 'x' }]);
  deepEq(rows.map(r => [r.name, r.values, r.differs]), [
    ['gridType', ['2d: layers are columns of H cells', '3d: layers are 28×28 sheets'], true],
    ['height', ['16 cells', '–'], true],
    ['layers', ['–', '3 sheets of 28×28'], true],
    ['kernel', ['3', '3'], false],
    ['extra', ['–', 'x'], true],
  ]);
});

test('the estimate line from the server\'s check', () => {
  eq(estimateText({ errors: [], grid: '28x28x4', parameters: 14122, estimatedBytes: 2860832 }),
    '14,122 parameters · about 2.7 MiB while training · 28×28×4 grid');
  eq(estimateText({ errors: [{ field: 'height', message: 'must be a whole number' }] }), '');
  eq(estimateText(null), '');
  eq(fmtBytes(64 * 1048576), '64 MiB');
  eq(fmtBytes(1.5 * 1073741824), '1.5 GiB');
});

test('recipe buttons keep the ids the page has always had; others are recipe-<id>', () => {
  eq(recipeButtonId('published'), 'reset-recipe');
  eq(recipeButtonId('quick-look'), 'quick-look');
  eq(recipeButtonId('fast'), 'recipe-fast');
  eq(recipeButtonId('constructor'), 'recipe-constructor');
});
