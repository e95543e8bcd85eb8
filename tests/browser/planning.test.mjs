// Browser tests of the planners' views: distance-based gaps (map, legend, ranked table, CSV),
// the printable summary of a municipality and what-if scenarios, against a running server
// (BUSSOLA_URL). Run: node --test --test-concurrency=1 tests/browser/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BASE, ORIGIN, PHONE, ARTIFACTS, launch, openPage, waitForMap, idle, shot, getJSON, emptyPointNear,
} from './helpers.mjs';

let browser;
let region;
let municipalities;

// The page's number formats (web/i18n.js): never "-0".
const n = (digits = 0, locale = 'pt-PT') => (x) => {
  let v = Number(x);
  if (Math.abs(v) < 0.5 * 10 ** -digits) v = 0;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
};
const pct = (digits = 0, locale = 'pt-PT') => (x) => {
  let v = Number(x);
  if (Math.abs(v) < 0.5 * 10 ** -(digits + 2)) v = 0;
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
};
const km1 = (x) => `${n(1)(x)} km`;

/** The same ordering the page promises: nulls last, ties by name (Portuguese collation). */
function sortedCodes(rows, key, dir) {
  const s = dir === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x == null && y != null) return 1;
    if (y == null && x != null) return -1;
    const c = x == null ? 0 : (typeof x === 'string' ? x.localeCompare(y, 'pt') : x - y) * s;
    return c || a.name.localeCompare(b.name, 'pt');
  }).map((r) => r.code);
}

async function postScenario(body) {
  const res = await fetch(`${BASE}/api/scenarios`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `POST /api/scenarios ${JSON.stringify(body)}`);
  return res.json();
}

function centroid(feature) {
  const polys = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  const ring = polys.reduce((a, b) => (b[0].length > a[0].length ? b : a))[0];
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/** The ids of the table's body rows, in order. */
const rowCodes = (page) => page.$$eval('#gaps-table tbody tr', (trs) => trs.map((tr) => tr.dataset.code));

async function openDistance(page) {
  await page.click('#view-coverage');
  await page.click('label.chip:has(input[name="measure"][value="distance"])');
  await page.waitForSelector('#gaps-table-box[data-state="done"]');
}

const foreign = (requests) => requests.filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== ORIGIN);

