// What if: hypothetical new services (a click on the map, the map's centre or typed
// coordinates) and closures (a service clicked on the map or chosen in two lists), measured at
// once by POST /api/scenarios. Nothing is stored: the server works on a copy.
import { t, lang, num, pct, km } from './i18n.js';
import { api } from './api.js';
import { h, replace, $, narrow } from './dom.js';
import { fillTypeSelect, typeName, targetWords, families, pointLegend, readThreshold } from './gaps.js';

let ctx = null;
let seq = 0;
let timer = null;

const round5 = (x) => Math.round(x * 1e5) / 1e5;
/** Degrees as typed in the current language ("38,57" in Portuguese). */
const deg = (x) => (lang() === 'pt' ? String(round5(x)).replace('.', ',') : String(round5(x)));
const kmWords = (x) => km(x, Number.isInteger(Number(x)) ? 0 : 1);

/** ctx: {state, map(), regionName(), municipalityAt(lon, lat) -> {code, name} | null}. */
export function initPlan(c) {
  ctx = c;
  const { plan } = ctx.state;
  $('plan-type').addEventListener('change', (e) => {
    plan.type = e.target.value;
    syncMap();
    renderLegend();
  });
  $('plan-capacity').addEventListener('change', () => readCapacity());
  $('plan-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const lat = parseDeg($('plan-lat').value);
    const lon = parseDeg($('plan-lon').value);
    const err = $('plan-form-error');
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      err.hidden = false;
      err.textContent = t('plan.coords.invalid');
      (lat === null || Math.abs(lat) > 90 ? $('plan-lat') : $('plan-lon')).focus();
      return;
    }
    err.hidden = true;
    if (addSite(lon, lat)) ctx.map()?.show(lon, lat);
  });
  $('plan-center').addEventListener('click', () => {
    const c = ctx.map()?.center();
    if (!c) return;
    $('plan-lat').value = deg(c.lat);
    $('plan-lon').value = deg(c.lon);
    $('plan-form').requestSubmit();
  });
  $('plan-threshold-form').addEventListener('submit', (e) => {
    e.preventDefault();
    let err = $('plan-threshold-error');
    if (!err) {
      err = h('p', { id: 'plan-threshold-error', class: 'note note-error', role: 'alert', hidden: true });
      $('plan-threshold-form').append(err);
      $('plan-threshold').setAttribute('aria-describedby', 'plan-threshold-error');
    }
    const v = readThreshold($('plan-threshold'), err);
    if (v === null) return;
    plan.threshold = v;
    syncMap();
    renderLegend();
    schedule();
  });
  $('plan-threshold').addEventListener('change', () => $('plan-threshold-form').requestSubmit());
  $('plan-points').addEventListener('change', (e) => {
    plan.points = e.target.checked;
    syncMap();
    renderLegend();
  });
  $('plan-close-muni').addEventListener('change', (e) => loadServices(e.target.value));
  $('plan-close-service').addEventListener('change', (e) => {
    $('plan-close').disabled = !e.target.value;
  });
  $('plan-close').addEventListener('click', () => {
    const id = $('plan-close-service').value;
    const f = (plan.services[$('plan-close-muni').value] || []).find((x) => x.id === id || x.properties.id === id);
    if (f) closeService(f);
  });
  $('plan-quick-go').addEventListener('click', () => {
    const out = $('plan-results');
    out.scrollIntoView({ behavior: 'smooth', block: 'start' });
    out.focus({ preventScroll: true });
  });
  $('plan-reset').addEventListener('click', () => {
    plan.sites = [];
    plan.closed = [];
    plan.next = 1;
    plan.outcome = null;
    plan.body = null;
    renderPlan();
    schedule();
  });
}

/** A number of degrees as typed ("38,57", "38.57", "-7.9"), or null. */
function parseDeg(s) {
  const x = String(s).trim().replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(x)) return null;
  return Number(x);
}

