import { ConfigForm, fillBackendSelect } from '/static/config-form.js';
import { deepEq, eq, ok, settle, test } from './assert.js';
import { FIELDS } from './fields.js';

function setUp(check = async () => ({ errors: [], grid: '64x64', parameters: 59082, estimatedBytes: 64 * 1048576 })) {
  const form = document.createElement('form');
  form.innerHTML = '<div class="form-errors" hidden></div><div class="field"><input id="f-name" name="name">'
    + '<div class="field-error" data-field="name"></div></div><div class="config"></div>';
  document.getElementById('fixture').append(form);
  const checked = [];
  const configForm = new ConfigForm(form, form.querySelector('.config'), FIELDS, {
    check: config => { checked.push(config); return check(config); },
  });
  configForm.bind();
  configForm.setDevices([{ backend: 'opencl:0', name: 'GPU', available: true }]);
  configForm.fill(Object.fromEntries(FIELDS.map(f => [f.name, f.default])));
  return { form, configForm, checked };
}

const $ = id => document.getElementById(id);

function change(id, value) {
  const input = $(id);
  input.value = value;
  input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
}

test('one fieldset per section, an input per field with its limits', () => {
  const { form } = setUp();
  deepEq([...form.querySelectorAll('fieldset legend')].map(l => l.textContent),
    ['Grid', 'Optimisation (Adam)', 'Data', 'Compute']);
  for (const f of FIELDS) {
    ok($(`f-${f.name}`), `no input for ${f.name}`);
    ok($(`${f.name}-help`), `no help for ${f.name}`);
    ok(form.querySelector(`.field-error[data-field="${f.name}"]`), `no error slot for ${f.name}`);
  }
  eq($('f-kernel').type, 'number');
  eq($('f-kernel').step, '2', 'odd: steps of 2');
  eq($('f-kernel').min, '3');
  eq($('f-height').max, '4096');
  eq($('f-lr').type, 'text');
  eq($('f-lr').inputMode, 'decimal');
  eq($('f-lr').value, '0.0001');
  eq($('f-gridType').options[1].textContent, '3d: layers are 28×28 sheets');
  deepEq([...$('f-backend').options].map(o => o.value), ['auto', 'opencl:0', 'java']);
  ok($('kernel-help').textContent.includes('odd, 3–63'), $('kernel-help').textContent);
  ok(form.querySelector('fieldset .estimate'), 'the estimate under the first fieldset');
});

test('fields show, hide and are sent by their conditions; help follows the values', () => {
  const { configForm } = setUp();
  const wrapper = name => $(`f-${name}`).closest('.field');
  eq(wrapper('layers').hidden, true);
  eq(wrapper('samples').hidden, true);
  ok(!('layers' in configForm.config()) && !('samples' in configForm.config()));
  change('f-gridType', '3d');
  eq(wrapper('layers').hidden, false);
  eq(wrapper('height').hidden, true);
  ok($('kernel-help').textContent.startsWith('k×k window'), $('kernel-help').textContent);
  change('f-dataset', 'synthetic');
  eq($('dataset-help').textContent, 'Generated images.');
  const config = configForm.config();
  eq(config.layers, 64);
  eq(config.samples, 60000);
  ok(!('height' in config));
  change('f-lr', '1e-3');
  eq(configForm.config().lr, 0.001);
  change('f-lr', 'fast');
  eq(configForm.config().lr, 'fast', 'text the server will refuse, with its reason');
  change('f-gridType', '2d');
  change('f-height', '');
  eq(configForm.config().height, '', 'an empty number is sent for the server to name');
});

test('the server\'s errors sit next to their fields; typing clears one at once', () => {
  const { form, configForm } = setUp();
  configForm.showErrors([{ field: 'kernel', message: 'must be odd' }, { field: 'samples', message: 'too many' },
    { field: 'name', message: 'too long' }]);
  eq(form.querySelector('.field-error[data-field="kernel"]').textContent, 'must be odd');
  ok($('f-kernel').closest('.field').classList.contains('invalid'));
  eq(form.querySelector('.field-error[data-field="name"]').textContent, 'too long');
  eq(form.querySelector('.form-errors').textContent, 'samples: too many', 'a hidden field\'s error goes on top');
  change('f-kernel', '5');
  eq(form.querySelector('.field-error[data-field="kernel"]').textContent, '');
  ok(!$('f-kernel').closest('.field').classList.contains('invalid'));
  change('f-name', 'x');
  eq(form.querySelector('.field-error[data-field="name"]').textContent, '');
});

test('the estimate is the server\'s answer about the values sent', async () => {
  const { configForm, checked } = setUp();
  await settle();
  eq($('estimate').textContent, '59,082 parameters · about 64 MiB while training · 64×64 grid');
  eq(checked.length, 1);
  eq(checked[0].height, 64);
  configForm.fill({ height: 8 });
  await settle();
  eq(checked.at(-1).height, 8);
});

test('a failed check leaves no estimate', async () => {
  setUp(async () => { throw new Error('down'); });
  await settle();
  eq($('estimate').textContent, '');
});

test('a backend no device names stays selectable', () => {
  const select = document.createElement('select');
  select.append(new Option('opencl:3', 'opencl:3'));
  select.value = 'opencl:3';
  fillBackendSelect(select, [{ backend: 'opencl:0', available: false, note: 'broken' }], 'auto');
  deepEq([...select.options].map(o => [o.value, o.disabled]),
    [['auto', false], ['opencl:0', true], ['java', false], ['opencl:3', false]]);
  eq(select.value, 'opencl:3');
});
