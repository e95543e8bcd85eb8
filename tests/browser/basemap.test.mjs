// The base map in Chromium (issue #19): the default's context layers (seats, towns) and, on a
// second server started with the tests' PMTiles archive (BUSSOLA_BASEMAP_URL, set by
// tests/browser.rs), the archive's layers — under the services, with nothing loaded from
// another server; the switch hides them and is remembered; the phone width; the coverage view
// keeps its colours over it; and the styles the server composes pass MapLibre's validator.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, ORIGIN, PHONE, launch, openPage, waitForMap, idle, shot } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const WITH_BASEMAP = (process.env.BUSSOLA_BASEMAP_URL || '').replace(/\/+$/, '');

let browser;

/** The page's requests that went to another server than `origin`. */
function foreign(requests, origin) {
  return requests.filter((u) => /^(https?|wss?):/.test(u) && new URL(u).origin !== origin);
}

/** The merged style's layer ids, in drawing order, and the base layers' ids. */
async function layerOrder(page) {
  return page.evaluate(() => ({
    all: window.bussolaMap.getStyle().layers.map((l) => l.id),
    visible: window.bussolaMap.getStyle().layers
      .filter((l) => (l.layout?.visibility ?? 'visible') === 'visible').map((l) => l.id),
  }));
}

/** Moves the map and waits until it has drawn everything. */
async function jump(page, lon, lat, zoom) {
  await page.evaluate(([lon0, lat0, z]) => window.bussolaMap.jumpTo({ center: [lon0, lat0], zoom: z }), [lon, lat, zoom]);
  await idle(page);
}

/** The names drawn by the given layers in the map's view. */
async function drawn(page, layers) {
  return page.evaluate((ids) => {
    const map = window.bussolaMap;
    const present = ids.filter((id) => map.getLayer(id));
    return map.queryRenderedFeatures({ layers: present }).map((f) => ({ layer: f.layer.id, name: f.properties.name ?? null }));
  }, layers);
}

/**
 * What the given layers draw once they draw anything, waiting up to 10 s: symbols are placed
 * and faded in a few frames after the tiles load, later on a busy machine.
 */
async function drawnSoon(page, layers, enough = (found) => found.length > 0) {
  let found = [];
  for (let i = 0; i < 50; i += 1) {
    found = await drawn(page, layers);
    if (enough(found)) break;
    await page.waitForTimeout(200);
  }
  return found;
}

