import { ConfigForm } from '/static/config-form.js';
import { SweepForm } from '/static/sweep-form.js';
import { NO_ESTIMATE } from '/static/sweep-text.js';
import { deepEq, eq, ok, settle, test } from './assert.js';
import { FIELDS } from './fields.js';

const RULES = { notSwept: { seed: 'is varied by seeds', backend: 'says where the runs compute',
  threads: 'says where the runs compute' }, maxSeeds: 100, maxRuns: 1000,
modes: [{ id: 'grid', label: 'every combination', help: '' }, { id: 'random', label: 'points drawn', help: '' }] };

const $ = id => document.getElementById(id);

/** The runs page's form with both modes; check answers what answer(body) says, and records the bodies. */
function setUp(answer = body => ({ errors: [], fields: Object.keys(body.sweep), points: 4, runs: 4 * body.seeds,
  estimatedSeconds: 720 })) {
  const form = document.createElement('form');
  form.innerHTML = '<div class="form-errors" hidden></div><div id="form-mode"></div>'
    + '<div class="field"><label for="f-name"><span id="name-label">Run name</span></label><input id="f-name" name="name">'
    + '<div class="field-error" data-field="name"></div></div><div id="sweep-controls" hidden></div>'
    + '<div class="config"></div><div class="estimate" id="sweep-estimate" hidden></div>'
    + '<button type="submit" id="submit-run">Start run</button>';
  document.getElementById('fixture').append(form);
  const runChecks = [];
  const configForm = new ConfigForm(form, form.querySelector('.config'), FIELDS, {
    check: async config => { runChecks.push(config); return { errors: [], grid: '64x64', parameters: 1, estimatedBytes: 1 }; },
  });
  configForm.bind();
  configForm.setDevices([]);
  configForm.fill(Object.fromEntries(FIELDS.map(f => [f.name, f.default])));
  const sweepChecks = [];
  const sweepForm = new SweepForm(configForm, { toggle: $('form-mode'), controls: $('sweep-controls'),
    estimate: $('sweep-estimate'), nameInput: $('f-name'), nameLabel: $('name-label'), rules: RULES,
    check: async body => { sweepChecks.push(body); return answer(body); } });
  return { form, configForm, sweepForm, runChecks, sweepChecks };
}

function change(id, value) {
  const input = $(id);
  if (input.type === 'checkbox' || input.type === 'radio') input.checked = value;
  else input.value = value;
  const kind = input.tagName === 'SELECT' || input.type === 'checkbox' || input.type === 'radio' ? 'change' : 'input';
  input.dispatchEvent(new Event(kind, { bubbles: true }));
}

/** Lets the debounced check go out and its answer come back. */
async function answered() {
  await new Promise(resolve => setTimeout(resolve, 300));
  await settle();
}

test('one-run mode is the form as it was: no sweep controls, number inputs, a select per choice', () => {
  const { sweepForm } = setUp();
  eq(sweepForm.active, false);
  eq($('mode-one').checked, true);
  eq($('sweep-controls').hidden, true);
  eq($('f-kernel').type, 'number');
  eq($('f-activation').hidden, false);
  eq($('f-activation-relu'), null, 'no boxes until sweep mode is used');
  eq($('submit-run').textContent, 'Start run');
});

test('sweep mode: lists in number fields, boxes for choices, the sweep\'s own controls', async () => {
  const { sweepForm, sweepChecks } = setUp();
  change('mode-sweep', true);
  eq(sweepForm.active, true);
  eq($('sweep-controls').hidden, false);
  eq($('f-kernel').type, 'text', 'a number input refuses the comma');
  eq($('f-threads').type, 'number', 'a field the server never sweeps keeps one value');
  ok($('f-threads').closest('.field').title.includes('says where the runs compute'));
  eq($('f-activation').hidden, true);
  eq($('f-activation-sin').checked, true, 'the chosen value ticked');
  eq($('f-activation-relu').checked, false);
  eq($('f-seeds').value, '1');
  eq($('f-seeds').max, '100');
  eq($('f-points').closest('.field').hidden, true, 'points: random mode only');
  eq($('name-label').textContent, 'Sweep name');
  eq($('submit-run').textContent, 'Start sweep');
  await answered();

  change('f-kernel', '3,5');
  change('f-activation-relu', true);
  change('f-seeds', '2');
  change('f-name', 'kernels');
  await answered();
  const body = sweepChecks[sweepChecks.length - 1];
  deepEq(body.sweep, { kernel: [3, 5], activation: ['sin', 'relu'] });
  eq(body.seeds, 2);
  eq(body.name, 'kernels');
  eq(body.base.lr, 0.0001);
  deepEq(sweepForm.body(), body);
  eq($('sweep-estimate').textContent, '4 points × 2 seeds = 8 runs · about 12 min one after another');
});