function readCapacity() {
  const input = $('plan-capacity');
  const v = Number(String(input.value).trim());
  const ok = Number.isInteger(v) && v >= 1 && v <= 5000;
  const err = $('plan-form-error');
  input.setAttribute('aria-invalid', String(!ok));
  if (!ok) {
    err.hidden = false;
    err.textContent = t('plan.capacity.invalid');
    input.focus();
    return null;
  }
  if (err.textContent === t('plan.capacity.invalid')) err.hidden = true;
  ctx.state.plan.capacity = v;
  return v;
}

// ---------------------------------------------------------------- changes

/** Adds a hypothetical service of the chosen type and places at lon/lat; false if refused. */
export function addSite(lon, lat) {
  const { plan } = ctx.state;
  const capacity = readCapacity();
  if (capacity === null) return false;
  const n = plan.next++;
  const where = ctx.municipalityAt(lon, lat);
  plan.sites.push({ n, type: plan.type, capacity, lon: round5(lon), lat: round5(lat), where });
  $('plan-lat').value = deg(lat);
  $('plan-lon').value = deg(lon);
  renderPlan();
  schedule();
  return true;
}

function removeSite(n) {
  const { plan } = ctx.state;
  const i = plan.sites.findIndex((s) => s.n === n);
  if (i < 0) return;
  plan.sites.splice(i, 1);
  renderPlan();
  schedule();
  // Keep the keyboard where it was: the next site's button, or the list's heading.
  const next = $('plan-sites').querySelectorAll('button')[Math.min(i, plan.sites.length - 1)];
  (next || $('plan-sites-title')).focus?.();
}

function closeService(f) {
  const { plan } = ctx.state;
  const p = f.properties;
  const id = p.id ?? f.id;
  if (plan.closed.some((c) => c.id === id)) return;
  const [lon, lat] = f.geometry?.coordinates || [];
  plan.closed.push({ id, name: p.name, type: p.type, capacity: p.capacity, lon, lat });
  renderPlan();
  schedule();
}

function reopen(id) {
  const { plan } = ctx.state;
  plan.closed = plan.closed.filter((c) => c.id !== id);
  renderPlan();
  schedule();
  $('plan-close-title').setAttribute('tabindex', '-1');
  $('plan-close-title').focus();
}

/** A service clicked on the map: chosen in the lists, ready to "simulate closing". */
export async function pickService(id) {
  let f;
  try {
    f = await api.service(id);
  } catch {
    return;
  }
  const code = f.properties.municipality?.code;
  if (code) {
    $('plan-close-muni').value = code;
    await loadServices(code);
  }
  $('plan-close-service').value = f.properties.id;
  $('plan-close').disabled = !$('plan-close-service').value;
  let note = $('plan-close-picked');
  if (!note) {
    note = h('p', { id: 'plan-close-picked', class: 'help', role: 'status' });
    $('plan-close').parentElement.before(note);
  }
  note.textContent = t('plan.close.picked', { name: f.properties.name });
  if (!narrow()) $('plan-close').focus({ preventScroll: false });
}

async function loadServices(code) {
  const { plan } = ctx.state;
  const sel = $('plan-close-service');
  $('plan-close').disabled = true;
  if (!code) {
    replace(sel, h('option', { value: '' }, t('plan.close.pick')));
    sel.disabled = true;
    return;
  }
  sel.disabled = true;
  replace(sel, h('option', { value: '' }, t('plan.close.loading')));
  try {
    plan.services[code] ??= (await api.municipalityServices(code)).features;
  } catch {
    replace(sel, h('option', { value: '' }, t('svc.error')));
    return;
  }
  if ($('plan-close-muni').value !== code) return;
  renderServiceOptions();
}

function renderServiceOptions() {
  const { plan } = ctx.state;
  const code = $('plan-close-muni').value;
  const sel = $('plan-close-service');
  const list = plan.services[code];
  if (!list) return;
  const keep = sel.value;
  const open = list.filter((f) => !plan.closed.some((c) => c.id === f.properties.id))
    .sort((a, b) => typeName(a.properties.type).localeCompare(typeName(b.properties.type), 'pt')
      || a.properties.name.localeCompare(b.properties.name, 'pt'));
  replace(sel, h('option', { value: '' }, t('plan.close.pick')),
    open.map((f) => h('option', { value: f.properties.id }, `${f.properties.name} (${typeName(f.properties.type)})`)));
  sel.disabled = false;
  sel.value = open.some((f) => f.properties.id === keep) ? keep : '';
  $('plan-close').disabled = !sel.value;
}

