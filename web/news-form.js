// Writing the news on the coordination dashboard (admins): a form for a new item or a
// correction (POST /api/news, PATCH /api/news/{id}) and the latest items, each with "edit" and
// "delete" after a confirmation step. The text is Markdown; the map page shows it as the server
// renders it.
import { t, day } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { api } from './api.js';
import { why } from './provider-api.js';
import { confirmStep } from './confirm-step.js';
import { showFieldErrors, fieldWords } from './form-errors.js';

const FIELDS = [
  { key: 'title', type: 'text', required: true },
  { key: 'date', type: 'date' },
  { key: 'municipality', select: true },
  { key: 'link', type: 'url' },
  { key: 'text', area: true, required: true },
];

/** Shows the form and the list in #dash-news-body; `call` is the provider area's fetch. */
export async function showNewsForm({ call }) {
  const body = $('dash-news-body');
  const munis = await api.municipalities().then((fc) => fc.features.map((f) => f.properties), () => []);
  let editing = null; // the item being corrected, or null for a new one
  const inputs = {};
  const errors = {};
  const rows = FIELDS.map((f) => {
    const id = `news-${f.key}`;
    errors[f.key] = h('p', { id: `${id}-error`, class: 'error' });
    inputs[f.key] = f.area
      ? h('textarea', { id, name: f.key, rows: '6', 'aria-describedby': `${id}-error ${id}-help` })
      : f.select
        ? h('select', { id, name: f.key, 'aria-describedby': `${id}-error` },
          h('option', { value: '' }, t('news.municipality.none')),
          [...munis].sort((a, b) => a.name.localeCompare(b.name, 'pt')).map((m) => h('option', { value: m.code }, m.name)))
        : h('input', { id, name: f.key, type: f.type, required: f.required, 'aria-describedby': `${id}-error` });
    return h('div', { class: 'field' }, h('label', { for: id }, t(`news.field.${f.key}`)),
      f.area ? h('p', { id: `${id}-help`, class: 'help' }, t('news.text.help')) : null,
      inputs[f.key], errors[f.key]);
  });
  const heading = h('h4', { id: 'news-form-title' }, t('news.new'));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('news.publish'));
  const cancel = h('button', { type: 'button', class: 'btn', hidden: true }, t('news.cancel'));
  const result = h('p', { id: 'news-result', class: 'result', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'news-form', novalidate: true, 'aria-labelledby': 'news-form-title' },
    rows, h('div', { class: 'dash-actions' }, submit, cancel), result);
  const list = h('ul', { id: 'news-admin-list', class: 'cards' });
  const say = (cls, msg) => { result.className = `result ${cls}`; result.textContent = msg; };

  const fill = (item) => {
    editing = item;
    for (const f of FIELDS) inputs[f.key].value = item?.[f.key] ?? '';
    heading.textContent = item ? t('news.edit.title', { title: item.title }) : t('news.new');
    submit.textContent = t(item ? 'prov.save' : 'news.publish');
    cancel.hidden = !item;
  };
  cancel.addEventListener('click', () => { fill(null); say('', ''); inputs.title.focus(); });

  const refresh = async () => {
    const r = await call('GET', '/api/news?limit=50');
    const items = r.body?.items || [];
    replace(list, items.length ? items.map((n) => newsCard(n)) : h('li', {}, t('pro.news.none')));
  };

  const newsCard = (n) => {
    const out = h('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
    const edit = h('button', { type: 'button', class: 'btn' }, t('news.edit'));
    edit.addEventListener('click', () => { fill(n); say('', ''); form.scrollIntoView({ block: 'start' }); inputs.title.focus(); });
    const del = confirmStep({
      label: t('news.delete'), question: t('news.delete.confirm', { title: n.title }), yes: t('news.delete.yes'),
      onYes: async () => {
        const r = await call('DELETE', `/api/news/${n.id}`);
        if (r.status === 200 || r.status === 204) {
          if (editing?.id === n.id) fill(null);
          say('ok', t('news.deleted'));
          await refresh();
          return;
        }
        out.className = 'result bad';
        out.textContent = t('prov.error', { msg: why(r) });
      },
    });
    return h('li', { class: 'card', dataset: { id: n.id } },
      h('h5', { class: 'h4' }, n.title),
      h('p', { class: 'dash-note' }, day(n.date), n.municipality_name ? ` · ${n.municipality_name}` : '', n.demo ? ` · ${t('pro.news.demo')}` : ''),
      h('div', { class: 'dash-actions' }, edit, del[0]), del[1], out);
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const values = {};
    for (const f of FIELDS) {
      errors[f.key].textContent = '';
      inputs[f.key].removeAttribute('aria-invalid');
      const v = inputs[f.key].value.trim();
      values[f.key] = v === '' ? null : v;
    }
    const missing = FIELDS.find((f) => f.required && !values[f.key]);
    if (missing) {
      errors[missing.key].textContent = t('trf.required');
      inputs[missing.key].setAttribute('aria-invalid', 'true');
      inputs[missing.key].focus();
      return say('bad', t('prov.invalid'));
    }
    // A new item without a date is today's (the server's); a correction sends every field.
    if (!editing && !values.date) delete values.date;
    submit.disabled = true;
    say('', t('prov.saving'));
    const r = editing ? await call('PATCH', `/api/news/${editing.id}`, values) : await call('POST', '/api/news', values);
    submit.disabled = false;
    if (r.status === 200 || r.status === 201) {
      say('ok', t(editing ? 'news.saved' : 'news.published'));
      fill(null);
      await refresh();
    } else if (r.status === 422 && r.body?.fields) {
      // Each refused field's message under it (the server names them all at once).
      const place = (k) => (inputs[k] ? { input: inputs[k], error: errors[k] } : null);
      const elsewhere = showFieldErrors(r.body.fields, place, fieldWords('news.invalid', (k) => k));
      say('bad', [t('prov.invalid'), ...elsewhere].join(' '));
    } else {
      say('bad', r.status === 401 ? t('prov.expired') : t('prov.error', { msg: why(r) }));
    }
  });

  replace(body, heading, form, h('h4', {}, t('news.list')), list);
  await refresh();
}
