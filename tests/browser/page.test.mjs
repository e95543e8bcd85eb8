// Browser tests of the map page, against a running server (BUSSOLA_URL, default
// http://127.0.0.1:8090). Run: node --test --test-concurrency=1 tests/browser/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, ORIGIN, DESKTOP, PHONE, launch, openPage, waitForMap, idle, shot, getJSON, emptyPointNear,
} from './helpers.mjs';

let browser;
let region;
let taxonomy;
let municipalities;

const fmt = (locale, digits) => (n) => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

/** Waits until the results list shows a search made from about lon/lat (`tol` degrees). */
async function waitForResults(page, lon, lat, tol = 1e-4) {
  await page.waitForFunction(([lon0, lat0, t]) => {
    const l = document.getElementById('result-list');
    return ['done', 'empty'].includes(l.dataset.state)
      && Math.abs(Number(l.dataset.lon) - lon0) <= t && Math.abs(Number(l.dataset.lat) - lat0) <= t;
  }, [lon, lat, tol]);
}

/** The search the page made (from the list's data attributes) and the ids it lists, in order. */
async function listed(page) {
  return page.evaluate(() => {
    const l = document.getElementById('result-list');
    return {
      search: { lon: l.dataset.lon, lat: l.dataset.lat, k: l.dataset.k, type: l.dataset.type, group: l.dataset.group, subarea: l.dataset.subarea, how: l.dataset.how },
      ids: [...l.querySelectorAll(':scope > li')].map((li) => li.dataset.id),
      names: [...l.querySelectorAll(':scope > li h3')].map((h) => h.textContent),
    };
  });
}

/** /api/nearest for the same search. */
async function apiNearest(s) {
  const q = new URLSearchParams({ lon: s.lon, lat: s.lat, k: s.k });
  if (s.type) q.set('type', s.type);
  if (s.group) q.set('group', s.group);
  if (s.subarea) q.set('subarea', s.subarea);
  return getJSON(`/api/nearest?${q}`);
}

/** Clicks an empty point of the map near lon/lat and waits for the results of a search from
 * there (within a pixel: the page rounds to 1e-5 degrees). Returns the point clicked. */
async function searchOnMap(page, lon, lat) {
  await page.evaluate(([x, y]) => window.bussolaMap.jumpTo({ center: [x, y] }), [lon, lat]);
  await idle(page);
  const p = await emptyPointNear(page, lon, lat);
  await page.mouse.click(p.x, p.y);
  await waitForResults(page, p.lon, p.lat, p.degPerPx * 1.5);
  return p;
}

function centroid(feature) {
  const polys = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const ring = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a))[0];
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