// ---------------------------------------------------------------- the scenario

/** The request body for the current scenario, or null when there is nothing to measure. */
export function body() {
  const { plan } = ctx.state;
  if (!plan.sites.length && !plan.closed.length) return null;
  return {
    open: plan.sites.map((s) => ({ type: s.type, capacity: s.capacity, lon: s.lon, lat: s.lat, name: t('plan.site.name', { n: s.n }) })),
    close: plan.closed.map((c) => c.id),
    threshold_km: plan.threshold,
  };
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
}

async function run() {
  const { plan } = ctx.state;
  const b = body();
  const my = ++seq;
  const out = $('plan-results');
  if (!b) {
    plan.outcome = null;
    plan.body = null;
    out.dataset.state = 'empty';
    out.dataset.body = '';
    renderOutcome();
    return;
  }
  out.dataset.state = 'loading';
  replace($('plan-status'), h('p', {}, t('plan.loading')));
  let outcome;
  try {
    outcome = await api.scenario(b);
  } catch (e) {
    if (my !== seq) return;
    plan.outcome = null;
    plan.error = e.message;
    out.dataset.state = 'error';
    replace($('plan-status'), h('div', { class: 'note note-error' }, h('p', {}, t('plan.error', { msg: e.message })),
      h('button', { type: 'button', class: 'btn btn-primary', onclick: () => run() }, t('state.retry'))));
    replace($('plan-outcome'));
    return;
  }
  if (my !== seq) return;
  plan.outcome = outcome;
  plan.body = b;
  plan.error = null;
  renderOutcome({ announce: true });
  out.dataset.body = JSON.stringify(b);
  out.dataset.state = 'done';
}

// ---------------------------------------------------------------- render

export function renderPlanControls() {
  const { state } = ctx;
  const { plan } = state;
  if (!state.taxonomy) return;
  fillTypeSelect($('plan-type'), plan.type);
  $('plan-capacity').value = String(plan.capacity);
  $('plan-threshold').value = String(plan.threshold);
  $('plan-points').checked = plan.points;
  const muni = $('plan-close-muni');
  const keep = muni.value;
  replace(muni, h('option', { value: '' }, t('plan.close.pick')),
    state.municipalities.map((m) => h('option', { value: m.code }, m.name)));
  muni.value = keep;
  if (keep) renderServiceOptions();
  else replace($('plan-close-service'), h('option', { value: '' }, t('plan.close.pick')));
}

/** The lists, the legend, the map and the outcome. */
export function renderPlan() {
  const { plan } = ctx.state;
  replace($('plan-sites'), plan.sites.length ? plan.sites.map((s) => h('li', { dataset: { n: String(s.n) } },
    h('span', { class: 'site-mark', 'aria-hidden': 'true' }, h('span', {}, String(s.n))),
    h('span', { class: 'plan-item-text' },
      t('plan.site', { n: s.n, type: typeName(s.type), capacity: num(s.capacity) }), ' ',
      h('span', { class: 'help' }, s.where ? t('plan.site.in', { place: s.where.name }) : t('plan.site.outside'),
        ` (${num(s.lat, 4)}, ${num(s.lon, 4)})`)),
    h('button', {
      type: 'button', class: 'btn', 'aria-label': t('plan.remove.label', { n: s.n }), onclick: () => removeSite(s.n),
    }, t('plan.remove'))))
    : h('li', { class: 'help plan-none' }, t('plan.sites.none')));
  replace($('plan-closed'), plan.closed.map((c) => h('li', { dataset: { id: c.id } },
    h('span', { class: 'closed-mark', 'aria-hidden': 'true' }, '×'),
    h('span', { class: 'plan-item-text' }, t('plan.closed.item', { name: c.name, type: typeName(c.type), capacity: num(c.capacity) })),
    h('button', {
      type: 'button', class: 'btn', 'aria-label': t('plan.reopen.label', { name: c.name }), onclick: () => reopen(c.id),
    }, t('plan.reopen')))));
  renderServiceOptions();
  renderLegend();
  syncMap();
  if (!plan.sites.length && !plan.closed.length) renderOutcome();
}