before(async () => {
  [region, municipalities] = await Promise.all([getJSON('/api/region'), getJSON('/api/municipalities')]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

describe('the planners\' views', () => {
  it('(p1) distance: a legend, the choropleth from the tiles or /api/gaps, and a clicked municipality\'s figures equal to /api/gaps', async () => {
    const { context, page, requests, errors } = await openPage(browser);
    await waitForMap(page);
    await openDistance(page);
    const gaps = await getJSON('/api/gaps?type=ERPI&threshold_km=10');
    assert.equal(gaps.target, 'age_65_plus');

    // The legend: five classes, "cannot be measured", titled with the threshold.
    assert.ok(await page.locator('#coverage-legend').isVisible());
    assert.ok(await page.locator('#coverage-legend-items li').count() >= 6);
    assert.match(await page.textContent('#coverage-legend-title'), /65 ou mais anos a mais de 10 km/);
    assert.ok((await page.textContent('#region-summary')).includes(pct()(gaps.region.share_beyond)));

    // The map draws the ERPI share from the tiles, and the tiles' values are the API's.
    await idle(page);
    const drawn = await page.evaluate(() => {
      const map = window.bussolaMap;
      return {
        paint: JSON.stringify(map.getPaintProperty('gaps-fill', 'fill-color')),
        visible: map.getLayoutProperty('gaps-fill', 'visibility'),
        rate: map.getLayoutProperty('coverage-fill', 'visibility'),
        features: map.queryRenderedFeatures({ layers: ['gaps-fill'] }).map((f) => [f.properties.code, f.properties.erpi_share_beyond, f.properties.erpi_mean_km]),
      };
    });
    assert.equal(drawn.visible, 'visible');
    assert.equal(drawn.rate, 'none', 'the rate choropleth is hidden');
    assert.ok(drawn.paint.includes('erpi_share_beyond'), drawn.paint);
    assert.equal(new Set(drawn.features.map((f) => f[0])).size, municipalities.features.length, 'every municipality is drawn');
    for (const [code, share, mean] of drawn.features) {
      const row = gaps.municipalities.find((r) => r.code === code);
      assert.ok(Math.abs(share - row.share_beyond) < 1e-3, `${code} share: tile ${share}, API ${row.share_beyond}`);
      assert.ok(Math.abs(mean - row.mean_km) < 1e-2, `${code} mean: tile ${mean}, API ${row.mean_km}`);
    }

    // A click on Évora shows its figures, equal to /api/gaps.
    const muni = municipalities.features.find((f) => f.properties.code === '0705') || municipalities.features[0];
    const [lon, lat] = centroid(muni);
    const pt = await page.evaluate(([x, y]) => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const q = map.project([x, y]);
      return { x: c.left + q.x, y: c.top + q.y, code: map.queryRenderedFeatures(q, { layers: ['gaps-fill'] })[0]?.properties.code };
    }, [lon, lat]);
    assert.equal(pt.code, muni.properties.code);
    await page.mouse.click(pt.x, pt.y);
    await page.waitForFunction((code) => document.getElementById('figures').dataset.code === code, muni.properties.code);
    const row = gaps.municipalities.find((r) => r.code === muni.properties.code);
    const dd = (key) => page.textContent(`#figures dd[data-key="${key}"]`);
    assert.equal(await dd('mean_km'), km1(row.mean_km));
    assert.equal(await dd('p90_km'), km1(row.p90_km));
    assert.equal(await dd('share_beyond'), pct()(row.share_beyond));
    assert.equal(await dd('people_beyond'), n()(row.people_beyond));
    assert.equal(await dd('access_per_1000'), n()(row.access_per_1000));
    assert.equal(await dd('services'), n()(row.services));
    assert.equal(await dd('capacity'), n()(row.capacity));
    assert.equal(await dd('population'), n()(row.population));
    assert.equal(await page.locator(`#gaps-table tr.is-selected[data-code="${row.code}"]`).count(), 1);
    await idle(page);
    await shot(page, 'desktop-distance');

    // Average distance: the map switches to the tiles' mean.
    await page.click('label.chip:has(input[name="gap-metric"][value="mean_km"])');
    await page.waitForFunction(() => JSON.stringify(window.bussolaMap.getPaintProperty('gaps-fill', 'fill-color')).includes('erpi_mean_km'));
    assert.match(await page.textContent('#coverage-legend-title'), /Distância média/);

    // Any response of the taxonomy: the map joins /api/gaps by code (the tiles do not carry it).
    await page.click('label.chip:has(input[name="gap-metric"][value="share_beyond"])');
    await page.selectOption('#gap-type', 'LAR_RESIDENCIAL');
    await page.waitForSelector('#gaps-table-box[data-key="LAR_RESIDENCIAL|10"]');
    const other = await getJSON('/api/gaps?type=LAR_RESIDENCIAL&threshold_km=10');
    const expr = await page.evaluate(() => window.bussolaMap.getPaintProperty('gaps-fill', 'fill-color'));
    const match = JSON.stringify(expr);
    assert.ok(match.includes('"match"') && !match.includes('_share_beyond'), match);
    for (const r of other.municipalities) {
      assert.ok(match.includes(`"${r.code}",${r.share_beyond == null ? -1 : Math.max(0, r.share_beyond)}`), `${r.code} joined with ${r.share_beyond}`);
    }
    const orow = other.municipalities.find((r) => r.code === row.code);
    await page.waitForFunction((v) => document.querySelector('#figures dd[data-key="share_beyond"]')?.textContent === v, pct()(orow.share_beyond));
    assert.equal(await dd('mean_km'), km1(orow.mean_km));
    assert.ok(await page.locator('#show-points').isDisabled(), 'no population points for a response the tiles do not carry');

    // Another threshold asks /api/gaps again, and the map uses its answer.
    await page.selectOption('#gap-type', 'ERPI');
    await page.fill('#threshold', '15');
    await page.press('#threshold', 'Enter');
    await page.waitForSelector('#gaps-table-box[data-key="ERPI|15"]');
    assert.ok(requests.some((u) => u.includes('/api/gaps?type=ERPI&threshold_km=15')), 'asked /api/gaps at 15 km');
    const g15 = await getJSON('/api/gaps?type=ERPI&threshold_km=15');
    const r15 = g15.municipalities.find((r) => r.code === row.code);
    assert.equal(await dd('share_beyond'), pct()(r15.share_beyond));
    assert.match(await page.textContent('#gaps-table thead'), /15 km/);
    assert.ok(JSON.stringify(await page.evaluate(() => window.bussolaMap.getPaintProperty('gaps-fill', 'fill-color'))).includes('"match"'));
    // A threshold that is not a distance is refused, in words.
    await page.fill('#threshold', '0');
    await page.press('#threshold', 'Enter');
    assert.ok(await page.locator('#threshold-error').isVisible());
    assert.equal(await page.getAttribute('#threshold', 'aria-invalid'), 'true');
    await page.fill('#threshold', '10');
    await page.press('#threshold', 'Enter');
    await page.waitForSelector('#gaps-table-box[data-key="ERPI|10"]');

    // Where the people live: circles sized by people, coloured by distance.
    await page.check('#show-points');
    await idle(page);
    const points = await page.evaluate(() => {
      const map = window.bussolaMap;
      const f = map.queryRenderedFeatures({ layers: ['gaps-points'] });
      return { n: f.length, weights: f.slice(0, 50).map((x) => x.properties.age_65_plus), color: JSON.stringify(map.getPaintProperty('gaps-points', 'circle-color')) };
    });
    assert.ok(points.n > 100, `population points drawn: ${points.n}`);
    assert.ok(points.weights.every((w) => w > 0));
    assert.ok(points.color.includes('erpi_km') && points.color.includes('10'), points.color);
    assert.ok(await page.locator('#coverage-legend-items li').count() >= 10, 'the legend explains the circles');
    await shot(page, 'desktop-distance-points');
    assert.deepEqual(foreign(requests), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p2) the ranked table sorts by every column (click and keyboard, aria-sort) and its CSV answers text/csv', async () => {
    const { context, page, errors } = await openPage(browser);
    await page.waitForSelector('#group-choices input');
    await openDistance(page);
    const gaps = await getJSON('/api/gaps?type=ERPI&threshold_km=10');
    assert.equal(await page.locator('#gaps-table tbody tr').count(), gaps.municipalities.length);
    assert.equal(await page.textContent('#gaps-table tfoot th'), 'Toda a região');

    // Ranked by the gap: the share beyond the threshold, largest first.
    const share = page.locator('#gaps-table th[data-key="share_beyond"]');
    assert.equal(await share.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, 'share_beyond', 'desc'));
    assert.equal(await page.locator('#gaps-table th[aria-sort]').count(), 1, 'only one column is sorted');
    // Its cells are the API's.
    for (const r of gaps.municipalities) {
      assert.equal(await page.textContent(`#gaps-table tr[data-code="${r.code}"] td[data-key="share_beyond"]`), pct()(r.share_beyond));
    }

    // A click reverses it.
    await share.locator('button').click();
    assert.equal(await share.getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, 'share_beyond', 'asc'));
    await shot(page, 'desktop-gaps-table');

    // With the keyboard: Enter and Space on a header; the focus stays on it.
    await page.focus('#gaps-table th[data-key="people_beyond"] button');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#gaps-table th[data-key="people_beyond"]', 'aria-sort'), 'descending');
    assert.equal(await share.getAttribute('aria-sort'), null);
    assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, 'people_beyond', 'desc'));
    assert.equal(await page.evaluate(() => document.activeElement.closest('th')?.dataset.key), 'people_beyond');
    await page.keyboard.press('Space');
    assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, 'people_beyond', 'asc'));
    assert.match(await page.textContent('#gaps-sort-status'), /ordenada/);

    // Every other column.
    for (const key of ['mean_km', 'p90_km', 'access_per_1000', 'population', 'services', 'capacity']) {
      await page.click(`#gaps-table th[data-key="${key}"] button`);
      assert.equal(await page.getAttribute(`#gaps-table th[data-key="${key}"]`, 'aria-sort'), 'descending', key);
      assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, key, 'desc'), key);
    }
    await page.click('#gaps-table th[data-key="name"] button');
    assert.equal(await page.getAttribute('#gaps-table th[data-key="name"]', 'aria-sort'), 'ascending');
    assert.deepEqual(await rowCodes(page), sortedCodes(gaps.municipalities, 'name', 'asc'));

    // The CSV link.
    const href = await page.getAttribute('#gaps-csv', 'href');
    assert.equal(href, '/api/gaps?type=ERPI&threshold_km=10&format=csv');
    assert.notEqual(await page.getAttribute('#gaps-csv', 'download'), null);
    const csv = await fetch(BASE + href);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const text = await csv.text();
    assert.match(text.split('\n')[0], /code,name/);
    // Codes are quoted text in CSV (GIS tools keep the leading zero).
    for (const r of gaps.municipalities) assert.ok(text.includes(`"${r.code}",`), `CSV row of ${r.code}`);

    // The rate's table links its CSV too.
    await page.click('label.chip:has(input[name="measure"][value="rate"])');
    await page.waitForSelector('#coverage-table tbody tr');
    const rateHref = await page.getAttribute('#coverage-csv', 'href');
    assert.equal(rateHref, '/api/coverage?indicator=elderly&format=csv');
    const rate = await fetch(BASE + rateHref);
    assert.match(rate.headers.get('content-type'), /^text\/csv/);

    // In English.
    await page.click('label.chip:has(input[name="measure"][value="distance"])');
    await page.waitForSelector('#gaps-table-box[data-state="done"]');
    await page.click('#lang-switch');
    assert.match(await page.textContent('#gaps-table thead'), /Share more than 10 km away/);
    assert.match(await page.textContent('#region-summary'), /of people aged 65 or more live more than 10 km/);
    assert.equal(await page.textContent('#gaps-csv'), 'Download the table (CSV)');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p3) the printable summary lists the municipality\'s services and has a print stylesheet', async () => {
    const { context, page, requests, errors } = await openPage(browser);
    await page.waitForSelector('#group-choices input');
    // window.print is recorded, not run.
    await context.addInitScript(() => {
      window.printed = 0;
      window.print = () => { window.printed += 1; };
    });
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    const mourao = municipalities.features.find((f) => f.properties.name === 'Mourão') || municipalities.features[0];
    const code = mourao.properties.code;
    await page.click(`#coverage-table tr[data-code="${code}"] button`);
    await page.waitForFunction((c) => document.getElementById('figures').dataset.code === c, code);
    const link = page.locator('#print-summary');
    assert.match(await link.getAttribute('href'), new RegExp(`^/summary\\.html\\?code=${code}&`));
    assert.match(await link.getAttribute('aria-label'), new RegExp(mourao.properties.name));
    const [sheet] = await Promise.all([context.waitForEvent('page'), link.click()]);
    sheet.on('pageerror', (e) => errors.push(e.message));
    await sheet.waitForFunction(() => document.body.dataset.ready === '1');
    await sheet.waitForFunction(() => window.printed === 1); // the button prints the summary, once it is drawn
    assert.ok(!(await sheet.evaluate(() => location.search)).includes('print=1'), 'a reload does not print again');

    const listed = await getJSON(`/api/services?municipality=${code}&limit=500`);
    assert.equal(await sheet.locator('#summary-services tr.svc').count(), listed.numberMatched);
    assert.deepEqual((await sheet.$$eval('#summary-services tr.svc', (trs) => trs.map((tr) => tr.dataset.id))).sort(),
      listed.features.map((f) => f.properties.id).sort());
    assert.match(await sheet.textContent('h1'), new RegExp(mourao.properties.name));
    const body = await sheet.textContent('#sheet');
    assert.ok(body.includes(n()(mourao.properties.population.total)), 'total population');
    const cov = await getJSON('/api/coverage?indicator=elderly');
    const crow = cov.municipalities.find((r) => r.code === code);
    assert.equal(await sheet.textContent('#summary-coverage tr[data-indicator="elderly"] td[data-key="rate"]'), n(1)(crow.rate));
    const gaps = await getJSON('/api/gaps?type=ERPI&threshold_km=10');
    const grow = gaps.municipalities.find((r) => r.code === code);
    assert.equal(await sheet.textContent('#summary-distance tr[data-type="ERPI"] td[data-key="mean_km"]'), n(1)(grow.mean_km));
    assert.equal(await sheet.textContent('#summary-distance tr[data-type="ERPI"] td[data-key="share_beyond"]'), pct()(grow.share_beyond));
    if (region.demo_services > 0) assert.ok(await sheet.locator('.flag-demo').first().isVisible(), 'demonstration data is labelled');
    if (mourao.properties.approximate_boundary) assert.match(await sheet.textContent('.flag-approx'), /aproximados/);
    await shot(sheet, 'summary-screen', { fullPage: true });

    // Printed: the print stylesheet hides the toolbar and lays the services out in columns, on
    // one A4 page.
    assert.equal(await sheet.evaluate(() => getComputedStyle(document.querySelector('.toolbar')).display), 'flex');
    await sheet.emulateMedia({ media: 'print' });
    const printed = await sheet.evaluate(() => ({
      toolbar: getComputedStyle(document.querySelector('.toolbar')).display,
      columns: getComputedStyle(document.getElementById('summary-services')).columnCount,
      font: getComputedStyle(document.documentElement).fontSize,
      shadow: getComputedStyle(document.getElementById('sheet')).boxShadow,
    }));
    assert.equal(printed.toolbar, 'none');
    assert.ok(['2', '3'].includes(printed.columns), `services in columns: ${printed.columns}`);
    assert.equal(printed.shadow, 'none');
    assert.ok(parseFloat(printed.font) < 13, `a print size: ${printed.font}`);
    await shot(sheet, 'summary-print', { fullPage: true });
    const pdf = await sheet.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(ARTIFACTS, `summary-${code}.pdf`), pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert.equal(pages, 1, `one page for ${mourao.properties.name}`);
    await sheet.emulateMedia({ media: 'screen' });

    // The largest municipality lists every one of its services too (page by page of the API).
    const big = municipalities.features.reduce((a, b) => (b.properties.population.total > a.properties.population.total ? b : a));
    await sheet.goto(`${BASE}/summary.html?code=${big.properties.code}&lang=en`);
    await sheet.waitForFunction(() => document.body.dataset.ready === '1');
    const bigList = await getJSON(`/api/services?municipality=${big.properties.code}&limit=1`);
    assert.equal(await sheet.locator('#summary-services tr.svc').count(), bigList.numberMatched);
    assert.match(await sheet.textContent('#s-svc'), /Services in the municipality/);
    assert.equal(await sheet.evaluate(() => window.printed), 0, 'no print without print=1');

    // An unknown municipality says so.
    await sheet.goto(`${BASE}/summary.html?code=9999`);
    await sheet.waitForFunction(() => document.body.dataset.ready === 'error');
    assert.match(await sheet.textContent('#sheet'), /9999/);
    assert.deepEqual(foreign(requests), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p4) what if: a new ERPI dropped on the map shows the API\'s people_gaining_access; nothing is stored', async () => {
    const [regionBefore, healthBefore] = await Promise.all([getJSON('/api/region'), getJSON('/health')]);
    const { context, page, requests, errors } = await openPage(browser);
    await waitForMap(page);
    await page.click('#view-plan');
    assert.ok(await page.locator('#plan-simulation').isVisible(), 'says it is a simulation');
    assert.match(await page.textContent('#plan-simulation'), /simulação.*nada é guardado/);
    await page.selectOption('#plan-type', 'ERPI');
    await page.fill('#plan-capacity', '40');
    await idle(page);
    // The map shows the ERPIs only (to close one) and where people live far from one.
    const tiles = await page.evaluate(() => window.bussolaMap.getSource('bussola').tiles);
    assert.ok(tiles.every((u) => u.endsWith('.mvt?type=ERPI')), `${tiles}`);
    const shown = await page.evaluate(() => window.bussolaMap.queryRenderedFeatures({ layers: ['services-points', 'services-clusters'] }).map((f) => f.properties));
    assert.ok(shown.length > 0);
    for (const f of shown) {
      if (f.cluster) assert.equal(f.count, f.count_elderly, 'clusters of ERPIs only');
      else assert.equal(f.type, 'ERPI');
    }

    // A click where no service is: a hypothetical ERPI there.
    const p = await emptyPointNear(page, -8.1, 38.8);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => document.getElementById('plan-results').dataset.state === 'done');
    let sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    assert.equal(sent.open.length, 1);
    assert.equal(sent.open[0].type, 'ERPI');
    assert.equal(sent.open[0].capacity, 40);
    assert.ok(Math.abs(sent.open[0].lon - p.lon) <= p.degPerPx * 1.5 && Math.abs(sent.open[0].lat - p.lat) <= p.degPerPx * 1.5, 'where clicked');
    let api = await postScenario(sent);
    const check = async (outcome) => {
      const regionChange = outcome.changes.find((c) => c.code === 'region');
      const dd = page.locator('#plan-region dd[data-key="people_gaining_access"]');
      assert.equal(Number(await dd.getAttribute('data-value')), regionChange.people_gaining_access);
      const r = Math.round(regionChange.people_gaining_access);
      assert.equal(await dd.textContent(), r > 0 ? `+${n()(r)}` : n()(Math.abs(r)));
      // Every municipality that gains is listed with the API's number.
      for (const c of outcome.changes.filter((x) => x.code !== 'region' && Math.round(x.people_gaining_access) !== 0)) {
        const cell = page.locator(`#plan-table tr[data-code="${c.code}"] td[data-key="people_gaining_access"]`);
        assert.equal(Number(await cell.getAttribute('data-value')), c.people_gaining_access, c.code);
      }
      const mean = await page.textContent('#plan-region dd[data-key="mean_km"]');
      assert.ok(mean.includes(`${n(2)(regionChange.before.mean_km)} km`) && mean.includes(`${n(2)(regionChange.after.mean_km)} km`), mean);
      const share = await page.textContent('#plan-region dd[data-key="share_beyond"]');
      assert.ok(share.includes(pct(1)(regionChange.before.share_beyond)) && share.includes(pct(1)(regionChange.after.share_beyond)), share);
      for (const c of outcome.coverage.filter((x) => x.code === 'region')) {
        const cov = await page.textContent(`#plan-region dd[data-key="coverage_${c.indicator}"]`);
        assert.ok(cov.includes(n(1)(c.before)) && cov.includes(n(1)(c.after)), cov);
      }
    };
    await check(api);
    assert.ok(api.changes.find((c) => c.code === 'region').people_gaining_access > 0, 'an ERPI there brings people within reach');
    await idle(page);
    const marks = await page.evaluate(() => ({
      sites: window.bussolaMap.queryRenderedFeatures({ layers: ['plan-sites'] }).map((f) => f.properties.n),
      rings: window.bussolaMap.queryRenderedFeatures({ layers: ['plan-rings'] }).length,
      color: JSON.stringify(window.bussolaMap.getPaintProperty('gaps-points', 'circle-color')),
    }));
    assert.deepEqual(marks.sites, [1], 'the site is drawn with its number');
    assert.ok(marks.rings > 0, 'and the threshold around it');
    assert.ok(marks.color.includes('"distance"'), 'people it brings within reach are coloured');
    assert.equal(await page.locator('#plan-sites li').count(), 1);
    await shot(page, 'desktop-plan');

    // A second site with the keyboard: typed coordinates (a comma for decimals too), Enter.
    await page.selectOption('#plan-type', 'ERPI');
    await page.fill('#plan-capacity', '25');
    await page.fill('#plan-lat', '38,3');
    await page.fill('#plan-lon', '-7.7');
    await page.press('#plan-lon', 'Enter');
    await page.waitForFunction(() => JSON.parse(document.getElementById('plan-results').dataset.body || '{"open":[]}').open.length === 2
      && document.getElementById('plan-results').dataset.state === 'done');
    sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    assert.deepEqual(sent.open.map((o) => [o.lat, o.lon, o.capacity]).slice(1), [[38.3, -7.7, 25]]);
    await check(await postScenario(sent));
    // Bad coordinates are refused, in words.
    await page.fill('#plan-lat', 'norte');
    await page.press('#plan-lat', 'Enter');
    assert.ok(await page.locator('#plan-form-error').isVisible());

    // Closing an existing service, chosen in the lists.
    const muni = municipalities.features.find((f) => f.properties.code === '0705') || municipalities.features[0];
    await page.selectOption('#plan-close-muni', muni.properties.code);
    await page.waitForFunction(() => !document.getElementById('plan-close-service').disabled);
    const erpis = (await getJSON(`/api/services?municipality=${muni.properties.code}&type=ERPI&limit=500`)).features;
    await page.selectOption('#plan-close-service', erpis[0].properties.id);
    await page.click('#plan-close');
    await page.waitForFunction((id) => {
      const b = JSON.parse(document.getElementById('plan-results').dataset.body || '{"close":[]}');
      return b.close.includes(id) && document.getElementById('plan-results').dataset.state === 'done';
    }, erpis[0].properties.id);
    sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    await check(await postScenario(sent));
    assert.equal(await page.locator('#plan-closed li').count(), 1);

    // Removing the first site.
    await page.click('#plan-sites li[data-n="1"] button');
    await page.waitForFunction(() => {
      const b = JSON.parse(document.getElementById('plan-results').dataset.body || '{"open":[]}');
      return b.open.length === 1 && document.getElementById('plan-results').dataset.state === 'done';
    });
    sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    await check(await postScenario(sent));
    await idle(page);
    assert.deepEqual(await page.evaluate(() => window.bussolaMap.queryRenderedFeatures({ layers: ['plan-sites'] }).map((f) => f.properties.n)), [2]);

    // The keyboard's way to the map: the cross-hair at the centre of the map.
    const center = await page.evaluate(() => window.bussolaMap.getCenter().toArray());
    await page.click('#plan-center');
    await page.waitForFunction(() => {
      const b = JSON.parse(document.getElementById('plan-results').dataset.body || '{"open":[]}');
      return b.open.length === 2 && document.getElementById('plan-results').dataset.state === 'done';
    });
    sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    assert.ok(Math.abs(sent.open[1].lon - center[0]) < 1e-5 && Math.abs(sent.open[1].lat - center[1]) < 1e-5, 'at the centre of the map');
    await check(await postScenario(sent));

    // In English.
    await page.click('#lang-switch');
    assert.match(await page.textContent('#plan-outcome'), /People who would (no longer )?have the service within 10 km/);
    assert.match(await page.textContent('#plan-simulation'), /only a simulation: nothing is saved/);
    await page.click('#lang-switch');

    // Start again: nothing left.
    await page.click('#plan-reset');
    await page.waitForFunction(() => document.getElementById('plan-results').dataset.state === 'empty');
    assert.equal(await page.locator('#plan-sites li[data-n]').count(), 0);

    // Nothing was stored.
    const [regionAfter, healthAfter] = await Promise.all([getJSON('/api/region'), getJSON('/health')]);
    assert.equal(regionAfter.services, regionBefore.services);
    assert.equal(regionAfter.demo_services, regionBefore.demo_services);
    assert.equal(healthAfter.data_version, healthBefore.data_version);
    assert.equal((await fetch(`${BASE}/api/services/${encodeURIComponent(erpis[0].properties.id)}`)).status, 200, 'the closed service is still there');
    assert.ok(requests.some((u) => u.endsWith('/api/scenarios')));
    assert.deepEqual(foreign(requests), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p5) a service clicked on the map in the what-if view is ready to close', async () => {
    const { context, page, errors } = await openPage(browser, { path: '/#plan' });
    await waitForMap(page);
    await page.evaluate(() => window.bussolaMap.jumpTo({ center: [-7.9079, 38.5713], zoom: 13 }));
    await idle(page);
    const svc = await page.evaluate(() => {
      const map = window.bussolaMap;
      const c = map.getCanvas().getBoundingClientRect();
      const all = map.queryRenderedFeatures({ layers: ['services-points'] }).map((f) => ({ f, q: map.project(f.geometry.coordinates) }));
      const apart = all.find(({ f, q }) => q.x > 60 && q.y > 60 && q.x < c.width - 60 && q.y < c.height - 90
        && all.every((o) => o.f.properties.id === f.properties.id || Math.hypot(o.q.x - q.x, o.q.y - q.y) > 24));
      return apart && { id: apart.f.properties.id, x: c.left + apart.q.x, y: c.top + apart.q.y };
    });
    assert.ok(svc, 'an ERPI point apart from the others');
    await page.mouse.click(svc.x, svc.y);
    await page.waitForFunction((id) => document.getElementById('plan-close-service').value === id, svc.id);
    assert.equal(await page.locator('#plan-sites li[data-n]').count(), 0, 'a click on a service adds no site');
    await page.click('#plan-close');
    await page.waitForFunction((id) => document.getElementById('plan-results').dataset.state === 'done'
      && JSON.parse(document.getElementById('plan-results').dataset.body).close.includes(id), svc.id);
    const sent = JSON.parse(await page.getAttribute('#plan-results', 'data-body'));
    const api = await postScenario(sent);
    const gain = api.changes.find((c) => c.code === 'region').people_gaining_access;
    assert.equal(Number(await page.getAttribute('#plan-region dd[data-key="people_gaining_access"]', 'data-value')), gain);
    assert.ok(gain <= 0, 'closing never brings people within reach');
    await idle(page);
    assert.equal(await page.evaluate(() => window.bussolaMap.queryRenderedFeatures({ layers: ['plan-closed'] }).length), 1, 'the closed service is crossed out');
    await shot(page, 'desktop-plan-close');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p6) at 360 px: no horizontal scroll and 44 px targets in the distance and what-if views and the summary', async () => {
    const { context, page, requests, errors } = await openPage(browser, { viewport: PHONE, hasTouch: true });
    await waitForMap(page);
    const overflow = () => page.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    const smallTargets = () => page.evaluate(() => [...document.querySelectorAll(
      'button, select, input[type="text"], input[type="number"], input[type="checkbox"] + span, .chip > span, a.btn, summary, .maplibregl-ctrl-group button',
    )].filter((el) => el.offsetParent !== null && !el.closest('[hidden]') && !el.closest('.vh'))
      .map((el) => ({ el: el.id || el.className || el.tagName, text: el.textContent.trim().slice(0, 30), ...el.closest('label, button, a, select, input, summary').getBoundingClientRect().toJSON() }))
      .filter((r) => r.height < 43.5 || r.width < 43.5));
    await openDistance(page);
    await page.check('#show-points');
    await page.click('#gaps-table tbody tr:first-child th button');
    await idle(page);
    let o = await overflow();
    assert.ok(o.doc <= PHONE.width && o.body <= PHONE.width, `no horizontal scroll (distance): ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-distance');
    await page.evaluate(() => document.getElementById('coverage-legend').scrollIntoView());
    await shot(page, 'phone-distance-legend');
    await page.evaluate(() => document.getElementById('map-area').scrollIntoView());
    await shot(page, 'phone-distance-map');
    await page.evaluate(() => document.getElementById('figures').scrollIntoView());
    await shot(page, 'phone-distance-figures');
    await page.evaluate(() => document.getElementById('gaps-title').scrollIntoView());
    await shot(page, 'phone-distance-table');

    await page.click('#view-plan');
    await page.evaluate(() => document.getElementById('map-area').scrollIntoView());
    await page.evaluate(() => window.bussolaMap.jumpTo({ center: [-7.75, 38.45], zoom: 9 }));
    await idle(page);
    const p = await emptyPointNear(page, -7.75, 38.45);
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => document.getElementById('plan-results').dataset.state === 'done');
    await idle(page);
    o = await overflow();
    assert.ok(o.doc <= PHONE.width && o.body <= PHONE.width, `no horizontal scroll (what if): ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await shot(page, 'phone-plan-map');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'phone-plan');
    await page.evaluate(() => document.getElementById('plan-sites-title').scrollIntoView());
    await shot(page, 'phone-plan-sites');
    await page.evaluate(() => document.getElementById('plan-results').scrollIntoView());
    await shot(page, 'phone-plan-results');

    await page.goto(`${BASE}/summary.html?code=0705`);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    o = await overflow();
    assert.ok(o.doc <= PHONE.width && o.body <= PHONE.width, `no horizontal scroll (summary): ${JSON.stringify(o)}`);
    assert.deepEqual(await smallTargets(), []);
    await shot(page, 'phone-summary');
    assert.deepEqual(foreign(requests), []);
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(p7) the styles are valid MapLibre styles', async () => {
    const { validateStyleMin } = await import('@maplibre/maplibre-gl-style-spec');
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../styles/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.includes('gaps.json'));
    for (const f of files) {
      const errs = validateStyleMin(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
      assert.deepEqual(errs.map((e) => e.message), [], f);
    }
  });
});

