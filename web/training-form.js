// The form of a training offer in the provider area: a new offer (POST /api/training) or an
// offer of the account's (PATCH /api/training/{id}, only what changed). Refused fields (422
// {"error", "fields": {name: message}}) get a message each under the field, and the first the
// focus.
import { t } from './i18n.js';
import { h } from './dom.js';
import { call, why } from './provider-api.js';
import { showFieldErrors, fieldWords } from './form-errors.js';

export const AUDIENCES = ['workers', 'managers', 'volunteers'];
const MODALITIES = ['in_person', 'online', 'mixed'];

/**
 * The fields: `key` (the form's name; `enrol_url` is enrol.url), how to read it from an offer's
 * properties, and its input: a `type`, `checks` (several of a list) or `select` (one of a list).
 * `lists` (profiles, municipalities) come in when the form is built.
 */
function fields(lists) {
  return [
    { key: 'title', type: 'text', required: true },
    { key: 'organiser', get: (p) => p.organiser?.name, type: 'text', auto: 'organization' },
    { key: 'profiles', checks: lists.profiles.map((x) => [x.code, x.title]) },
    { key: 'audience', checks: AUDIENCES.map((a) => [a, t(`pro.audience.${a}`)]) },
    { key: 'modality', select: MODALITIES.map((m) => [m, t(`tr.modality.${m}`)]) },
    { key: 'start', type: 'date', required: true },
    { key: 'end', type: 'date', required: true },
    { key: 'schedule', type: 'text' },
    { key: 'hours', type: 'number', step: '0.5' },
    { key: 'address', type: 'text', auto: 'street-address' },
    { key: 'postal_code', type: 'text', auto: 'postal-code' },
    { key: 'locality', type: 'text' },
    { key: 'municipality', select: [['', t('trf.municipality.none')], ...lists.municipalities.map((m) => [m.code, m.name])] },
    { key: 'cost_eur', type: 'number', step: '0.01' },
    { key: 'funding', type: 'text' },
    { key: 'places', type: 'number', step: '1' },
    { key: 'places_left', type: 'number', step: '1' },
    { key: 'enrol_url', get: (p) => p.enrol?.url, type: 'url', auto: 'url' },
    { key: 'enrol_phone', get: (p) => p.enrol?.phone, type: 'tel', auto: 'tel' },
    { key: 'enrol_email', get: (p) => p.enrol?.email, type: 'email', auto: 'email' },
    { key: 'language', select: [['pt', t('tr.language.pt')], ['en', t('tr.language.en')]] },
  ];
}

const text = (v) => (v === null || v === undefined ? '' : String(v));

/** An input (or group of check boxes, or select) for a field, filled with `value`. */
function control(f, id, value, errId) {
  if (f.checks) {
    const chosen = new Set(value || []);
    return h('div', { class: 'checks', role: 'group', 'aria-labelledby': `${id}-label`, 'aria-describedby': errId, id },
      f.checks.map(([v, label]) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: f.key, value: v, checked: chosen.has(v) }), h('span', {}, label))));
  }
  if (f.select) {
    const sel = h('select', { id, name: f.key, 'aria-describedby': errId },
      f.select.map(([v, label]) => h('option', { value: v }, label)));
    sel.value = text(value) || f.select[0][0];
    return sel;
  }
  return h('input', {
    id, name: f.key, type: f.type, value: text(value), step: f.step, min: f.type === 'number' ? '0' : null,
    inputmode: f.type === 'number' ? 'decimal' : null, autocomplete: f.auto || 'off',
    required: f.required, 'aria-describedby': errId,
  });
}

/** A field's value as typed: a list for check boxes, a number, a string, or null when empty. */
function read(f, el) {
  if (f.checks) return [...el.querySelectorAll('input:checked')].map((i) => i.value);
  const v = el.value.trim();
  if (v === '') return null;
  return f.type === 'number' ? Number(v.replace(',', '.')) : v;
}

