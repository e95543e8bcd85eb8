// Shared setup of the browser tests: the server's URL, Debian's Chromium, request recording,
// screenshots, and accounts on the server's store (BUSSOLA_BIN, BUSSOLA_DATA_DIR,
// BUSSOLA_REGION, set by tests/browser.rs).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Every answer Node's fetch gets is read to its end here. A body left unread keeps its
// connection busy, the server keeps an HTTP/1.1 connection open, and then the test file's
// process never exits: node's runner waited for it until CI's time ran out (seen once in
// trends.test.mjs, after both its tests had passed). Tests read the buffered copy.
const fetchOnce = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const res = await fetchOnce(...args);
  const body = await res.arrayBuffer();
  const empty = [101, 204, 205, 304].includes(res.status);
  return new Response(empty ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
};

/** The server under test (it is not started by the tests). */
export const BASE = (process.env.BUSSOLA_URL || 'http://127.0.0.1:8090').replace(/\/+$/, '');
export const ORIGIN = new URL(BASE).origin;

/** Where screenshots go: target/browser-artifacts at the repository root. */
export const ARTIFACTS = resolve(process.env.BUSSOLA_ARTIFACTS || join(here, '..', '..', 'target', 'browser-artifacts'));
mkdirSync(ARTIFACTS, { recursive: true });

/** Debian's Chromium, headless, with WebGL through SwiftShader (no GPU on CI machines). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-dev-shm-usage',
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const DESKTOP = { width: 1280, height: 850 };
export const PHONE = { width: 360, height: 740 };

/**
 * A new page in its own context (clean storage), with every request recorded in `requests`
 * (page and workers) and page errors in `errors`.
 */
export async function openPage(browser, { viewport = DESKTOP, path = '/', locale = 'pt-PT', hasTouch = false } = {}) {
  const context = await browser.newContext({ viewport, locale, hasTouch, isMobile: hasTouch, deviceScaleFactor: 1 });
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.setDefaultTimeout(60_000);
  await page.goto(BASE + path, { waitUntil: 'load' });
  return { context, page, requests, errors };
}

/** Waits until the map has loaded and rendered everything it asked for. */
export async function waitForMap(page) {
  await page.waitForFunction(() => document.body.dataset.mapReady, null, { timeout: 60_000 });
  const state = await page.evaluate(() => document.body.dataset.mapReady);
  if (state !== '1') throw new Error(`the map did not load (${state})`);
  await idle(page);
}

/**
 * Waits for the map's next 'idle' (all tiles loaded, no transition running), at most `ms`
 * milliseconds: a map that never settles fails the test naming the sources still loading,
 * rather than hanging the run.
 */
export async function idle(page, ms = 60_000) {
  const stuck = await page.evaluate((limit) => new Promise((done) => {
    const map = window.bussolaMap;
    const timer = setTimeout(() => {
      const loading = Object.keys(map.getStyle().sources).filter((id) => !map.isSourceLoaded(id));
      done(`loaded=${map.loaded()} moving=${map.isMoving()} sources loading: ${loading.join(', ') || 'none'}`);
    }, limit);
    const settled = () => { clearTimeout(timer); done(null); };
    const check = () => (map.loaded() && !map.isMoving() ? settled() : map.once('idle', settled));
    // Let a pending transition start first.
    setTimeout(check, 50);
  }), ms);
  if (stuck) throw new Error(`the map did not settle in ${ms / 1000} s (${stuck})`);
}

/** Saves a screenshot of the viewport to target/browser-artifacts/NAME.png. */
export async function shot(page, name, opts = {}) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, ...opts });
  return path;
}

