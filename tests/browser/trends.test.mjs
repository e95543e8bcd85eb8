// The trends view ("Evolução") against the real server: its charts' tables show exactly the
// values of /api/trends for the municipality, its sub-region and the region, with a published
// reference value imported by an admin and a change point recorded after a capacity change;
// the change is in the "what changed" table and its CSV; the charts are uPlot's, served
// locally; the data package and a dated snapshot an admin made are downloadable from the view;
// the view at 360 px in both languages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, ORIGIN, DESKTOP, PHONE, launch, openPage, shot, getJSON, serverLink, apiSession, api,
} from './helpers.mjs';

const BIN = process.env.BUSSOLA_BIN;
const DATA = process.env.BUSSOLA_DATA_DIR;
const RUN = `${process.pid}`;

let browser;
const ctx = {};

const secs = (s) => Math.round(new Date(s.length === 10 ? `${s}T00:00:00Z` : s).getTime() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The table of a chart: {t -> {series -> raw value}} from the cells' data attributes. */
async function tableOf(page, chart) {
  return page.$$eval(`#${chart} tbody tr`, (rows) => Object.fromEntries(rows.map((r) => [
    r.dataset.t,
    Object.fromEntries([...r.querySelectorAll('td[data-series]')].map((c) => [c.dataset.series, c.dataset.value])),
  ])));
}

/** Checks a chart's table against /api/trends for each area (key -> id). */
async function sameAsApi(page, chart, indicator, areas) {
  const table = await tableOf(page, chart);
  let checked = 0;
  for (const [key, id] of Object.entries(areas)) {
    const s = await getJSON(`/api/trends?indicator=${indicator}&area=${id}`);
    assert.ok(s.points.length > 0, `${indicator} ${id}: points`);
    for (const p of s.points) {
      const row = table[String(secs(p.at))];
      assert.ok(row, `${indicator} ${id}: a row for ${p.at}`);
      assert.equal(row[key], p.value === null ? '' : String(p.value), `${indicator} ${id} at ${p.at}`);
      checked += 1;
    }
    // Nothing more than the API gave: every filled cell of the column is one of its points.
    const times = new Set(s.points.map((p) => String(secs(p.at))));
    for (const [tm, row] of Object.entries(table)) if (row[key]) assert.ok(times.has(tm), `${id}: ${tm} not in /api/trends`);
    if (key === 'area') {
      for (const r of s.references) assert.equal(table[String(secs(r.date))]?.reference, String(r.value), `reference ${r.date}`);
    }
  }
  return checked;
}

describe('trends view', { skip: !BIN || !DATA ? 'BUSSOLA_BIN and BUSSOLA_DATA_DIR not set' : false }, () => {
  before(async () => {
    browser = await launch();
    ctx.admin = await apiSession(serverLink(['user', 'add', '--email', `trends-admin-${RUN}@example.pt`, '--role', 'admin']));
    const fc = await getJSON('/api/municipalities');
    const evora = fc.features.find((f) => f.properties.name === 'Évora');
    assert.ok(evora, 'Évora');
    ctx.code = evora.properties.code;
    ctx.part = evora.properties.region;
    ctx.region = (await getJSON('/api/region')).id;
  });
  after(async () => {
    if (ctx.restore) await api(ctx.admin, 'PATCH', `/api/services/${ctx.restore.id}`, { capacity: ctx.restore.capacity });
    await browser?.close();
  });

  it('shows the same values as /api/trends, a reference value and a recorded change', async () => {
    // A published reference value for Évora (as Carta Social would publish it).
    const csv = `date,area,indicator,value,source\n2023-12-31,${ctx.code},coverage.elderly.rate,17.5,Carta Social 2023\n`;
    const imp = await fetch(`${BASE}/api/trends/import`, {
      method: 'POST', body: csv, headers: { Authorization: `Bearer ${ctx.admin.token}`, 'Content-Type': 'text/csv' },
    });
    assert.equal(imp.status, 201, await imp.text());
    // A dated snapshot of the data package, made now by the admin.
    const snap = await api(ctx.admin, 'POST', '/api/datapackage/snapshots');
    assert.equal(snap.status, 201, JSON.stringify(snap.body));
    // A capacity change in one of Évora's ERPI: once writes are quiet (10 s), a change point.
    const before = await getJSON(`/api/trends?indicator=coverage.elderly.rate&area=${ctx.code}`);
    const erpi = (await getJSON(`/api/services?municipality=${ctx.code}&type=ERPI&limit=50`)).features
      .find((f) => Number.isInteger(f.properties.capacity) && f.properties.capacity > 10 && f.properties.capacity < 100);
    assert.ok(erpi, 'an ERPI with places in Évora');
    ctx.restore = { id: erpi.properties.id, capacity: erpi.properties.capacity };
    const r = await api(ctx.admin, 'PATCH', `/api/services/${erpi.properties.id}`, { capacity: erpi.properties.capacity + 5 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    let after = before;
    for (let i = 0; i < 60 && after.points.length === before.points.length; i += 1) {
      await sleep(500);
      after = await getJSON(`/api/trends?indicator=coverage.elderly.rate&area=${ctx.code}`);
    }
    assert.ok(after.points.length > before.points.length, 'a change point was recorded');
    assert.equal(after.points.at(-1).source, 'change');

    const { page, errors, requests } = await openPage(browser, { viewport: DESKTOP, path: '/#trends' });
    await page.locator('#trends-panel').waitFor();
    assert.equal(await page.getAttribute('#view-trends', 'aria-pressed'), 'true');
    await page.locator('#trends-municipality option').first().waitFor({ state: 'attached' });
    await page.selectOption('#trends-municipality', ctx.code);
    await page.waitForFunction((code) => document.querySelector('#trends-charts').dataset.state === 'done'
      && document.querySelector('#trends-municipality').value === code
      && document.querySelectorAll('#trend-0 tbody tr').length > 0, ctx.code);
    await page.locator('#trend-0[data-chart="ready"] canvas').waitFor();
    await page.locator('#trend-1[data-chart="ready"] canvas').waitFor();
    assert.match(await page.textContent('#trends-heading'), /Évora/);
    const areas = { area: ctx.code, within: ctx.part, region: ctx.region };
    assert.ok(await sameAsApi(page, 'trend-0', 'coverage.elderly.rate', areas) >= 3);
    await sameAsApi(page, 'trend-1', 'coverage.early_childhood.rate', areas);
    // The change point is in the table, as a change, with the new rate; the reference too.
    const last = after.points.at(-1);
    const row = page.locator(`#trend-0 tbody tr[data-t="${secs(last.at)}"]`);
    assert.match(await row.textContent(), /depois de uma alteração/);
    assert.match(await page.textContent('#trend-0 tbody'), /17,5 \(Carta Social 2023\)/);
    // The target line: the sub-region's target, in every row.
    const region = await getJSON('/api/region');
    const target = region.regions.find((p) => p.id === ctx.part)?.targets?.elderly ?? region.targets.elderly;
    assert.match(await page.textContent('#trend-0 thead'), /Meta/);
    assert.ok((await page.textContent('#trend-0 tbody tr:first-child')).includes(String(target).replace('.', ',')));
    // The CSV downloads are /api/trends' CSV of each area.
    const links = await page.$$eval('#trend-0 .trend-csv a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, Object.values(areas).map((id) => `/api/trends?indicator=coverage.elderly.rate&area=${id}&format=csv`));
    const got = await fetch(BASE + links[0]);
    assert.match(got.headers.get('content-type'), /text\/csv/);
    assert.match(await got.text(), new RegExp(`point,${last.at},"${ctx.code}",coverage.elderly.rate,${last.value}`));

    // What changed: the capacity change, by the coordinator (an admin), never the person.
    await page.locator('#changes-table').waitFor();
    const change = page.locator(`#changes-table tr[data-service="${erpi.properties.id}"][data-field="capacity"]`);
    assert.match(await change.textContent(), new RegExp(`${erpi.properties.capacity}.*${erpi.properties.capacity + 5}.*a coordenação`));
    assert.ok(!(await page.textContent('#changes-box')).includes('@example.pt'));
    const changesCsv = await fetch(BASE + await page.getAttribute('#changes-csv', 'href'));
    assert.match(await changesCsv.text(), new RegExp(`"${erpi.properties.id}",.*,capacity,${erpi.properties.capacity},${erpi.properties.capacity + 5},"admin"`));

    // Data for research: today's package, the dictionary, how to cite, the dated snapshots.
    const zip = await fetch(BASE + await page.getAttribute('#research-zip', 'href'));
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    assert.equal((await fetch(`${BASE}/data/dictionary`)).status, 200);
    const first = page.locator('#snapshots-list li[data-file]').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-file'), snap.body.file);
    const href = await first.locator('a').getAttribute('href');
    assert.equal(href, snap.body.url);
    const got2 = await fetch(BASE + href);
    assert.equal(got2.status, 200);
    assert.equal(got2.headers.get('content-type'), 'application/zip');
    assert.match(await first.textContent(), new RegExp(`versão ${snap.body.version.replace(/\./g, '\\.')}`));

    // Another topic: places of ERPI, the same values as the API.
    await page.selectOption('#trends-topic', 'places:ERPI');
    await page.waitForFunction(() => document.querySelector('#trend-0')?.dataset.indicator === 'places.ERPI'
      && document.querySelector('#trends-charts').dataset.state === 'done');
    await sameAsApi(page, 'trend-0', 'places.ERPI', areas);
    // uPlot came from this server, nothing from elsewhere.
    assert.ok(requests.some((u) => u === `${BASE}/vendor/uplot/uPlot.esm.js`), 'uPlot served locally');
    assert.deepEqual(requests.filter((u) => !u.startsWith(ORIGIN) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
    await page.selectOption('#trends-topic', 'coverage');
    await page.waitForFunction(() => document.querySelector('#trend-0')?.dataset.indicator === 'coverage.elderly.rate'
      && document.querySelector('#trend-0')?.dataset.chart === 'ready');
    await shot(page, 'trends-desktop');
    assert.deepEqual(errors, []);
  });

  it('at 360 px in Portuguese and English, every control a big target', async () => {
    const { page, errors } = await openPage(browser, { viewport: PHONE, path: '/#evolucao' });
    await page.waitForFunction(() => document.querySelector('#trends-charts').dataset.state === 'done'
      && document.querySelector('#trend-0')?.dataset.chart === 'ready');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll at 360 px');
    const canvas = await page.evaluate(() => document.querySelector('#trend-0 canvas').getBoundingClientRect().right);
    assert.ok(canvas <= 360, `the chart fits: ${canvas}`);
    const small = await page.evaluate(() => [...document.querySelectorAll('#trends-panel select, #trends-panel input, #trends-results a.btn, #trends-results button, #view-trends')]
      .filter((b) => b.offsetParent && b.getBoundingClientRect().height < 44).map((b) => b.outerHTML.slice(0, 80)));
    assert.deepEqual(small, []);
    // The chart is hidden from screen readers; its table says the same.
    assert.equal(await page.getAttribute('#trend-0 .trend-plot', 'aria-hidden'), 'true');
    assert.match(await page.textContent('#trend-0 caption'), /valores do gráfico/);
    await shot(page, 'trends-phone', { fullPage: true });
    await page.click('#lang-switch');
    await page.locator('#view-trends', { hasText: 'Trends' }).waitFor();
    await page.waitForFunction(() => /over time/.test(document.querySelector('#trends-heading').textContent)
      && document.querySelector('#trend-0')?.dataset.chart === 'ready');
    assert.match(await page.textContent('#trend-0 h3'), /Places per 100 older people/);
    assert.match(await page.textContent('#changes-title'), /What changed/);
    assert.match(await page.textContent('#trend-0 thead'), /Target/);
    await page.click('#lang-switch');
    await page.locator('#view-trends', { hasText: 'Evolução' }).waitFor();
    assert.deepEqual(errors, []);
  });
});