before(async () => {
  [region, taxonomy, municipalities] = await Promise.all([
    getJSON('/api/region'), getJSON('/api/taxonomy'), getJSON('/api/municipalities'),
  ]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('the map page', () => {
  it('(a) loads, searches and shows coverage with zero requests outside the local server', async () => {
    const { context, page, requests, errors } = await openPage(browser);
    await waitForMap(page);
    await shot(page, 'desktop-find');
    await searchOnMap(page, -7.75, 38.62);
    await idle(page);
    await page.click('#lang-switch');
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    await idle(page);
    await page.click('#lang-switch');

    const network = requests.filter((u) => /^(https?|wss?):/.test(u));
    const foreign = network.filter((u) => new URL(u).origin !== ORIGIN);
    assert.deepEqual(foreign, [], `requests outside ${ORIGIN}`);
    const paths = network.map((u) => new URL(u).pathname);
    // The recording sees the worker's requests too: the tiles are fetched by MapLibre's worker.
    for (const p of ['/', '/app.js', '/app.css', '/vendor/maplibre-gl/maplibre-gl.mjs',
      '/vendor/maplibre-gl/maplibre-gl-worker.mjs', '/vendor/maplibre-gl/maplibre-gl.css',
      '/styles/services.json', '/styles/coverage.json', '/tiles.json', '/api/nearest']) {
      assert.ok(paths.includes(p), `expected a request for ${p}; got ${[...new Set(paths)].join(' ')}`);
    }
    assert.ok(paths.some((p) => /^\/tiles\/\d+\/\d+\/\d+\.mvt$/.test(p)), 'tiles were requested');
    const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    assert.deepEqual(resources.filter((u) => /^https?:/.test(u) && new URL(u).origin !== ORIGIN), []);
    assert.deepEqual(errors, [], 'no errors in the page (a blocked script, worker or image is one)');
    // All of the above ran under the server's content security policy.
    const csp = (await fetch(BASE + '/')).headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self';/, 'the page is served with its policy');
    assert.match(csp, /frame-ancestors 'none'/);
    await context.close();
  });

  it('(b) renders the services and municipalities layers, with labels in local fonts', async () => {
    const { context, page } = await openPage(browser);
    await waitForMap(page);
    const r = await page.evaluate(() => {
      const map = window.bussolaMap;
      const services = map.queryRenderedFeatures({ layers: ['services-points', 'services-clusters'] });
      const munis = map.queryRenderedFeatures({ layers: ['municipalities-fill'] });
      return {
        style: map.getStyle().glyphs ?? null,
        sprite: map.getStyle().sprite ?? null,
        services: services.length,
        placesSum: services.reduce((s, f) => s + (f.properties.cluster ? f.properties.count : 1), 0),
        individual: services.filter((f) => !f.properties.cluster).map((f) => f.properties),
        clusters: services.filter((f) => f.properties.cluster).map((f) => f.properties),
        munis: [...new Set(munis.map((f) => f.properties.code))].sort(),
        labels: map.queryRenderedFeatures({ layers: ['municipality-labels'] }).map((f) => f.properties.name),
        letters: map.queryRenderedFeatures({ layers: ['services-letters'] }).length,
        counts: map.queryRenderedFeatures({ layers: ['services-cluster-count'] }).length,
      };
    });
    assert.equal(r.style, null, 'no glyphs');
    assert.equal(r.sprite, null, 'no sprite');
    assert.ok(r.services > 0, 'services are drawn');
    // The whole region is in view: every service is drawn once, alone or in a cluster.
    assert.equal(r.placesSum, region.services, 'clusters and points add up to all services');
    for (const c of r.clusters) {
      assert.equal(c.count, ['children', 'disability', 'elderly', 'family'].reduce((s, g) => s + (c[`count_${g}`] || 0), 0));
    }
    assert.deepEqual(r.munis, municipalities.features.map((f) => f.properties.code).sort(), 'every municipality is drawn');
    assert.ok(r.labels.length >= municipalities.features.length / 2, `municipality names are drawn (${r.labels.length})`);
    assert.ok(r.counts > 0 || r.letters > 0, 'cluster counts or letters are drawn');
    // Every data source is credited on the map.
    const credits = await page.textContent('.maplibregl-ctrl-attrib-inner');
    for (const a of region.attribution) assert.ok(credits.includes(a), `attribution "${a}" on the map`);
    await context.close();
  });

  it('(c) "find care near me" from a map click lists what /api/nearest answers, in order', async () => {
    const { context, page, requests, errors } = await openPage(browser);
    await waitForMap(page);
    assert.match(await page.textContent('#status'), /\S/, 'the empty state says what to do');

    // No filter.
    const clicked = await searchOnMap(page, -7.75, 38.62);
    let got = await listed(page);
    assert.equal(got.search.how, 'point');
    assert.ok(Math.abs(Number(got.search.lon) - clicked.lon) <= clicked.degPerPx * 1.5
      && Math.abs(Number(got.search.lat) - clicked.lat) <= clicked.degPerPx * 1.5, 'searched where clicked');
    let api = await apiNearest(got.search);
    assert.ok(api.features.length > 0);
    assert.deepEqual(got.ids, api.features.map((f) => f.id));
    assert.deepEqual(got.names.map((n) => n.replace(/^.*?: /, '')), api.features.map((f) => f.properties.name));
    await idle(page);
    const markers = await page.evaluate(() => window.bussolaMap.queryRenderedFeatures({ layers: ['results-badges'] }).map((f) => f.properties.id));
    assert.deepEqual([...new Set(markers)].sort(), [...got.ids].sort(), 'every result is marked on the map');

    // The first result: contact links, demo label, directions, details.
    const first = page.locator('#result-list > li').first();
    const p0 = api.features[0].properties;
    const [lon0, lat0] = api.features[0].geometry.coordinates;
    if (p0.contact?.phone) assert.equal(await first.locator('a[href^="tel:"]').getAttribute('href'), `tel:${p0.contact.phone.replace(/[^\d+]/g, '')}`);
    if (p0.contact?.email) assert.equal(await first.locator('a[href^="mailto:"]').getAttribute('href'), `mailto:${p0.contact.email}`);
    assert.equal(await first.locator('a.btn-primary').getAttribute('href'), `https://www.google.com/maps/dir/?api=1&destination=${lat0},${lon0}`);
    if (p0.demo) assert.match(await first.textContent(), /Dados de demonstração/);
    assert.match(await first.locator('.distance').textContent(), /km|m\b/);
    const more = first.locator('button[aria-expanded]');
    await more.click();
    assert.equal(await more.getAttribute('aria-expanded'), 'true');
    assert.ok(await first.locator('dl.more').isVisible(), 'details open');
    if (p0.provider?.name) assert.match(await first.locator('dl.more').textContent(), new RegExp(p0.provider.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    // Every card links to Carta Social's listing of its response in its municipality (the
    // manifest's default pattern), except a response Carta Social does not code.
    const official = await page.evaluate(() => [...document.querySelectorAll('#result-list > li')]
      .map((li) => li.querySelector('a.official-listing')?.getAttribute('href') ?? null));
    const want = api.features.map(({ properties: p }) => {
      const m = p.municipality.code;
      return p.tp ? `https://www.cartasocial.pt/resultados-da-pesquisa?vt=${p.subarea}&tp=${p.tp}&l=${m.slice(0, 2)}-${m.slice(2)}-99` : null;
    });
    assert.ok(want.some(Boolean), 'some result has an official listing');
    assert.deepEqual(official, want);
    assert.equal(await first.locator('a.official-listing').textContent(), 'Ver na Carta Social');

    // A click on a result's marker (one well apart from the others) selects it in the list.
    const pick = await page.evaluate(() => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const pts = map.queryRenderedFeatures({ layers: ['results-badges'] })
        .map((f) => ({ id: f.properties.id, q: map.project(f.geometry.coordinates) }));
      const apart = pts.find((a) => a.q.x > 60 && a.q.y > 60 && a.q.x < c.width - 60 && a.q.y < c.height - 90
        && pts.every((b) => b.id === a.id || Math.hypot(a.q.x - b.q.x, a.q.y - b.q.y) > 36));
      return apart && { id: apart.id, x: c.left + apart.q.x, y: c.top + apart.q.y };
    });
    assert.ok(pick, 'a result marker apart from the others');
    await page.mouse.click(pick.x, pick.y);
    await page.waitForSelector(`#result-list > li.is-selected[data-id="${pick.id}"]`);
    assert.ok(await page.locator(`#result-list > li[data-id="${pick.id}"] dl.more`).isVisible(), 'its details open');

    // With a group and a response type: the tiles and the list are filtered.
    const type = api.features.find((f) => f.properties.group === 'elderly')?.properties.type || 'CENTRO_DIA';
    await page.click('#group-choices label:has(input[value="elderly"])');
    await page.selectOption('#type-select', type);
    await page.waitForFunction((t) => document.getElementById('result-list').dataset.type === t
      && document.getElementById('result-list').dataset.state === 'done', type);
    await idle(page);
    const clicked2 = await searchOnMap(page, -8.2, 38.65);
    got = await listed(page);
    assert.equal(got.search.group, 'elderly');
    assert.equal(got.search.type, type);
    assert.ok(Math.abs(Number(got.search.lon) - clicked2.lon) <= clicked2.degPerPx * 1.5);
    api = await apiNearest(got.search);
    assert.ok(api.features.length > 0);
    assert.deepEqual(got.ids, api.features.map((f) => f.id));
    assert.ok(api.features.every((f) => f.properties.type === type));
    const tiles = await page.evaluate(() => window.bussolaMap.getSource('bussola').tiles);
    assert.ok(tiles.every((u) => u.endsWith(`.mvt?group=elderly&type=${type}`)), `tiles URL filtered: ${tiles}`);
    assert.ok(requests.some((u) => u.includes(`.mvt?group=elderly&type=${type}`)), 'filtered tiles were requested');
    await idle(page);
    const drawn = await page.evaluate(() => window.bussolaMap.queryRenderedFeatures({ layers: ['services-points', 'services-clusters'] }).map((f) => f.properties));
    assert.ok(drawn.length > 0);
    for (const f of drawn) {
      if (f.cluster) assert.equal(f.count_elderly, f.count, 'clusters hold only the filtered group');
      else {
        assert.equal(f.group, 'elderly');
        assert.equal(f.type, type);
      }
    }
    assert.ok(await page.evaluate(() => document.scrollingElement.scrollHeight <= window.innerHeight),
      'on a wide screen the page does not scroll: the side column does');
    await shot(page, 'desktop-results');
    await page.evaluate(() => document.getElementById('results').scrollIntoView());
    await shot(page, 'desktop-results-list');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(c4) under a group, Carta Social\'s subarea narrows the types, the list and the tiles', async () => {
    const { context, page, errors } = await openPage(browser);
    await waitForMap(page);
    assert.ok(await page.locator('#subarea-field').isHidden(), 'no finer choice before a group');
    await page.click('#group-choices label:has(input[value="disability"])');
    await page.waitForSelector('#subarea-field:not([hidden])');
    const offered = await page.locator('#subarea-select option').evaluateAll((os) => os.map((o) => o.value));
    const under = taxonomy.subareas.filter((s) => s.groups.includes('disability')).map((s) => s.code);
    assert.deepEqual(offered, ['', ...under]);
    await page.selectOption('#subarea-select', '22');
    const types = await page.locator('#type-select option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    const want = taxonomy.responses.filter((r) => r.group === 'disability' && r.subarea === '22').map((r) => r.code);
    assert.deepEqual(types, want);
    await searchOnMap(page, -7.9079, 38.5713);
    const got = await listed(page);
    assert.equal(got.search.subarea, '22');
    const api = await apiNearest(got.search);
    assert.ok(api.features.length > 0);
    assert.deepEqual(got.ids, api.features.map((f) => f.id));
    assert.ok(api.features.every((f) => f.properties.subarea === '22'));
    const tiles = await page.evaluate(() => window.bussolaMap.getSource('bussola').tiles);
    assert.ok(tiles.every((u) => u.endsWith('.mvt?group=disability&subarea=22')), `tiles URL filtered: ${tiles}`);
    // Elderly care has one subarea: no finer choice, and the subarea is let go.
    await page.click('#group-choices label:has(input[value="elderly"])');
    await page.waitForSelector('#subarea-field[hidden]', { state: 'attached' });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(c2) "use my location" and a typed municipality name (accent-insensitive) search too', async () => {
    const browserContext = await browser.newContext({
      viewport: DESKTOP, geolocation: { longitude: -7.9079, latitude: 38.5713 }, permissions: ['geolocation'],
    });
    const page = await browserContext.newPage();
    await page.goto(BASE);
    await page.waitForSelector('#group-choices input');
    await page.click('#locate');
    await waitForResults(page, -7.9079, 38.5713);
    let got = await listed(page);
    assert.equal(got.search.how, 'location');
    assert.deepEqual(got.ids, (await apiNearest(got.search)).features.map((f) => f.id));

    await page.fill('#place-input', 'REGUENGOS de monsaraz');
    await page.press('#place-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.how === 'municipality'
      && document.getElementById('result-list').dataset.state === 'done');
    got = await listed(page);
    assert.deepEqual(got.ids, (await apiNearest(got.search)).features.map((f) => f.id));
    assert.match(await page.textContent('#status'), /Reguengos de Monsaraz/);
    // From the seat the server's place search gives (when it has one).
    const places = await fetch(`${BASE}/api/places?q=reguengos`).then((r) => (r.ok ? r.json() : null));
    if (places?.places?.length) {
      assert.ok(Math.abs(Number(got.search.lon) - places.places[0].lon) < 1e-5 && Math.abs(Number(got.search.lat) - places.places[0].lat) < 1e-5);
    }

    // A name that matches nothing offers every municipality instead of a dead end.
    await page.fill('#place-input', 'Lisboa');
    await page.press('#place-input', 'Enter');
    await page.waitForSelector('#place-choices:not([hidden]) button');
    assert.equal(await page.locator('#place-choices button').count(), municipalities.features.length);
    await page.locator('#place-choices button', { hasText: 'Mourão' }).click();
    await page.waitForFunction(() => document.getElementById('place-input').value === 'Mourão'
      && document.getElementById('result-list').dataset.state === 'done');
    await browserContext.close();
  });

  it('(c3) a service clicked on the map opens its details, where a wrong record can be reported; a cluster zooms in', async () => {
    const { context, page, errors } = await openPage(browser);
    await waitForMap(page);
    // A cluster: a click zooms in.
    const z0 = await page.evaluate(() => window.bussolaMap.getZoom());
    const cl = await page.evaluate(() => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const f = map.queryRenderedFeatures({ layers: ['services-clusters'] }).sort((a, b) => b.properties.count - a.properties.count)[0];
      const q = map.project(f.geometry.coordinates);
      return { x: c.left + q.x, y: c.top + q.y };
    });
    await page.mouse.click(cl.x, cl.y);
    await page.waitForFunction((z) => window.bussolaMap.getZoom() > z + 1, z0);
    assert.equal(await page.evaluate(() => document.getElementById('result-list').dataset.state || ''), '', 'a cluster click is not a search');
    // A single service at zoom 13.
    await page.evaluate(() => window.bussolaMap.jumpTo({ center: [-7.9079, 38.5713], zoom: 13 }));
    await idle(page);
    const svc = await page.evaluate(() => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const all = map.queryRenderedFeatures({ layers: ['services-points'] }).map((f) => ({ f, q: map.project(f.geometry.coordinates) }));
      const apart = all.find(({ f, q }) => q.x > 60 && q.y > 60 && q.x < c.width - 60 && q.y < c.height - 90
        && all.every((o) => o.f.properties.id === f.properties.id || Math.hypot(o.q.x - q.x, o.q.y - q.y) > 24));
      return apart && { id: apart.f.properties.id, name: apart.f.properties.name, x: c.left + apart.q.x, y: c.top + apart.q.y };
    });
    assert.ok(svc, 'a service point apart from the others');
    await page.mouse.click(svc.x, svc.y);
    await page.waitForSelector('#selected:not([hidden]) #selected-name');
    assert.equal(await page.textContent('#selected-name'), svc.name);
    const one = await getJSON(`/api/services/${encodeURIComponent(svc.id)}`);
    if (one.properties.demo) assert.match(await page.textContent('#selected'), /Dados de demonstração/);
    // "Is this wrong?": a report without an account, after choosing what is wrong.
    await page.click('#report summary');
    await page.click('#report button[type=submit]');
    assert.match(await page.textContent('#report .status'), /Escolha o que está errado/);
    await page.check('#report input[value=closed]');
    await page.fill('#report-note', 'Fechou em outubro.');
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/services/${encodeURIComponent(svc.id)}/feedback`)),
      page.click('#report button[type=submit]'),
    ]);
    assert.equal(res.status(), 201);
    const sent = await res.json();
    assert.deepEqual([sent.problem, sent.note, sent.service_id], ['closed', 'Fechou em outubro.', svc.id]);
    await page.waitForSelector('#report-done');
    assert.match(await page.textContent('#report-done'), /Obrigado/);
    await page.click('#selected .selected-head button');
    assert.ok(await page.locator('#selected').isHidden());
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(d) the language switch changes the interface and the taxonomy names', async () => {
    const { context, page } = await openPage(browser);
    await page.waitForSelector('#group-choices input');
    const read = () => page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.title,
      h1: document.getElementById('find-title').textContent,
      views: [...document.querySelectorAll('.view-btn')].map((b) => b.textContent),
      locate: document.getElementById('locate').textContent.trim(),
      groups: [...document.querySelectorAll('#group-choices label')].map((l) => l.textContent.trim().replace(/^[A-Z](?=\p{Lu})/u, '')),
      options: [...document.querySelectorAll('#type-select option')].map((o) => o.textContent),
      optgroups: [...document.querySelectorAll('#type-select optgroup')].map((o) => o.label),
      status: document.getElementById('status').textContent,
    }));
    const pt = await read();
    assert.equal(pt.lang, 'pt');
    assert.equal(pt.h1, 'Encontrar apoio perto de si');
    assert.deepEqual(pt.optgroups, taxonomy.groups.map((g) => g.pt));
    assert.deepEqual(pt.options.slice(1), taxonomy.groups.flatMap((g) => taxonomy.responses.filter((r) => r.group === g.code).map((r) => r.pt_plain)));

    await page.click('#lang-switch');
    const en = await read();
    assert.equal(en.lang, 'en');
    assert.equal(en.h1, 'Find care near you');
    assert.equal(en.title, 'Bússola: social care near you');
    assert.deepEqual(en.views, ['Find care', 'Where care is missing', 'What if…?', 'For professionals', 'Trends']);
    assert.equal(en.locate, 'Use my location');
    assert.deepEqual(en.optgroups, taxonomy.groups.map((g) => g.en));
    assert.deepEqual(en.options.slice(1), taxonomy.groups.flatMap((g) => taxonomy.responses.filter((r) => r.group === g.code).map((r) => r.en_plain)));
    for (const g of taxonomy.groups) assert.ok(en.groups.some((x) => x.endsWith(g.en)), `group ${g.en}`);
    for (const k of ['h1', 'status', 'locate']) assert.notEqual(en[k], pt[k], k);
    assert.equal(await page.textContent('#lang-switch'), 'Português');

    // Results already on screen change language too.
    await waitForMap(page);
    await searchOnMap(page, -7.75, 38.62);
    const got = await listed(page);
    const api = await apiNearest(got.search);
    const kind = await page.locator('#result-list > li .kind').first().textContent();
    assert.ok(kind.includes(api.features[0].properties.type_name.en), kind);
    await page.click('#result-list > li:first-child button[aria-expanded]');
    await idle(page);
    await shot(page, 'desktop-en');
    await page.click('#lang-switch');
    const kindPt = await page.locator('#result-list > li .kind').first().textContent();
    assert.ok(kindPt.includes(api.features[0].properties.type_name.pt), kindPt);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'pt');
    await context.close();
  });

  it('(e) the coverage view shows a legend, the table, and a municipality\'s figures on click', async () => {
    const { context, page, errors } = await openPage(browser);
    await waitForMap(page);
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    const report = await getJSON('/api/coverage?indicator=elderly');
    const n1 = fmt('pt-PT', 1);
    const n0 = fmt('pt-PT', 0);

    assert.equal(await page.locator('#coverage-table tbody tr').count(), report.municipalities.length);
    const legend = page.locator('#coverage-legend-items li');
    assert.ok(await legend.count() >= 6, 'legend classes, no data, hatch, dashed');
    assert.ok(await page.locator('#coverage-legend').isVisible());
    assert.match(await page.textContent('#region-summary'), new RegExp(n1(report.region.rate).replace('.', '\\.')));
    await idle(page);
    const fill = await page.evaluate(() => {
      const map = window.bussolaMap;
      return {
        codes: [...new Set(map.queryRenderedFeatures({ layers: ['coverage-fill'] }).map((f) => f.properties.code))].length,
        services: map.queryRenderedFeatures({ layers: ['services-points', 'services-clusters'] }).length,
      };
    });
    assert.equal(fill.codes, municipalities.features.length, 'the choropleth covers every municipality');
    assert.equal(fill.services, 0, 'the service points are hidden in the coverage view');

    // Click Évora (or the first municipality) on the map.
    const muni = municipalities.features.find((f) => f.properties.code === '0705') || municipalities.features[0];
    const [lon, lat] = centroid(muni);
    const pt = await page.evaluate(([x, y]) => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const q = map.project([x, y]);
      const hit = map.queryRenderedFeatures(q, { layers: ['coverage-fill'] })[0];
      return { x: c.left + q.x, y: c.top + q.y, code: hit?.properties.code };
    }, [lon, lat]);
    assert.equal(pt.code, muni.properties.code);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction((code) => document.getElementById('figures').dataset.code === code, muni.properties.code);
    const row = report.municipalities.find((r) => r.code === muni.properties.code);
    const fig = await page.textContent('#figures');
    assert.match(await page.textContent('#figures h2'), new RegExp(row.name));
    for (const v of [n0(muni.properties.population.total), n0(row.population), n0(row.capacity), n1(row.rate), n1(report.region.rate)]) {
      assert.ok(fig.includes(v), `figures show ${v}: ${fig}`);
    }
    for (const g of taxonomy.groups) assert.ok(fig.includes(g.pt), `services of ${g.pt}`);
    // Carta Social's own listing of ERPI, Centro de Dia and SAD in the municipality.
    const [d, c] = [row.code.slice(0, 2), row.code.slice(2)];
    assert.deepEqual(
      await page.locator('#figures .official-listings a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
      [['21', '2107'], ['21', '2103'], ['21', '2101']].map(([vt, tp]) => `https://www.cartasocial.pt/resultados-da-pesquisa?vt=${vt}&tp=${tp}&l=${d}-${c}-99`),
    );
    assert.equal(await page.locator(`#coverage-table tr.is-selected[data-code="${row.code}"]`).count(), 1);
    await idle(page);
    await shot(page, 'desktop-coverage');

    // Early childhood: legend, figures and map change.
    await page.click('label.chip:has(input[name="indicator"][value="early_childhood"])');
    await page.waitForSelector('#coverage-legend[data-indicator="early_childhood"]');
    const ec = await getJSON('/api/coverage?indicator=early_childhood');
    const ecRow = ec.municipalities.find((r) => r.code === row.code);
    // OpenStreetMap's creches publish no capacity: there the rate is unknown, and the figures say why.
    const unknown = ecRow.services > 0 && ecRow.services_without_capacity === ecRow.services;
    assert.equal(ecRow.rate == null, unknown || ecRow.population == null);
    await page.waitForFunction((txt) => document.getElementById('figures').textContent.includes(txt),
      unknown ? 'nenhuma publica quantos lugares tem' : n1(ecRow.rate));
    const paint = await page.evaluate(() => JSON.stringify(window.bussolaMap.getPaintProperty('coverage-fill', 'fill-color')));
    assert.ok(paint.includes('early_childhood_rate') && !paint.includes('"elderly_rate"'), paint);

    // The table works without the map.
    const other = ec.municipalities.find((r) => r.code !== row.code);
    await page.click(`#coverage-table tr[data-code="${other.code}"] button`);
    await page.waitForFunction((code) => document.getElementById('figures').dataset.code === code, other.code);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(e2) opens on the whole region; choosing a sub-region fits the map to it and limits the coverage table', async () => {
    const { context, page, errors } = await openPage(browser);
    await waitForMap(page);
    assert.ok(region.regions.length > 1, 'the shipped default is served as several sub-regions');
    assert.match(await page.textContent('.tagline'), new RegExp(`no ${region.name}$`));
    const select = page.locator('#subregion-select');
    assert.ok(await select.isVisible());
    assert.equal(await select.inputValue(), '', 'the page opens on the whole region');
    const options = await select.locator('option').allTextContents();
    assert.equal(options.length, 1 + region.regions.length);
    assert.ok(options[0].includes(`${region.municipalities} concelhos`), options[0]);
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    assert.equal(await page.locator('#coverage-table tbody tr').count(), region.municipalities);
    await idle(page);
    const width = () => page.evaluate(() => { const b = window.bussolaMap.getBounds(); return b.getEast() - b.getWest(); });
    const wholeWidth = await width();

    const part = region.regions.find((r) => r.id === 'alentejo-central') || region.regions[0];
    await select.selectOption(part.id);
    const report = await getJSON(`/api/coverage?indicator=elderly&region=${part.id}`);
    assert.equal(report.municipalities.length, part.municipalities);
    await page.waitForFunction((n) => document.querySelectorAll('#coverage-table tbody tr').length === n, part.municipalities);
    const codes = await page.locator('#coverage-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.code).sort());
    assert.deepEqual(codes, report.municipalities.map((m) => m.code).sort());
    assert.ok((await page.textContent('#region-summary')).includes(part.name));
    assert.ok((await page.getAttribute('#coverage-csv', 'href')).includes(`region=${part.id}`));
    await idle(page);
    // The map now shows that sub-region: its centre lies inside the part's municipalities' box.
    const mine = municipalities.features.filter((f) => f.properties.region === part.id);
    const box = [180, 90, -180, -90];
    for (const f of mine) {
      for (const p of JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+,-?\d+\.\d+/g)) {
        const [x, y] = p.split(',').map(Number);
        box[0] = Math.min(box[0], x); box[1] = Math.min(box[1], y); box[2] = Math.max(box[2], x); box[3] = Math.max(box[3], y);
      }
    }
    const c = await page.evaluate(() => window.bussolaMap.getCenter().toArray());
    assert.ok(c[0] > box[0] && c[0] < box[2] && c[1] > box[1] && c[1] < box[3], `centre ${c} in ${box}`);
    assert.ok(await width() < wholeWidth * 0.8, 'zoomed in from the whole region');

    await select.selectOption('');
    await page.waitForFunction((n) => document.querySelectorAll('#coverage-table tbody tr').length === n, region.municipalities);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(f) works at 360 px wide: no horizontal scroll, touch targets of 44 px', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: PHONE, hasTouch: true });
    await waitForMap(page);
    const overflow = () => page.evaluate(() => ({
      doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth,
    }));
    const smallTargets = () => page.evaluate(() => [...document.querySelectorAll(
      'button, select, input[type="text"], .chip > span, a.btn, .contacts a, summary, .maplibregl-ctrl-group button',
    )].filter((el) => el.offsetParent !== null && !el.closest('[hidden]'))
      .map((el) => ({ el: el.id || el.className || el.tagName, text: el.textContent.trim().slice(0, 30), ...el.getBoundingClientRect().toJSON() }))
      .filter((r) => r.height < 43.5 || r.width < 43.5));
    let o = await overflow();
    assert.ok(o.doc <= PHONE.width && o.body <= PHONE.width, `no horizontal scroll: ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await shot(page, 'phone-find');
    await shot(page, 'phone-find-full', { fullPage: true });

    await page.fill('#place-input', 'evora');
    await page.click('#find-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    const got = await listed(page);
    assert.equal(got.search.how, 'municipality');
    assert.deepEqual(got.ids, (await apiNearest(got.search)).features.map((f) => f.id));
    await idle(page);
    o = await overflow();
    assert.ok(o.doc <= PHONE.width, `no horizontal scroll with results: ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await page.evaluate(() => document.getElementById('map-area').scrollIntoView());
    await shot(page, 'phone-results-map');
    await page.evaluate(() => document.getElementById('results').scrollIntoView());
    await shot(page, 'phone-results-list');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-results-full', { fullPage: true });
    // The municipality's listing fits too.
    await page.click('#list-toggle');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.municipality !== ''
      && document.getElementById('result-list').dataset.state === 'done');
    o = await overflow();
    assert.ok(o.doc <= PHONE.width, `no horizontal scroll with the listing: ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);

    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    await page.click('#coverage-table tbody tr:first-child button');
    await idle(page);
    o = await overflow();
    assert.ok(o.doc <= PHONE.width, `no horizontal scroll in the coverage view: ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-coverage');
    await page.evaluate(() => document.getElementById('figures').scrollIntoView());
    await shot(page, 'phone-coverage-figures');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-coverage-full', { fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(g) the form is reachable with the keyboard, and the list works without the map', async () => {
    const { context, page } = await openPage(browser);
    await page.waitForSelector('#group-choices input');
    const seen = new Set();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      seen.add(await page.evaluate(() => document.activeElement.id || document.activeElement.name || document.activeElement.tagName));
    }
    for (const id of ['lang-switch', 'view-find', 'view-coverage', 'group', 'type-select', 'locate', 'place-input']) {
      assert.ok(seen.has(id), `Tab reaches ${id} (${[...seen].join(', ')})`);
    }
    // Every control has a name a screen reader can read.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, select, input, a[href]')]
      .filter((el) => el.offsetParent !== null || el.type === 'radio')
      .filter((el) => {
        const label = el.labels?.[0]?.textContent.trim() || el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent.trim();
        return !label;
      })
      .map((el) => el.outerHTML.slice(0, 120)));
    assert.deepEqual(unnamed, []);
    await waitForMap(page);
    assert.equal(await page.getAttribute('.maplibregl-ctrl-zoom-in', 'aria-label'), 'Aproximar', 'map controls in Portuguese');
    assert.match(await page.getAttribute('.maplibregl-canvas', 'aria-label'), /Mapa/);

    // Keyboard only: choose a group with the arrows, type a place, Enter.
    await page.focus('input[name="group"][value=""]');
    await page.keyboard.press('ArrowRight');
    const group = await page.evaluate(() => document.querySelector('input[name="group"]:checked').value);
    assert.equal(group, taxonomy.groups[0].code);
    await page.focus('#place-input');
    await page.keyboard.type('Portel');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    const got = await listed(page);
    assert.equal(got.search.group, taxonomy.groups[0].code);
    assert.deepEqual(got.ids, (await apiNearest(got.search)).features.map((f) => f.id));
    assert.equal(await page.getAttribute('#status', 'aria-live'), 'polite');
    await context.close();
  });

  it('(h) without MapLibre the page says so, and the form and the list still work', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    await context.route('**/vendor/maplibre-gl/**', (route) => route.abort());
    const page = await context.newPage();
    await page.goto(BASE);
    await page.waitForFunction(() => document.body.dataset.mapReady === 'failed');
    assert.match(await page.textContent('#map-message'), /não está disponível/);
    await page.fill('#place-input', 'Évora');
    await page.press('#place-input', 'Enter');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    const got = await listed(page);
    assert.deepEqual(got.ids, (await apiNearest(got.search)).features.map((f) => f.id));
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    await page.click('#coverage-table tbody tr:first-child button');
    await page.waitForFunction(() => document.getElementById('figures').dataset.code);
    assert.ok(await page.locator('#coverage-legend-items li').count() >= 6, 'the legend is drawn without the map');
    await shot(page, 'desktop-no-map');
    await context.close();
  });

  it('(i) the footer leads to the data quality report and the open data, in the page\'s language', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.click('#lang-switch');
    assert.equal(await page.getAttribute('#quality-link', 'href'), '/quality?lang=en');
    const downloads = await page.$$eval('.open-data a[download]', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(downloads.length, 7, downloads.join(' '));
    for (const href of downloads) {
      const status = await page.evaluate(async (u) => (await fetch(u)).status, href);
      assert.equal(status, 200, href);
    }
    await page.click('#quality-link');
    await page.waitForSelector('h1');
    assert.equal(await page.textContent('h1'), 'Data quality report');
    // The region's own service file is in the report, and the way back to the map is there.
    const sources = await page.$$eval('table', (ts) => ts[0].innerText);
    assert.match(sources, /services\.geojson/);
    await shot(page, 'desktop-quality');
    await page.click('text=Back to the map');
    await page.waitForURL(/\/\?lang=en$/);
    await waitForMap(page);
    assert.equal(await page.textContent('#lang-switch').then((t) => t.trim().length > 0), true);
    assert.deepEqual(errors, [], 'no errors in the page');
    await context.close();
  });
});