test('random mode shows the number of points and takes ranges', async () => {
  const { sweepChecks } = setUp();
  change('mode-sweep', true);
  change('f-mode', 'random');
  eq($('f-points').closest('.field').hidden, false);
  ok($('f-lr').placeholder.includes('..'), $('f-lr').placeholder);
  change('f-lr', '1e-4..1e-2');
  change('f-points', '6');
  await answered();
  const body = sweepChecks[sweepChecks.length - 1];
  eq(body.mode, 'random');
  eq(body.points, 6);
  eq(body.sweep.lr, '1e-4..1e-2');
});

test('the check\'s errors sit next to their fields without taking the focus; fixed, they go', async () => {
  let errors = [{ field: 'kernel', message: 'must be at most 7 for a layer of 4 cells, got 9 (point kernel=9)' },
    { field: 'base.lr', message: 'must be above 0' }];
  const { form } = setUp(body => ({ errors, fields: Object.keys(body.sweep), points: 2, runs: 2,
    estimatedSeconds: null }));
  change('mode-sweep', true);
  $('f-name').focus();
  change('f-kernel', '3,9');
  await answered();
  const kernelError = form.querySelector('.field-error[data-field="kernel"]');
  ok(kernelError.textContent.includes('(point kernel=9)'), kernelError.textContent);
  eq(form.querySelector('.field-error[data-field="lr"]').textContent, 'must be above 0', 'a base field\'s error');
  eq(document.activeElement, $('f-name'), 'the focus stays');
  eq(form.querySelector('.form-errors').hidden, true, 'every error has its field');
  eq($('sweep-estimate').textContent, '2 points × 1 seed = 2 runs', 'no time for a sweep that cannot start');
  errors = [];
  change('f-kernel', '3,5');
  eq(kernelError.textContent, '', 'typing clears the field\'s error at once');
  await answered();
  eq(form.querySelector('.field-error[data-field="lr"]').textContent, '');
  eq($('sweep-estimate').textContent, `2 points × 1 seed = 2 runs · ${NO_ESTIMATE}`);
});

test('the sweep\'s own errors go to its controls, or to the box when no field shows them', async () => {
  const { form } = setUp(() => ({ errors: [{ field: 'seeds', message: 'must be between 1 and 100, got 0' },
    { field: 'sweep', message: '2000 points x 1 seeds make more than 1000 runs' },
    { field: 'body', message: 'odd' }], points: null, runs: null, estimatedSeconds: null }));
  change('mode-sweep', true);
  change('f-seeds', '0');
  await answered();
  eq(form.querySelector('.field-error[data-field="seeds"]').textContent, 'must be between 1 and 100, got 0');
  ok(form.querySelector('.field-error[data-field="sweep"]').textContent.includes('more than 1000'));
  eq(form.querySelector('.form-errors').hidden, false);
  eq(form.querySelector('.form-errors').textContent, 'body: odd');
  eq($('sweep-estimate').textContent, '');
});

test('a swept grid type shows the fields of every grid type it lists', async () => {
  setUp();
  change('mode-sweep', true);
  eq($('f-layers').closest('.field').hidden, true);
  change('f-gridType-3d', true);
  eq($('f-layers').closest('.field').hidden, false);
  eq($('f-height').closest('.field').hidden, false);
  change('f-gridType-2d', false);
  eq($('f-height').closest('.field').hidden, true);
  eq($('f-gridType').value, '3d', 'the select follows the first ticked box');
});

test('back to one run: the first value of each list, number inputs again, one run\'s check', async () => {
  const { sweepForm, runChecks } = setUp();
  change('mode-sweep', true);
  change('f-kernel', '5,7');
  change('f-activation-relu', true);
  change('f-activation-sin', false);
  change('f-mode', 'random');
  change('f-lr', '1e-3..1e-2');
  await answered();
  const before = runChecks.length;
  change('mode-one', true);
  eq(sweepForm.active, false);
  eq($('f-kernel').type, 'number');
  eq($('f-kernel').value, '5');
  eq($('f-lr').value, '1e-3');
  eq($('f-activation').value, 'relu');
  eq($('f-activation').hidden, false);
  eq($('sweep-controls').hidden, true);
  eq($('sweep-estimate').hidden, true);
  eq($('name-label').textContent, 'Run name');
  await settle();
  ok(runChecks.length > before, 'one run\'s estimate asked again');
  eq(runChecks[runChecks.length - 1].kernel, 5);
});

test('submitting sends the body the check saw', async () => {
  const { sweepForm } = setUp();
  change('mode-sweep', true);
  change('f-kernel', '3,5');
  let sent = null;
  const reply = await sweepForm.submit(async body => { sent = body; return { id: 'abc', runs: 2 }; });
  eq(reply.id, 'abc');
  deepEq(sent.sweep, { kernel: [3, 5] });
  eq(sent.mode, 'grid');
});