function syncMap() {
  const { plan } = ctx.state;
  ctx.map()?.setPlan({
    type: plan.type, sites: plan.sites, closed: plan.closed, threshold: plan.threshold, points: plan.points,
  });
  if (ctx.state.view === 'plan') ctx.map()?.setFilters({ group: '', type: plan.type });
}

function renderLegend() {
  const { plan } = ctx.state;
  const fam = document.body.dataset.mapReady === 'failed' ? null : families()[plan.type];
  replace($('plan-legend'),
    h('li', {}, h('span', { class: 'site-mark', 'aria-hidden': 'true' }, h('span', {}, '1')), t('plan.legend.site', { km: kmWords(plan.threshold) })),
    h('li', {}, h('span', { class: 'closed-mark', 'aria-hidden': 'true' }, '×'), t('plan.legend.closed')),
    plan.points && fam ? pointLegend(plan.threshold, fam.weight, true) : null,
    plan.points && !fam && !families()[plan.type] ? h('li', { class: 'help' }, t('gap.points.none', { list: Object.keys(families()).map(typeName).join(', ') })) : null);
}

/** Before → after, with words for screen readers. */
function ba(before, after) {
  return h('span', { class: 'ba' },
    h('span', { 'aria-hidden': 'true' }, before, h('span', { class: 'arrow' }, ' → '), after),
    h('span', { class: 'vh' }, t('plan.before.after', { before, after })));
}

const signed = (x) => {
  const s = num(x);
  return Math.round(x) > 0 ? `+${s}` : s;
};
const dash = (f) => (v) => (v === null || v === undefined ? '—' : f(v));

