// The provider's organisation: its name, legal nature and own contact (PATCH
// /api/providers/{id}). The name and legal nature wait for the municipality's review; the
// contact goes live at once. Refused fields are explained one by one, as on the service forms.
import { t } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { call, why } from './provider-api.js';

const NATURES = ['ipss', 'misericordia', 'public', 'private_for_profit', 'cooperative', 'mutual_association', 'unknown'];

// The organisation's fields: where the value is in GET /api/providers/{id}, and its input.
const FIELDS = [
  { key: 'name', get: (o) => o.name, type: 'text', auto: 'organization' },
  { key: 'legal_nature', get: (o) => o.legal_nature, select: NATURES },
  { key: 'phone', get: (o) => o.contact?.phone, type: 'tel', auto: 'tel' },
  { key: 'email', get: (o) => o.contact?.email, type: 'email', auto: 'email' },
  { key: 'website', get: (o) => o.contact?.website, type: 'url', auto: 'url' },
];

const text = (v) => (v === null || v === undefined ? '' : String(v));

function input(f, id, value, errId) {
  if (!f.select) {
    return h('input', { id, name: f.key, type: f.type, value, autocomplete: f.auto || 'off', 'aria-describedby': errId });
  }
  const sel = h('select', { id, name: f.key, 'aria-describedby': errId },
    f.select.map((n) => h('option', { value: n }, t(n === 'unknown' ? 'org.nature.unknown' : `svc.nature.${n}`))));
  sel.value = value || 'unknown';
  return sel;
}

/** Shows the organisation form for a provider id in `#org`; hidden when it has no services. */
export async function showOrganisation(id, invalidText) {
  const r = await call('GET', `/api/providers/${encodeURIComponent(id)}`);
  if (r.status !== 200) return;
  let current = r.body;
  const inputs = {};
  const errors = {};
  const rows = FIELDS.map((f) => {
    const inputId = `org-${f.key}`;
    errors[f.key] = h('p', { id: `${inputId}-error`, class: 'error' });
    inputs[f.key] = input(f, inputId, text(f.get(current)), `${inputId}-error`);
    return h('div', { class: 'field' }, h('label', { for: inputId }, t(`org.field.${f.key}`)), inputs[f.key], errors[f.key]);
  });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, t('prov.save'));
  const result = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'org-form', novalidate: true, 'aria-labelledby': 'org-title' }, rows, button, result);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const changed = {};
    for (const f of FIELDS) {
      errors[f.key].textContent = '';
      inputs[f.key].removeAttribute('aria-invalid');
      const typed = inputs[f.key].value.trim();
      if (typed !== text(f.get(current)).trim()) changed[f.key] = typed === '' ? null : typed;
    }
    if (!Object.keys(changed).length) {
      result.className = 'result';
      result.textContent = t('prov.nochange');
      return;
    }
    button.disabled = true;
    result.className = 'result';
    result.textContent = t('prov.saving');
    const res = await call('PATCH', `/api/providers/${encodeURIComponent(id)}`, changed);
    button.disabled = false;
    if (res.status === 200 || res.status === 202) {
      current = res.body.provider;
      // A field waiting for review keeps its published value in the form.
      for (const f of FIELDS) inputs[f.key].value = text(f.get(current)) || (f.select ? 'unknown' : '');
      result.className = 'result ok';
      result.textContent = t(res.status === 200 ? 'org.saved' : 'org.review');
    } else if (res.status === 422 && res.body?.fields) {
      let first = null;
      for (const [k, msg] of Object.entries(res.body.fields)) {
        if (!inputs[k]) continue;
        errors[k].textContent = invalidText(k === 'name' ? 'org_name' : k, msg);
        inputs[k].setAttribute('aria-invalid', 'true');
        first ||= inputs[k];
      }
      result.className = 'result bad';
      result.textContent = t('prov.invalid');
      first?.focus();
    } else {
      result.className = 'result bad';
      result.textContent = res.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(res) });
    }
  });
  replace($('org-body'), form);
  $('org').hidden = false;
}
