// Helping someone else find care: the services ticked in the results for the sheet to hand
// over, a short note, "Print to hand over" (the server's /sheet, one A4 page in large type) and
// "Share" (the sheet's link and an e-mail with the same content, from /sheet?format=json).
// The link is the state: search, ticks, note, language and text size; nothing is stored.
import { t, lang } from './i18n.js';
import { h, replace, $ } from './dom.js';
import { state } from './page-state.js';
import { textSize, MOST } from './url-state.js';

/** How many services one sheet takes at the current text size. */
export function most() {
  return MOST[textSize()] || 4;
}

/** The ids that go on the sheet: those ticked, or (none ticked) the first of the list. */
export function sheetIds() {
  const listed = (state.results?.features || []).map((f) => f.properties.id);
  const ticked = listed.filter((id) => state.chosen.includes(id));
  return ticked.length ? ticked : listed.slice(0, most());
}

/** The link of the search and the choice (the same parameters the map page, /find and /sheet
 * read): place, lon, lat, type, group, subarea, municipality, k, id…, note, lang, size. */
export function linkQuery(ids = sheetIds()) {
  const s = state.search;
  const q = new URLSearchParams();
  if (s) {
    if (s.place) q.set('place', s.place);
    q.set('lon', s.lon);
    q.set('lat', s.lat);
    for (const k of ['type', 'group', 'subarea', 'municipality']) if (s[k]) q.set(k, s[k]);
    if (s.k && s.k !== 10) q.set('k', s.k);
  }
  for (const id of ids) q.append('id', id);
  if (state.note.trim()) q.set('note', state.note.trim());
  if (lang() !== 'pt') q.set('lang', lang());
  if (textSize() !== 'normal') q.set('size', textSize());
  return q.toString();
}

/** The tick box of a result ("Put on the sheet"), kept in step with the choice. */
export function pickBox(f, onChange) {
  const id = f.properties.id;
  const ticked = state.chosen.includes(id);
  const full = !ticked && chosenListed().length >= most();
  return h('label', { class: 'pick' },
    h('input', {
      type: 'checkbox', checked: ticked, disabled: full, dataset: { pick: id },
      onchange: (e) => {
        state.chosen = e.target.checked ? [...state.chosen, id] : state.chosen.filter((x) => x !== id);
        onChange();
      },
    }),
    h('span', {}, t('hand.pick')),
    h('span', { class: 'vh' }, `: ${f.properties.name}`));
}

function chosenListed() {
  const listed = (state.results?.features || []).map((f) => f.properties.id);
  return listed.filter((id) => state.chosen.includes(id));
}

/** Ticks and unticks the boxes already on the page, after a change of the choice. */
export function syncPicks() {
  const full = chosenListed().length >= most();
  for (const box of document.querySelectorAll('input[data-pick]')) {
    box.checked = state.chosen.includes(box.dataset.pick);
    box.disabled = full && !box.checked;
  }
  renderHandoverStatus();
}

function renderHandoverStatus() {
  const box = $('handover-status');
  if (!box) return;
  const n = chosenListed().length;
  const m = most();
  const text = n === 0 ? t('hand.status.first', { n: Math.min(m, state.results?.features.length || 0) })
    : n >= m ? t('hand.status.full', { n })
      : n === 1 ? t('hand.status.one') : t('hand.status.some', { n });
  box.textContent = text;
  const print = $('handover-print');
  if (print) print.href = `/sheet?${linkQuery()}`;
  const shareBox = $('share-box');
  if (shareBox && !shareBox.hidden) shareBox.hidden = true; // the shown link is no longer the choice
}

/** Asks the server for the sheet's link and e-mail, and shows them. */
async function share() {
  const boxEl = $('share-box');
  replace(boxEl, h('p', {}, t('state.loading')));
  boxEl.hidden = false;
  let info;
  try {
    const res = await fetch(`/sheet?${linkQuery()}&format=json`, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    info = await res.json();
  } catch {
    replace(boxEl, h('p', { class: 'note note-error', role: 'alert' }, t('hand.share.error')));
    return;
  }
  const input = h('input', { id: 'share-link', type: 'text', readonly: true, value: info.link, onfocus: (e) => e.target.select() });
  const copied = h('p', { class: 'help', role: 'status' });
  replace(boxEl,
    h('p', { class: 'help' }, t('hand.share.help')),
    h('label', { for: 'share-link', class: 'label label-sub' }, t('hand.share.link')),
    input,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'btn', id: 'share-copy',
        onclick: async () => {
          input.select();
          try { await navigator.clipboard.writeText(info.link); copied.textContent = t('hand.share.copied'); } catch { copied.textContent = t('hand.share.select'); }
        },
      }, t('hand.share.copy')),
      h('a', { class: 'btn btn-primary', id: 'share-mail', href: info.mailto }, t('hand.share.mail'))),
    copied);
  input.focus();
}

/** The box under the results: what goes on the sheet, the note, print and share. */
export function handoverBox() {
  if (!state.results?.features.length) return null;
  const note = h('textarea', {
    id: 'handover-note', rows: 2, maxlength: 200, 'aria-describedby': 'handover-status',
    oninput: (e) => { state.note = e.target.value; renderHandoverStatus(); },
  });
  note.value = state.note;
  const section = h('section', { id: 'handover', class: 'handover', 'aria-labelledby': 'handover-title' },
    h('h3', { id: 'handover-title' }, t('hand.title')),
    h('p', { id: 'handover-status', class: 'help', role: 'status' }),
    h('label', { for: 'handover-note', class: 'label label-sub' }, t('hand.note')),
    note,
    h('div', { class: 'actions' },
      h('a', { class: 'btn btn-primary', id: 'handover-print', href: `/sheet?${linkQuery()}` }, t('hand.print')),
      h('button', { type: 'button', class: 'btn', id: 'handover-share', onclick: share }, t('hand.share'))),
    h('div', { id: 'share-box', class: 'share-box', hidden: true }));
  queueMicrotask(renderHandoverStatus);
  return section;
}