function renderOutcome({ announce = false } = {}) {
  const { state } = ctx;
  const { plan } = state;
  const o = plan.outcome;
  $('plan-quick').hidden = !o;
  if (!o) {
    if (!plan.sites.length && !plan.closed.length) {
      replace($('plan-status'), h('p', { class: 'note' }, t('plan.empty')));
      replace($('plan-outcome'));
    }
    return;
  }
  const T = kmWords(o.params.threshold_km);
  const region = o.changes.find((c) => c.code === 'region');
  const munis = o.changes.filter((c) => c.code !== 'region');
  const cov = (code) => o.coverage.filter((c) => c.code === code);
  const kmF = dash((v) => num(v, 2));
  const shareF = dash((v) => pct(v, 1));
  const accF = dash((v) => num(v));
  const gain = region.people_gaining_access;
  const gainKey = Math.round(gain) < 0 ? 'plan.lose' : 'plan.gain';
  const types = o.types.map(typeName).join(', ');
  const groups = new Set(o.types.map((c) => state.taxonomy.responses.find((r) => r.code === c)?.group));
  const outside = plan.sites.filter((s) => !s.where);

  const regionList = h('dl', { id: 'plan-region', class: 'plan-region', dataset: { code: 'region' } },
    h('dt', {}, t(gainKey, { km: T })),
    h('dd', { class: 'big', dataset: { key: 'people_gaining_access', value: String(gain) } }, Math.round(gain) < 0 ? num(-gain) : signed(gain)),
    h('dt', {}, t('plan.mean')),
    h('dd', { dataset: { key: 'mean_km' } }, ba(km(region.before.mean_km, 2), km(region.after.mean_km, 2))),
    h('dt', {}, t('plan.share', { km: T })),
    h('dd', { dataset: { key: 'share_beyond' } }, ba(shareF(region.before.share_beyond), shareF(region.after.share_beyond)),
      h('span', { class: 'help' }, ' (', ba(num(region.before.people_beyond), num(region.after.people_beyond)), ')')),
    h('dt', {}, t('plan.access')),
    h('dd', { dataset: { key: 'access_per_1000' } }, ba(accF(region.before.access_per_1000), accF(region.after.access_per_1000))),
    cov('region').map((c) => [
      h('dt', {}, t('plan.coverage', { indicator: t(`cov.${c.indicator}`).toLowerCase() })),
      h('dd', { dataset: { key: `coverage_${c.indicator}` } }, ba(dash((v) => num(v, 1))(c.before), dash((v) => num(v, 1))(c.after))),
    ]));

  // A municipality changes when any figure shown changes.
  const shown = (c) => [Math.round(c.people_gaining_access), kmF(c.before.mean_km), kmF(c.after.mean_km),
    shareF(c.before.share_beyond), shareF(c.after.share_beyond), accF(c.before.access_per_1000), accF(c.after.access_per_1000),
    ...cov(c.code).map((x) => `${num(x.before, 1)}|${num(x.after, 1)}`)];
  const changed = munis.filter((c) => {
    const s = shown(c);
    return s[0] !== 0 || s[1] !== s[2] || s[3] !== s[4] || s[5] !== s[6] || s.slice(7).some((x) => x.split('|')[0] !== x.split('|')[1]);
  }).sort((a, b) => b.people_gaining_access - a.people_gaining_access || a.name.localeCompare(b.name, 'pt'));
  const indicators = [...new Set(o.coverage.map((c) => c.indicator))];
  const th = (k) => h('th', { scope: 'col', class: 'num' }, k);
  const table = changed.length ? [h('h3', { id: 'plan-table-title', class: 'table-title' }, t('plan.table.caption')),
    h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': 'plan-table-title', tabindex: '0' },
    h('table', { id: 'plan-table', class: 'data-table' },
      h('caption', { class: 'vh' }, t('plan.table.caption')),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('plan.col.name')),
        th(t('plan.col.gain')), th(t('plan.col.mean')), th(t('plan.col.share', { km: T })), th(t('plan.access')),
        indicators.map((i) => th(`${t('plan.col.coverage')}: ${t(`cov.${i}`).toLowerCase()}`)))),
      h('tbody', {}, changed.map((c) => h('tr', { dataset: { code: c.code } },
        h('th', { scope: 'row' }, c.name),
        h('td', { class: 'num', dataset: { key: 'people_gaining_access', value: String(c.people_gaining_access) } }, signed(c.people_gaining_access)),
        h('td', { class: 'num' }, ba(kmF(c.before.mean_km), kmF(c.after.mean_km))),
        h('td', { class: 'num' }, ba(shareF(c.before.share_beyond), shareF(c.after.share_beyond))),
        h('td', { class: 'num' }, ba(accF(c.before.access_per_1000), accF(c.after.access_per_1000))),
        indicators.map((i) => {
          const x = o.coverage.find((y) => y.code === c.code && y.indicator === i);
          return h('td', { class: 'num' }, x ? ba(dash((v) => num(v, 1))(x.before), dash((v) => num(v, 1))(x.after)) : '—');
        }))))))] : null;

  replace($('plan-outcome'),
    h('p', { class: 'measured' }, t('plan.measured', { types, target: targetWords(o.target) })),
    groups.size > 1 || o.types.length > 1 ? h('p', { class: 'note note-warn' }, t('plan.mixed')) : null,
    outside.map((s) => h('p', { class: 'note note-warn' }, t('plan.outside', { n: s.n }))),
    h('h3', {}, t('table.region'), ` (${ctx.regionName() || region.name})`),
    regionList,
    table,
    h('p', { class: 'help' }, changed.length
      ? (munis.length - changed.length ? t('plan.unchanged', { n: munis.length - changed.length }) : '')
      : t('plan.nothing')),
    h('p', { class: 'note note-warn' }, t('plan.simulation')));
  replace($('plan-quick-text'), h('strong', {}, Math.round(gain) < 0 ? num(-gain) : signed(gain)), ' ', t(gainKey, { km: T }).toLowerCase());
  const n = num(Math.abs(gain));
  replace($('plan-status'), announce
    ? h('p', { class: 'vh' }, t(Math.round(gain) < 0 ? 'plan.announce.lose' : 'plan.announce', { n, km: T }))
    : null);
}

/** Everything again (language change). */
export function rerenderPlan() {
  renderPlanControls();
  renderPlan();
  if (ctx.state.plan.outcome) renderOutcome();
}

