// Training offers in the professionals view: asking /api/training with the view's choices
// (profile, audience, dates, municipality, the point to be near), the status line, the
// numbered list nearest or soonest first, and the offers on the map.
import { t, num } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, narrow } from './dom.js';
import { state, bmap } from './page-state.js';
import { trainingCard } from './training-card.js';

let seq = 0;

const round5 = (x) => Math.round(x * 1e5) / 1e5;

/** The profile's title from /api/profiles (its code until the list has loaded). */
function profileTitle(code) {
  return state.pro.profiles?.find((p) => p.code === code)?.title || code;
}

/** The offers in the order shown: nearest first (the server's order with a point), else soonest. */
function ordered(features) {
  const p = state.pro;
  if (p.near && p.order === 'near') return features;
  return [...features].sort((a, b) => String(a.properties.start).localeCompare(String(b.properties.start))
    || String(a.properties.title).localeCompare(String(b.properties.title), 'pt'));
}

/** Asks for the offers again with the view's choices; `focusList` moves the focus to the list. */
export async function loadTraining({ focusList = false } = {}) {
  const p = state.pro;
  const run = ++seq;
  p.status = { kind: 'loading' };
  $('training-list').dataset.state = 'loading';
  renderTrainingStatus();
  let fc;
  try {
    fc = await api.training({
      profile: p.profile, audience: p.audience, municipality: p.municipality, from: p.from, to: p.to,
      near: p.near ? `${p.near.lon},${p.near.lat}` : '', limit: 100,
    });
  } catch {
    if (run !== seq) return;
    $('training-list').dataset.state = 'error';
    p.status = { kind: 'error' };
    renderTrainingStatus();
    return;
  }
  if (run !== seq) return;
  p.results = { ...fc, features: ordered(fc.features) };
  p.selectedId = null;
  p.status = { kind: 'results' };
  renderTraining();
  showOnMap({ fit: true });
  if (focusList) $('pro-results').focus();
}

/** Training near a point (a click on the map, or the user's location): nearest first. */
export function trainingNear({ lon, lat, how }) {
  state.pro.near = { lon: round5(lon), lat: round5(lat), how };
  state.pro.order = 'near';
  for (const r of document.querySelectorAll('input[name="training-order"]')) r.checked = r.value === 'near';
  loadTraining();
  if (narrow() && how !== 'point') $('pro-results').scrollIntoView({ behavior: 'smooth', block: 'start' });
}

/** The user's location as the point to be near. */
export function locateForTraining() {
  if (!navigator.geolocation) {
    state.pro.status = { kind: 'geo.unsupported' };
    renderTrainingStatus();
    return;
  }
  state.pro.status = { kind: 'locating' };
  renderTrainingStatus();
  navigator.geolocation.getCurrentPosition(
    (pos) => trainingNear({ lon: pos.coords.longitude, lat: pos.coords.latitude, how: 'location' }),
    () => { state.pro.status = { kind: 'geo.denied' }; renderTrainingStatus(); },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
}

/** Lets go of every choice (the "show all offers" way out of an empty list). */
function clearChoices() {
  Object.assign(state.pro, { profile: '', audience: '', from: '', to: '', municipality: '' });
  for (const id of ['training-profile', 'training-audience', 'training-from', 'training-to', 'training-municipality']) $(id).value = '';
  loadTraining();
}

/** Forgets the point: the offers soonest first. */
function forgetPoint() {
  state.pro.near = null;
  loadTraining();
}

export function renderTrainingStatus() {
  const s = state.pro.status;
  const box = $('training-status');
  if (!s) return replace(box);
  const note = (cls, ...kids) => h('div', { class: `note ${cls}` }, ...kids);
  switch (s.kind) {
    case 'loading': return replace(box, h('p', {}, t('pro.tr.loading')));
    case 'locating': return replace(box, h('p', {}, t('state.locating')));
    case 'geo.denied': case 'geo.unsupported': return replace(box, note('note-warn', t(`state.${s.kind}`)));
    case 'error': return replace(box, note('note-error', h('p', {}, t('pro.tr.error')),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => loadTraining() }, t('state.retry'))));
    case 'results': {
      const p = state.pro;
      const n = p.results.features.length;
      if (!n) {
        return replace(box, note('note-warn', h('p', {}, t('pro.tr.none')), h('p', {}, t('pro.tr.none.next')),
          h('button', { type: 'button', class: 'btn btn-primary', id: 'training-clear', onclick: clearChoices }, t('pro.tr.clear'))));
      }
      const order = p.near && p.order === 'near' ? `pro.tr.order.${p.near.how}` : 'pro.tr.order.date';
      return replace(box,
        h('p', { class: 'summary' }, t('pro.tr.found', { n: num(n) })),
        h('p', {}, t(order)),
        !p.near && p.order === 'near' ? h('p', { class: 'help' }, t('pro.tr.order.nopoint')) : null,
        p.near ? h('button', { type: 'button', class: 'btn btn-link', onclick: forgetPoint }, t('pro.tr.forget')) : null);
    }
    default: return replace(box);
  }
}

/** The numbered list (again, in the page's language). */
export function renderTraining() {
  const p = state.pro;
  const list = $('training-list');
  renderTrainingStatus();
  if (!p.results) return replace(list);
  list.dataset.state = p.results.features.length ? 'done' : 'empty';
  replace(list, p.results.features.map((f, i) => h('li', {
    class: `result${f.properties.id === p.selectedId ? ' is-selected' : ''}`,
    dataset: { id: f.properties.id, rank: String(i + 1) },
  }, trainingCard(f, { rank: i + 1, profileTitle, onShow: (id) => selectOffer(id, { fly: true, toMap: true }) }))));
}

/** The placed offers and the point on the map, numbered as in the list. */
export function showOnMap({ fit = false } = {}) {
  const p = state.pro;
  const features = (p.results?.features || []).map((f, i) => ({ f, rank: i + 1 })).filter((x) => x.f.geometry);
  bmap?.showTraining(p.near, features, p.selectedId, { fit });
}

/** Highlights an offer in the list and on the map (from the map's badge or the card's button). */
export function selectOffer(id, { fly = false, toMap = false, scroll = false } = {}) {
  state.pro.selectedId = id;
  for (const li of $('training-list').children) li.classList.toggle('is-selected', li.dataset.id === id);
  bmap?.selectTraining(id, { fly });
  if (toMap && narrow()) $('map-area').scrollIntoView({ behavior: 'smooth' });
  if (scroll) {
    const li = $('training-list').querySelector(`li[data-id="${CSS.escape(id)}"]`);
    const title = li?.querySelector('h3');
    if (title) {
      li.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      title.setAttribute('tabindex', '-1');
      title.focus({ preventScroll: true });
    }
  }
}
