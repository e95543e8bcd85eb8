// A service chosen on the map that is not among the results: its card above the results,
// with the report-a-problem form.
import { t } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { state } from './page-state.js';
import { serviceCard } from './service-card.js';
import { reportForm } from './report-form.js';

// What the page passes in from above (the results list sits above this module).
let ctx = null;

/** ctx: {selectResult(id, opts)} — selects a service that is among the results. */
export function initSelected(c) {
  ctx = c;
}

/** A service clicked on the map: the result when it is one, else a card above the results. */
export async function chooseService(id) {
  if (state.results?.features.some((f) => f.properties.id === id)) return ctx.selectResult(id, { scroll: true, fly: false });
  state.selectedFeature = { loading: true, id };
  renderSelected();
  try {
    const f = await api.service(id);
    if (state.selectedFeature?.id !== id) return null;
    state.selectedFeature = f;
  } catch {
    state.selectedFeature = { error: true, id };
  }
  renderSelected();
  const box = $('selected');
  box.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  box.focus({ preventScroll: true });
  return null;
}

export function renderSelected() {
  const box = $('selected');
  const f = state.selectedFeature;
  if (!f) {
    box.hidden = true;
    replace(box);
    return;
  }
  box.hidden = false;
  const close = h('button', {
    type: 'button', class: 'btn', onclick: () => { state.selectedFeature = null; renderSelected(); },
  }, t('svc.close'));
  const head = h('div', { class: 'selected-head' }, h('p', { id: 'selected-title' }, t('svc.selected')), close);
  if (f.loading) return replace(box, head, h('p', {}, t('svc.loading')));
  if (f.error) {
    return replace(box, head, h('div', { class: 'note note-error' }, h('p', {}, t('svc.error')),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => chooseService(f.id) }, t('state.retry'))));
  }
  replace(box, head, serviceCard(f, { headingId: 'selected-name' }), reportForm(f.id));
  return null;
}