/** Validates a style with MapLibre's own validator (gl-style-validate); the errors, if any. */
function validate(style) {
  const dir = mkdtempSync(join(tmpdir(), 'bussola-style-'));
  const file = join(dir, 'style.json');
  writeFileSync(file, JSON.stringify(style));
  try {
    execFileSync(join(here, 'node_modules/.bin/gl-style-validate'), [file], { encoding: 'utf8', timeout: 60_000 });
    return '';
  } catch (e) {
    return `${e.stdout}${e.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the base map', () => {
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  it('(a) the default draws its seats and towns under the services, from this server only', async () => {
    const region = await (await fetch(`${BASE}/api/region`)).json();
    assert.equal(region.basemap.kind, 'context');
    assert.equal(region.basemap.outside, false);
    const style = await (await fetch(`${BASE}/styles/basemap.json`)).json();
    assert.equal(validate(style), '', 'the composed style is valid');
    assert.deepEqual(Object.keys(style.sources), ['context']);

    const { context, page, requests, errors } = await openPage(browser);
    await waitForMap(page);
    const { all } = await layerOrder(page);
    const at = (id) => all.indexOf(id);
    for (const id of ['context-seats', 'context-towns']) {
      assert.ok(at(id) >= 0, `${id} is in the map`);
      assert.ok(at(id) < at('services-points') && at(id) < at('services-clusters'), `${id} under the services`);
      assert.ok(at(id) < at('municipality-labels'), `${id} under the municipality labels`);
      assert.ok(at(id) > at('coverage-fill') && at(id) > at('gaps-fill'), `${id} over the coverage and distance fills`);
    }
    // Odemira's coast at zoom 11: São Teotónio and Vila Nova de Milfontes are towns, Odemira a seat.
    await jump(page, -8.70, 37.64, 10.5);
    const names = await drawnSoon(page, ['context-towns', 'context-seats'],
      (found) => found.some((n) => n.layer === 'context-seats') && found.filter((n) => n.layer === 'context-towns').length >= 2);
    const towns = names.filter((n) => n.layer === 'context-towns').map((n) => n.name);
    assert.ok(towns.includes('São Teotónio'), `towns drawn: ${towns.join(', ')}`);
    assert.ok(towns.includes('Vila Nova de Milfontes'), `towns drawn: ${towns.join(', ')}`);
    assert.ok(names.some((n) => n.layer === 'context-seats'), 'a seat is drawn');
    // And at street zoom, the services' points on that plain background.
    await jump(page, -8.6457, 37.5967, 14);
    const points = await drawnSoon(page, ['services-points']);
    assert.ok(points.length > 0, 'services at street zoom');
    await shot(page, 'basemap-default-street');
    assert.deepEqual(foreign(requests, ORIGIN), [], `requests outside ${ORIGIN}`);
    assert.ok(requests.some((u) => new URL(u).pathname.startsWith('/tiles/context/')), 'context tiles were requested');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(b) the switch hides the base map and the browser remembers it', async () => {
    const { context, page, errors } = await openPage(browser);
    await waitForMap(page);
    const label = page.locator('#base-switch-label');
    assert.ok(await label.isVisible(), 'the switch shows');
    assert.equal((await label.textContent()).trim(), 'Mapa de base');
    assert.ok(await page.locator('#base-switch').isChecked());
    await jump(page, -8.70, 37.64, 10.5);
    assert.ok((await drawnSoon(page, ['context-towns'])).length > 0, 'towns drawn');
    await page.locator('#base-switch').uncheck();
    await idle(page);
    await page.waitForTimeout(600); // symbols fade out (MapLibre's fadeDuration, 300 ms)
    assert.deepEqual(await drawn(page, ['context-towns', 'context-seats']), [], 'hidden');
    const { visible } = await layerOrder(page);
    assert.ok(!visible.some((id) => id.startsWith('context-')), `still visible: ${visible.join(', ')}`);
    await page.reload({ waitUntil: 'load' });
    await waitForMap(page);
    assert.equal(await page.locator('#base-switch').isChecked(), false, 'remembered after a reload');
    assert.ok(!(await layerOrder(page)).visible.some((id) => id.startsWith('context-')));
    await page.click('#lang-switch');
    assert.equal((await label.textContent()).trim(), 'Base map');
    await page.click('#lang-switch');
    await page.locator('#base-switch').check();
    await idle(page);
    assert.ok((await layerOrder(page)).visible.includes('context-towns'));
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(c) at 360 px the switch fits and nothing overflows; on a desktop it is clear of the attribution', async () => {
    {
      const { context, page } = await openPage(browser);
      await waitForMap(page);
      const box = await page.locator('#base-switch-label').boundingBox();
      const attrib = await page.locator('.maplibregl-ctrl-attrib').boundingBox();
      assert.ok(box.y + box.height < attrib.y, 'above the (open) attribution');
      await context.close();
    }
    const { context, page, errors } = await openPage(browser, { viewport: PHONE, hasTouch: true });
    await waitForMap(page);
    const box = await page.locator('#base-switch-label').boundingBox();
    const map = await page.locator('#map').boundingBox();
    assert.ok(box && box.x >= map.x && box.x + box.width <= map.x + map.width, `switch within the map: ${JSON.stringify(box)}`);
    assert.ok(box.height >= 44, `a full tap target: ${box.height}px`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `no sideways scroll: ${width}px`);
    // The switch does not sit on the attribution, the zoom buttons or the legend.
    const overlaps = (a, b) => a && b && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const sel of ['.maplibregl-ctrl-attrib', '.maplibregl-ctrl-zoom-out', '#map-legend summary']) {
      assert.ok(!overlaps(box, await page.locator(sel).boundingBox()), `not over ${sel}`);
    }
    await page.locator('#map').scrollIntoViewIfNeeded();
    await jump(page, -8.70, 37.64, 10.5);
    const towns = (await drawnSoon(page, ['context-towns'])).map((n) => n.name);
    assert.ok(towns.length > 0, 'towns labelled at phone width');
    await shot(page, 'basemap-phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(d) with the PMTiles archive: its layers under the services, its attribution, nothing from outside', async (t) => {
    if (!WITH_BASEMAP) {
      assert.ok(!process.env.CI, 'CI must run tests/browser.rs with ../shared/geodata');
      t.skip('no server with a base map (BUSSOLA_BASEMAP_URL): ../shared/geodata missing');
      return;
    }
    const origin = new URL(WITH_BASEMAP).origin;
    const region = await (await fetch(`${WITH_BASEMAP}/api/region`)).json();
    assert.equal(region.basemap.kind, 'pmtiles');
    assert.match(region.basemap.attribution, /GeoNames/);
    const style = await (await fetch(`${WITH_BASEMAP}/styles/basemap.json`)).json();
    assert.equal(validate(style), '', 'the composed style is valid');
    assert.equal(style.sources.base.url, `${origin}/tiles/base.json`);
    assert.ok(!style.layers.some((l) => l.id === 'context-towns'), 'the archive names the towns itself');

    const context = await browser.newContext({ viewport: { width: 1280, height: 850 }, locale: 'pt-PT', deviceScaleFactor: 1 });
    const requests = [];
    const errors = [];
    context.on('request', (r) => requests.push(r.url()));
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.setDefaultTimeout(60_000);
    await page.goto(`${WITH_BASEMAP}/`, { waitUntil: 'load' });
    await waitForMap(page);
    const { all } = await layerOrder(page);
    const at = (id) => all.indexOf(id);
    assert.ok(at('base-earth') >= 0 && at('base-earth') < at('municipalities-fill'), 'land under the region');
    // The tests' archive has land, boundaries and places only: the style keeps the layers it has.
    assert.ok(!all.includes('base-water') && !all.includes('base-roads-highway'), 'no layer for what the archive lacks');
    assert.ok(at('base-boundaries') > at('municipalities-fill') && at('base-boundaries') < at('coverage-fill'), 'boundaries over the land, under the coverage');
    assert.ok(at('base-places') > at('gaps-fill') && at('base-places') < at('municipality-labels'), 'place names under the municipality labels');
    assert.ok(Math.max(...all.filter((id) => id.startsWith('base-')).map(at)) < at('services-points'), 'all under the services');

    await jump(page, -7.909, 38.571, 10);
    const names = await drawnSoon(page, ['base-places', 'base-earth', 'base-boundaries'],
      (found) => found.some((n) => n.layer === 'base-earth') && found.some((n) => n.layer === 'base-places'));
    assert.ok(names.some((n) => n.layer === 'base-earth'), 'the archive\'s land is drawn');
    assert.ok(names.some((n) => n.layer === 'base-places' && n.name === 'Evora'), `places: ${JSON.stringify(names.filter((n) => n.layer === 'base-places'))}`);
    const attribution = await page.locator('.maplibregl-ctrl-attrib').textContent();
    assert.match(attribution, /Test base map/, 'the archive\'s attribution on the map');
    assert.match(await page.locator('#sources').textContent(), /Test base map/, 'and in the page\'s sources');
    // Street zoom over the archive's zoom 10 (MapLibre enlarges its tiles), services on top.
    await jump(page, -7.909, 38.571, 14);
    assert.ok((await drawnSoon(page, ['base-earth'])).length > 0, 'over-zoomed base tiles');
    assert.ok((await drawnSoon(page, ['services-points'])).length > 0, 'services at street zoom');
    await shot(page, 'basemap-pmtiles-street');
    // The coverage view over it.
    await page.click('#view-coverage');
    await page.waitForSelector('#coverage-table tbody tr');
    await jump(page, -7.9, 38.6, 8);
    await shot(page, 'basemap-pmtiles-coverage');
    const visible = (await layerOrder(page)).visible;
    assert.ok(visible.includes('coverage-fill') && visible.includes('base-places'));

    assert.deepEqual(foreign(requests, origin), [], `requests outside ${origin}`);
    assert.ok(requests.some((u) => new URL(u).pathname.startsWith('/tiles/base/')), 'base tiles were requested');
    assert.deepEqual(errors, []);
    await context.close();
  });
});