/** GETs JSON from the server. */
export async function getJSON(path) {
  const res = await fetch(BASE + path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

/** Every service /api/services lists for a query (e.g. `municipality=0705`), page by page (at
 * most 500 a page), as one FeatureCollection-like {numberMatched, features}. */
export async function allServices(query = '') {
  const features = [];
  let matched = 0;
  do {
    const page = await getJSON(`/api/services?${query}${query ? '&' : ''}limit=500&offset=${features.length}`);
    matched = page.numberMatched;
    features.push(...page.features);
    if (!page.features.length) break;
  } while (features.length < matched);
  return { numberMatched: matched, features };
}

/**
 * A pixel of the map canvas (relative to the page) near the lon/lat where clicking hits no
 * service, cluster, result or training offer (so a click there is a plain "search here", or
 * "training near here" in the professionals view, not a click on a badge). Tries a spiral
 * of offsets.
 */
export async function emptyPointNear(page, lon, lat) {
  const found = await page.evaluate(([lon0, lat0]) => {
    const map = window.bussolaMap;
    const canvas = map.getCanvas().getBoundingClientRect();
    const layers = ['services-points', 'services-clusters', 'results-badges', 'training-badges'].filter((id) => map.getLayer(id));
    const base = map.project([lon0, lat0]);
    for (let r = 0; r < 200; r += 6) {
      for (let a = 0; a < 360; a += 30) {
        const x = Math.round(base.x + r * Math.cos((a * Math.PI) / 180));
        const y = Math.round(base.y + r * Math.sin((a * Math.PI) / 180));
        if (x < 60 || y < 60 || x > canvas.width - 60 || y > canvas.height - 90) continue;
        const hits = map.queryRenderedFeatures([[x - 10, y - 10], [x + 10, y + 10]], { layers });
        const inside = map.queryRenderedFeatures([x, y], { layers: ['municipalities-fill'] });
        if (!hits.length && inside.length) {
          const ll = map.unproject([x, y]);
          const next = map.unproject([x + 1, y + 1]);
          const degPerPx = Math.max(Math.abs(next.lng - ll.lng), Math.abs(next.lat - ll.lat));
          return { x: canvas.left + x, y: canvas.top + y, lon: ll.lng, lat: ll.lat, degPerPx };
        }
      }
    }
    return null;
  }, [lon, lat]);
  if (!found) throw new Error(`no empty point of the map near ${lon},${lat}`);
  return found;
}

/** `bussola <args>` on the server's store (BUSSOLA_BIN, BUSSOLA_DATA_DIR, BUSSOLA_REGION); the
 * login path (/login?token=…) it printed. */
export function serverLink(args) {
  const all = [...args, '--data-dir', process.env.BUSSOLA_DATA_DIR];
  if (process.env.BUSSOLA_REGION) all.push('--region', process.env.BUSSOLA_REGION);
  const out = execFileSync(process.env.BUSSOLA_BIN, all, { encoding: 'utf8', timeout: 60_000 });
  const line = out.split('\n').find((l) => /\/login\?token=[0-9a-f]+/.test(l));
  assert.ok(line, `bussola ${args.join(' ')} printed a link:\n${out}`);
  return line.slice(line.indexOf('/login?token='));
}

/** Signs in through the API with a login path: the session {token, csrf}. */
export async function apiSession(path) {
  const token = new URL(BASE + path).searchParams.get('token');
  const res = await fetch(`${BASE}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }),
  });
  assert.equal(res.status, 200, 'login');
  const s = await res.json();
  return { token: s.token, csrf: s.csrf };
}

/**
 * /provider in a new context signed in with an API session's cookies: the page as after its
 * login link, without another login (logins are rate-limited per address for the whole suite).
 */
export async function openSignedIn(browser, session, viewport, path = '/provider') {
  const context = await browser.newContext({ viewport, locale: 'pt-PT', deviceScaleFactor: 1 });
  await context.addCookies([
    { name: 'bussola_session', value: session.token, url: BASE, httpOnly: true, sameSite: 'Strict' },
    { name: 'bussola_csrf', value: session.csrf, url: BASE, sameSite: 'Strict' },
  ]);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.setDefaultTimeout(60_000);
  await page.goto(BASE + path, { waitUntil: 'load' });
  return { context, page, errors };
}

/** A call to the API with a session's token: {status, body}. */
export async function api(session, method, path, body) {
  const res = await fetch(BASE + path, {
    method,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