/** A field's value in an offer's properties (as read() gives it). */
function current(f, p) {
  const v = f.get ? f.get(p) : p[f.key];
  if (f.checks) return v || [];
  return v === undefined || v === '' ? null : v;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** The API's body from the form's values: enrol and organiser as objects. */
function body(values, keys) {
  const out = {};
  for (const k of keys) {
    if (k.startsWith('enrol_')) out.enrol = { url: values.enrol_url, phone: values.enrol_phone, email: values.enrol_email };
    else if (k === 'organiser') out.organiser = { name: values.organiser };
    else out[k] = values[k];
  }
  return out;
}

const ENROL = ['enrol_url', 'enrol_phone', 'enrol_email'];

/** Where the server's name for a field is on the form: {input(s), error}, or null (not on it).
 * `enrol` is its three inputs, its message under the last; `position` (or lon/lat) is the
 * address, the help of which says it places the offer. */
function placeFor(name, inputs, errors) {
  if (inputs[name]) return { input: inputs[name], error: errors[name] };
  if (name === 'enrol') return { input: ENROL.map((k) => inputs[k]), error: errors.enrol_email };
  if (['position', 'lon', 'lat'].includes(name)) return { input: inputs.address, error: errors.address };
  return null;
}

/**
 * The form, for `offer` (a Feature of /api/me/training) or a new one (null). `lists`:
 * {profiles, municipalities, organiser (the account's organisation's name)}; `onSaved(answer)`
 * after a 200/201.
 */
export function trainingForm(offer, lists, onSaved) {
  const p = offer?.properties || { organiser: { name: lists.organiser || '' }, language: 'pt', modality: 'in_person', cost_eur: 0 };
  const uid = offer ? `trf-${p.id}` : 'trf-new';
  const all = fields(lists);
  const inputs = {};
  const errors = {};
  const rows = all.map((f) => {
    const id = `${uid}-${f.key}`;
    errors[f.key] = h('p', { id: `${id}-error`, class: 'error' });
    inputs[f.key] = control(f, id, current(f, p), `${id}-error ${id}-help`);
    const help = t(`trf.help.${f.key}`);
    return h('div', { class: 'field' },
      h(f.checks ? 'p' : 'label', f.checks ? { id: `${id}-label`, class: 'label' } : { for: id }, t(`trf.field.${f.key}`)),
      help !== `trf.help.${f.key}` ? h('p', { id: `${id}-help`, class: 'help' }, help) : null,
      inputs[f.key], errors[f.key]);
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary btn-wide' }, t(offer ? 'prov.save' : 'trf.publish'));
  const result = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { class: 'training-form', novalidate: true, dataset: { offer: p.id || '' } }, rows, button, result);
  const say = (cls, msg) => { result.className = `result ${cls}`; result.textContent = msg; };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const f of all) {
      values[f.key] = read(f, inputs[f.key]);
      errors[f.key].textContent = '';
      inputs[f.key].removeAttribute('aria-invalid');
    }
    const missing = all.find((f) => f.required && values[f.key] === null);
    if (missing) {
      errors[missing.key].textContent = t('trf.required');
      inputs[missing.key].setAttribute('aria-invalid', 'true');
      inputs[missing.key].focus();
      return say('bad', t('prov.invalid'));
    }
    const changed = all.filter((f) => !offer || !same(values[f.key], current(f, p))).map((f) => f.key);
    if (!changed.length) return say('', t('prov.nochange'));
    button.disabled = true;
    say('', t('prov.saving'));
    const res = offer
      ? await call('PATCH', `/api/training/${encodeURIComponent(p.id)}`, body(values, changed))
      : await call('POST', '/api/training', body(values, all.map((f) => f.key)));
    button.disabled = false;
    if (res.status === 200 || res.status === 201) {
      const pending = res.status === 201 ? res.body?.status === 'pending' : (res.body?.pending || []).length > 0;
      say('ok', t(pending ? 'trf.pending' : 'trf.published'));
      onSaved?.(res.body, pending);
    } else if (res.status === 422 && res.body?.fields) {
      const label = (k) => t(`trf.field.${k}`) === `trf.field.${k}` ? k : t(`trf.field.${k}`);
      const elsewhere = showFieldErrors(res.body.fields, (k) => placeFor(k, inputs, errors), fieldWords('trf.invalid', label));
      say('bad', [t('prov.invalid'), ...elsewhere].join(' '));
    } else {
      say('bad', res.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(res) }));
    }
  });
  return form;
}
