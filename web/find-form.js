// The find form: who the care is for (group, and more precisely Carta Social's subarea), which
// type, and where (a typed place, with choices when several match, or the user's location).
import { t, name, plainName, fold } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';
import { state, K_STEP, K_MAX, bmap } from './page-state.js';
import { mapFilters } from './views.js';
import { groupBadge } from './badges.js';
import { searchFrom, setStatus, renderStatus } from './results.js';

export function renderGroups() {
  const box = $('group-choices');
  const chip = (value, label, badge) => h('label', { class: 'chip' },
    h('input', {
      type: 'radio', name: 'group', value, checked: state.group === value,
      onchange: (e) => {
        if (!e.target.checked) return;
        const subarea = subareasOf(value).some((s) => s.code === state.subarea) ? state.subarea : '';
        setFilters({ group: value, subarea, type: typeFits(state.type, value, subarea) ? state.type : '' });
      },
    }),
    h('span', {}, badge, label));
  replace(box,
    chip('', t('find.group.all')),
    state.taxonomy.groups.map((g) => chip(g.code, name(g), groupBadge(g.code))));
}

/** Whether a response is in the group and the subarea (an empty one is any). */
function fits(r, group, subarea) {
  return (!group || r.group === group) && (!subarea || r.subarea === subarea);
}

function typeFits(type, group, subarea) {
  if (!type) return true;
  const r = state.taxonomy.responses.find((x) => x.code === type);
  return Boolean(r) && fits(r, group, subarea);
}

/** Carta Social's subareas under a group (none without a group: the choice is finer). */
function subareasOf(group) {
  return group ? (state.taxonomy.subareas || []).filter((s) => s.groups.includes(group)) : [];
}

/** The finer choice under the group; hidden when the group has a single subarea. */
function renderSubareas() {
  const sel = $('subarea-select');
  const subs = subareasOf(state.group);
  $('subarea-field').hidden = subs.length < 2;
  replace(sel,
    h('option', { value: '' }, t('find.subarea.any')),
    subs.map((s) => h('option', { value: s.code, selected: s.code === state.subarea }, name(s))));
  sel.value = state.subarea;
}

export function renderTypes() {
  renderSubareas();
  const sel = $('type-select');
  const groups = state.taxonomy.groups.filter((g) => !state.group || g.code === state.group);
  replace(sel,
    h('option', { value: '' }, t('find.type.any')),
    groups.map((g) => h('optgroup', { label: name(g) },
      state.taxonomy.responses.filter((r) => r.group === g.code && fits(r, '', state.subarea))
        .map((r) => h('option', { value: r.code, selected: r.code === state.type }, plainName(r))))));
  sel.value = state.type;
}

/** Chooses a subarea under the current group; a type outside it is let go. */
export function setSubarea(subarea) {
  setFilters({ group: state.group, subarea, type: typeFits(state.type, state.group, subarea) ? state.type : '' });
}

export function setFilters({ group, subarea = '', type }) {
  const changed = group !== state.group || subarea !== state.subarea;
  state.group = group;
  state.subarea = subarea;
  state.type = type;
  if (changed) renderTypes();
  else $('type-select').value = type;
  for (const r of document.querySelectorAll('input[name="group"]')) r.checked = r.value === group;
  if (state.view !== 'plan') bmap?.setFilters(mapFilters());
  // A municipality's listing stays one (all of it, up to the most a list takes).
  if (state.search) searchFrom({ ...state.search, k: state.search.municipality ? K_MAX : K_STEP });
}

/** A typed place: the server's place search (municipalities and localities), or, when it is
 * not available, the municipality names matched here. */
export async function searchByName(text) {
  const q = fold(text);
  $('place-choices').hidden = true;
  if (!q) return setStatus({ kind: 'place.empty' });
  let places;
  try {
    places = (await api.places(text.trim())).places;
  } catch (e) {
    places = e.status === 404 || e.status === 400 ? localPlaces(q) : null;
    if (!places) return setStatus({ kind: 'error', retry: () => searchByName(text) });
  }
  const exact = places.filter((p) => fold(p.name) === q);
  const pick = exact.find((p) => p.kind === 'municipality') || (exact.length === 1 ? exact[0] : null)
    || (places.length === 1 ? places[0] : null);
  if (pick) return searchPlace(pick);
  return offerPlaces(text.trim(), places);
}

function localPlaces(q) {
  const ms = state.municipalities;
  let found = ms.filter((m) => m.folded === q || m.seatFolded === q);
  if (!found.length) found = ms.filter((m) => m.folded.startsWith(q));
  if (!found.length) found = ms.filter((m) => q.split(' ').every((w) => m.folded.includes(w)));
  return found.map((m) => ({ name: m.name, kind: 'municipality', municipality: m.code, lon: m.point[0], lat: m.point[1], local: true }));
}

function searchPlace(p) {
  $('place-input').value = p.name;
  let { lon, lat } = p;
  // Without the server's place search, prefer the seat the map's labels give.
  if (p.local) [lon, lat] = bmap?.seat(p.municipality) || [lon, lat];
  return searchFrom({ lon, lat, how: 'municipality', place: p.name });
}

/** Several places match, or none: buttons to choose one (all municipalities when none). */
function offerPlaces(text, places) {
  const box = $('place-choices');
  const none = !places.length;
  const list = none
    ? state.municipalities.map((m) => ({ name: m.name, kind: 'municipality', municipality: m.code, lon: m.point[0], lat: m.point[1], local: true }))
    : places;
  const muniName = (code) => state.municipalities.find((m) => m.code === code)?.name;
  state.status = null;
  renderStatus();
  replace(box,
    h('p', { class: 'note note-warn', role: 'alert' }, t(none ? 'state.place.none' : 'state.place.some', { q: text })),
    h('ul', {}, list.map((p) => h('li', {}, h('button', {
      type: 'button', class: 'btn',
      onclick: () => { box.hidden = true; if (none) searchByName(p.name); else searchPlace(p); },
    }, p.name, p.kind === 'locality' && muniName(p.municipality) ? ` (${muniName(p.municipality)})` : '')))));
  box.hidden = false;
  return null;
}

export function locate() {
  if (!('geolocation' in navigator)) return setStatus({ kind: 'geo.unsupported' });
  setStatus({ kind: 'locating' });
  const btn = $('locate');
  btn.disabled = true;
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      btn.disabled = false;
      searchFrom({ lon: pos.coords.longitude, lat: pos.coords.latitude, how: 'location' });
    },
    () => {
      btn.disabled = false;
      setStatus({ kind: 'geo.denied' });
    },
    { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 },
  );
  return null;
}
