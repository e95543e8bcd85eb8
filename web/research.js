// The trends view's "data for research": the data package's dated snapshots, newest first, each
// a download (GET /api/datapackage/snapshots); the links to today's package, the data dictionary
// and CITATION.cff are in the page.
import { t, num, day } from './i18n.js';
import { api } from './api.js';
import { h, replace, $ } from './dom.js';

/** How many snapshots are listed before "show all". */
const FIRST = 5;
let last = null; // the last answer (re-rendered on a new language)
let all = false;

/** Asks for the snapshots kept and lists them. */
export async function loadSnapshots() {
  try {
    last = await api.snapshots();
  } catch {
    last = null;
  }
  renderSnapshots();
}

function size(bytes) {
  return bytes >= 1e6 ? t('research.mb', { n: num(bytes / 1e6, 1) }) : t('research.kb', { n: num(Math.max(1, bytes / 1e3), 0) });
}

/** The list again from the last answer (in the current language). */
export function renderSnapshots() {
  const list = $('snapshots-list');
  if (!last) {
    replace(list, h('li', { class: 'help' }, t('research.snapshots.error')));
    return;
  }
  const items = last.snapshots || [];
  if (!items.length) {
    replace(list, h('li', { class: 'help' }, t(last.kept ? 'research.snapshots.none' : 'research.snapshots.off')));
    return;
  }
  const shown = all ? items : items.slice(0, FIRST);
  replace(list, shown.map((s) => h('li', { dataset: { file: s.file } },
    h('a', { href: s.url, download: '' }, t('research.snapshot', { date: day(s.date), version: s.version })),
    h('span', { class: 'help' }, ` (${size(s.bytes)})`))),
  items.length > shown.length ? h('li', {}, h('button', {
    type: 'button', class: 'btn btn-link', onclick: () => { all = true; renderSnapshots(); },
  }, t('research.snapshots.all', { n: num(items.length) }))) : null);
}
