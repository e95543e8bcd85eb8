// Helping someone else find care (issue #20), in Chromium: ticks on the map page's results
// print a one-page A4 sheet whose PDF (pdftotext) lists exactly the chosen services and whose
// QR code (zbarimg) decodes to the share link, which reopens the same list; the plain page
// without JavaScript finds what /api/nearest finds, in the same order, in under 30 KB; axe-core
// finds no WCAG A/AA violation on the plain page or the sheet; the text size control is
// remembered and the sheet follows it. Needs poppler-utils and zbar-tools (.ci/browser.sh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE, DESKTOP, PHONE, launch, openPage, shot, getJSON, allServices, ARTIFACTS } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const AXE = join(here, 'node_modules', 'axe-core', 'axe.min.js');
const work = mkdtempSync(join(tmpdir(), 'bussola-handover-'));
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const round5 = (x) => Math.round(x * 1e5) / 1e5;

/** The ids a page lists (results of the map page, the plain page or the sheet), in order. */
const listed = (page, sel) => page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.dataset.id), sel);

/** /api/nearest from the place /api/places picks for typed words (as the pages pick it). */
async function nearestFrom(typed, type) {
  const { places } = await getJSON(`/api/places?q=${encodeURIComponent(typed)}`);
  const p = places.find((x) => x.kind === 'municipality' && x.name === typed) || places[0];
  const q = new URLSearchParams({ lon: round5(p.lon), lat: round5(p.lat), k: 10 });
  if (type) q.set('type', type);
  const fc = await getJSON(`/api/nearest?${q}`);
  return fc.features.map((f) => ({ id: f.properties.id, name: f.properties.name }));
}

/** The sheet as a PDF, as Chromium prints it (A4 from the page's own @page). */
async function printPdf(page, name) {
  const path = join(work, `${name}.pdf`);
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  copyFileSync(path, join(ARTIFACTS, `${name}.pdf`));
  return path;
}

const pages = (pdf) => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8', timeout: 60_000 }))[1]);
// The PDF's text in reading order (column by column), its lines joined: a name that wraps is whole.
const pdfText = (pdf) => execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', timeout: 60_000 }).replace(/\s+/g, ' ');

/** The QR codes on the PDF's first page, decoded. */
function qrCodes(pdf) {
  const png = join(work, 'qr');
  execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-png', '-singlefile', pdf, png], { timeout: 60_000 });
  const out = execFileSync('zbarimg', ['--quiet', '--raw', '-Sdisable', '-Sqrcode.enable', `${png}.png`], { encoding: 'utf8', timeout: 60_000 });
  return out.split('\n').filter(Boolean);
}

/** axe-core's WCAG 2.1 A and AA violations on the page as it is now. */
async function axe(page) {
  await page.addScriptTag({ content: readFileSync(AXE, 'utf8') });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}

/** On the map page: ERPI (homes for older people) near Évora, typed in the find form. */
async function searchErpisFromEvora(page) {
  await page.waitForFunction(() => document.querySelectorAll('#type-select option').length > 5);
  await page.selectOption('#type-select', 'ERPI');
  await page.fill('#place-input', 'Évora');
  await page.click('#find-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
}

describe('helping someone else find care', () => {
  it('(a) ticks on the map page print a one-page sheet of exactly those services; its QR code reopens them', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: DESKTOP });
    await searchErpisFromEvora(page);
    const all = await listed(page, '#result-list > li');
    const want = await nearestFrom('Évora', 'ERPI');
    assert.deepEqual(all, want.map((x) => x.id), 'the map page lists what /api/nearest lists');
    // Tick the 2nd, 4th and 5th; the box says so.
    for (const n of [2, 4, 5]) await page.click(`#result-${n} .pick`);
    const chosen = [all[1], all[3], all[4]];
    assert.match(await page.textContent('#handover-status'), /3 serviços marcados/);
    await page.fill('#handover-note', 'Ligar de manhã. Levar o cartão de cidadão.');
    // Share: the link and the e-mail say the same as the sheet.
    await page.click('#handover-share');
    await page.waitForSelector('#share-link');
    const shared = await page.inputValue('#share-link');
    const mailto = await page.getAttribute('#share-mail', 'href');
    assert.ok(shared.startsWith(`${BASE}/sheet?`), shared);
    assert.ok(mailto.startsWith('mailto:?subject='), mailto);
    const body = decodeURIComponent(mailto.split('body=')[1]);
    for (const id of chosen) assert.ok(body.includes(want.find((x) => x.id === id).name), `${id} in the e-mail`);
    assert.ok(body.includes(shared), 'the e-mail carries the link');
    await shot(page, 'handover-map-page');
    // Print to hand over: the sheet, one A4 page, exactly the chosen services.
    await page.click('#handover-print');
    await page.waitForURL(/\/sheet\?/);
    assert.deepEqual(await listed(page, 'ol.services > li'), chosen);
    const pdf = await printPdf(page, 'handover-sheet');
    assert.equal(pages(pdf), 1, 'one page');
    const text = pdfText(pdf);
    for (const x of want) {
      assert.equal(text.includes(x.name), chosen.includes(x.id), `${x.name} on the sheet only if chosen`);
    }
    assert.match(text, /Ligar de manhã\. Levar o cartão de cidadão\./, 'the note');
    assert.match(text, /Impresso a \d+ de \w+ de \d{4}/, 'the day');
    assert.match(text, /Atenção: serviços inventados/, 'invented services said plainly');
    assert.match(text, /De onde vêm os dados/, 'the sources');
    // The QR code is the share link, and the link reopens the same list.
    const codes = qrCodes(pdf);
    assert.deepEqual(codes, [shared], 'the QR code decodes to the share link');
    const reopened = await context.newPage();
    await reopened.goto(codes[0], { waitUntil: 'load' });
    assert.deepEqual(await listed(reopened, 'ol.services > li'), chosen, 'the QR link reopens the same list');
    // "Change the choice on the map": the map page with the same search, ticks and note.
    await reopened.click('.screen .nav a[href^="/?"]');
    await reopened.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    assert.deepEqual(await listed(reopened, '#result-list > li'), all, 'the same search');
    const ticked = await reopened.evaluate(() => [...document.querySelectorAll('input[data-pick]:checked')].map((x) => x.dataset.pick));
    assert.deepEqual(ticked, chosen, 'the same ticks');
    assert.equal(await reopened.inputValue('#handover-note'), 'Ligar de manhã. Levar o cartão de cidadão.');
    assert.deepEqual(errors, []);
    // The picture of the sheet for the docs (docs/images/handover-sheet.png is this one).
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await shot(page, 'handover-sheet', { fullPage: true });
    await context.close();
  });

  it('(a2) a listing with filters (all of a kind in a municipality) prints and shares the same way', async () => {
    const { context, page, errors } = await openPage(browser, { viewport: DESKTOP });
    await searchErpisFromEvora(page);
    const nearest = await listed(page, '#result-list > li');
    // "See all in Évora": every ERPI of the municipality, nearest first, as /api/nearest lists them.
    assert.equal((await page.textContent('#list-toggle')).trim(), 'Ver todos no concelho de Évora');
    await page.click('#list-toggle');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.municipality === '0705'
      && document.getElementById('result-list').dataset.state === 'done');
    const { lon, lat } = await page.evaluate(() => document.getElementById('result-list').dataset);
    const api = await getJSON(`/api/nearest?lon=${lon}&lat=${lat}&type=ERPI&municipality=0705&k=100`);
    const every = await getJSON('/api/services?municipality=0705&type=ERPI&limit=500');
    const all = await listed(page, '#result-list > li');
    assert.deepEqual(all, api.features.map((f) => f.properties.id), 'the listing is /api/nearest with the municipality');
    assert.equal(all.length, every.numberMatched, 'every one of the municipality');
    assert.ok(api.features.every((f) => f.properties.municipality.code === '0705'));
    assert.match(await page.textContent('#results-municipality'), /Só os do concelho de Évora/);
    assert.ok(all.length > nearest.length / 2, `a listing of some length: ${all.length}`);
    await shot(page, 'handover-listing');
    // Tick the last and the first; print; the sheet and its QR code carry the listing.
    const n = all.length;
    assert.ok(n >= 3, `the first and the last are two of several: ${n}`);
    await page.click(`#result-${n} .pick`);
    await page.click('#result-1 .pick');
    const chosen = [all[0], all[n - 1]];
    await page.click('#handover-share');
    await page.waitForSelector('#share-link');
    const shared = await page.inputValue('#share-link');
    assert.match(shared, /[?&]municipality=0705(&|$)/, 'the link keeps the listing');
    await page.click('#handover-print');
    await page.waitForURL(/\/sheet\?/);
    assert.deepEqual(await listed(page, 'ol.services > li'), chosen, 'the sheet lists the ticked, in the list\'s order');
    const pdf = await printPdf(page, 'handover-listing');
    assert.equal(pages(pdf), 1);
    const text = pdfText(pdf);
    for (const f of api.features) {
      assert.equal(text.includes(f.properties.name), chosen.includes(f.properties.id), `${f.properties.name} on the sheet only if chosen`);
    }
    assert.deepEqual(qrCodes(pdf), [shared], 'the QR code is the share link');
    // The map page from the link: the same listing and ticks; and back to the nearest.
    const again = await context.newPage();
    await again.goto(shared, { waitUntil: 'load' });
    await again.click('.screen .nav a[href^="/?"]');
    await again.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    assert.equal(await again.evaluate(() => document.getElementById('result-list').dataset.municipality), '0705');
    assert.deepEqual(await listed(again, '#result-list > li'), all, 'the same listing');
    const ticked = await again.evaluate(() => [...document.querySelectorAll('input[data-pick]:checked')].map((x) => x.dataset.pick));
    assert.deepEqual(ticked, chosen, 'the same ticks');
    await again.click('#list-toggle');
    await again.waitForFunction(() => document.getElementById('result-list').dataset.municipality === ''
      && document.getElementById('result-list').dataset.state === 'done');
    assert.deepEqual(await listed(again, '#result-list > li'), nearest, 'back to the nearest in the whole region');
    // The address follows the search (not the ticks or the note): a reload reopens it.
    const address = new URL(again.url());
    assert.equal(address.searchParams.get('type'), 'ERPI');
    assert.equal(address.searchParams.get('municipality'), null);
    assert.equal(address.searchParams.getAll('id').length, 0, 'no ticks in the address');
    await again.click('#list-toggle');
    await again.waitForFunction(() => document.getElementById('result-list').dataset.municipality === '0705');
    assert.equal(new URL(again.url()).searchParams.get('municipality'), '0705');
    await again.reload({ waitUntil: 'load' });
    await again.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    assert.deepEqual(await listed(again, '#result-list > li'), all, 'a reload reopens the listing');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(a3) the listing of the municipality with the most services says how many it leaves out at 100', async () => {
    const { features } = await allServices();
    const per = new Map();
    for (const f of features) {
      const m = f.properties.municipality;
      per.set(m.code, { ...m, n: (per.get(m.code)?.n || 0) + 1 });
    }
    const most = [...per.values()].sort((a, b) => b.n - a.n)[0];
    const { context, page, errors } = await openPage(browser, { viewport: DESKTOP });
    await page.waitForFunction(() => document.querySelectorAll('#type-select option').length > 5);
    await page.fill('#place-input', most.name);
    await page.click('#find-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    await page.click('#list-toggle');
    await page.waitForFunction((code) => document.getElementById('result-list').dataset.municipality === code
      && document.getElementById('result-list').dataset.state === 'done', most.code);
    const shown = (await listed(page, '#result-list > li')).length;
    assert.equal(shown, Math.min(most.n, 100), `${most.name}: ${most.n} services`);
    const capped = await page.locator('#results-capped').count();
    if (most.n > 100) {
      assert.equal(capped, 1, 'the list says it stops short');
      assert.match(await page.textContent('#results-capped'), new RegExp(`os 100 mais perto, de ${most.n} neste concelho`));
    } else {
      assert.equal(capped, 0, 'nothing left out, nothing said');
    }
    // The plain page says the same.
    const html = await (await fetch(`${BASE}/find?municipality=${most.code}&k=100`)).text();
    assert.equal(html.includes(`de ${most.n} neste concelho`), most.n > 100, 'the plain page too');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('(b) without JavaScript the plain page finds the same services in the same order as /api/nearest, in under 30 KB', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'pt-PT' });
    const page = await context.newPage();
    const asked = [];
    page.on('request', (r) => asked.push(r.url()));
    await page.goto(`${BASE}/`, { waitUntil: 'load' });
    // The map page says where to go without JavaScript.
    await page.click('noscript a, a#plain-link');
    await page.waitForURL(/\/find/);
    await page.fill('#place', 'Évora');
    await page.selectOption('#type', 'ERPI');
    asked.length = 0;
    await Promise.all([page.waitForURL(/place=/), page.click('form[action="/find"] button[type="submit"]')]);
    await page.waitForLoadState('load');
    const want = await nearestFrom('Évora', 'ERPI');
    assert.deepEqual(await listed(page, 'ol.res > li'), want.map((x) => x.id), 'same services, same order');
    // Everything the page asked for, as sent without compression.
    let total = 0;
    for (const url of new Set(asked)) total += (await (await fetch(url)).arrayBuffer()).byteLength;
    assert.ok(total < 30_000, `the page weighs ${total} bytes: ${[...new Set(asked)].join(', ')}`);
    assert.equal(await page.locator('script').count(), 0, 'no script');
    const tel = await page.getAttribute('ol.res > li:first-child .tel a', 'href');
    assert.match(tel, /^tel:\+?\d+$/);
    await shot(page, 'handover-plain-page', { fullPage: true });
    // Tick two, add a note, make the sheet: still without JavaScript.
    await page.check(`input[value="${want[2].id}"]`);
    await page.check(`input[value="${want[0].id}"]`);
    await page.fill('#note', 'Para a D. Maria');
    await Promise.all([page.waitForURL(/\/sheet\?/), page.click('form[action="/sheet"] button[type="submit"]')]);
    assert.deepEqual(await listed(page, 'ol.services > li'), [want[0].id, want[2].id], 'the ticked, in the list order');
    assert.match(await page.textContent('.note'), /Para a D\. Maria/);
    await context.close();
  });

  it('(c) axe-core finds no WCAG A/AA violation on the plain page or the sheet', async () => {
    // axe is added to the page by the test: the pages' own policy would refuse it.
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    for (const path of [
      '/find?place=%C3%89vora&type=ERPI',
      '/find?place=%C3%89vora&type=ERPI&lang=en&size=larger',
      '/find?place=xyzzy',
      '/find?lon=abc&lat=1',
    ]) {
      await page.goto(BASE + path, { waitUntil: 'load' });
      assert.deepEqual(await axe(page), [], path);
    }
    const ids = (await nearestFrom('Évora', 'ERPI')).slice(0, 4).map((x) => `id=${x.id}`).join('&');
    for (const extra of ['', '&lang=en&size=large']) {
      const path = `/sheet?place=%C3%89vora&lon=-7.90791&lat=38.57123&type=ERPI&${ids}&note=Nota${extra}`;
      await page.goto(BASE + path, { waitUntil: 'load' });
      assert.deepEqual(await axe(page), [], path);
    }
    await context.close();
  });

  it('(d) the text size is remembered on the map page and the sheet follows it, one page at every size', async () => {
    const { context, page } = await openPage(browser, { viewport: PHONE, path: '/?place=%C3%89vora&lon=-7.90791&lat=38.57123&type=ERPI' });
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    const base = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.click('button[data-size="large"]');
    const large = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(large > base * 1.1, `${base} → ${large}`);
    assert.equal(await page.getAttribute('button[data-size="large"]', 'aria-pressed'), 'true');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, 'no sideways scrolling');
    // Remembered: a new visit starts at the same size.
    await page.goto(`${BASE}/`, { waitUntil: 'load' });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.size), 'large');
    // The sheet follows it: 17 pt body text (at most 3 services).
    await page.goto(`${BASE}/?place=%C3%89vora&lon=-7.90791&lat=38.57123&type=ERPI`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('result-list').dataset.state === 'done');
    assert.match(await page.textContent('#handover-status'), /3 primeiros/);
    await page.click('#handover-print');
    await page.waitForURL(/size=large/);
    const pt = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.sheet')).fontSize) * 0.75);
    assert.equal(Math.round(pt), 17);
    await context.close();
    // Every size with as many services as it takes, the longest of the region's services of a
    // kind first: one page each.
    const list = await getJSON('/api/nearest?lon=-7.90791&lat=38.57123&k=100');
    const longest = list.features
      .map((f) => f.properties)
      .sort((a, b) => (b.name.length + (b.address || '').length) - (a.name.length + (a.address || '').length));
    const ctx = await browser.newContext({ viewport: DESKTOP });
    const sheet = await ctx.newPage();
    for (const [size, most, body] of [['normal', 4, 14], ['large', 3, 17], ['larger', 2, 20]]) {
      const ids = longest.slice(0, most).map((s) => `id=${encodeURIComponent(s.id)}`).join('&');
      const note = encodeURIComponent('Ligar de manhã, antes das 11h. Levar o cartão de cidadão, as receitas e o último relatório médico.');
      await sheet.goto(`${BASE}/sheet?place=%C3%89vora&lon=-7.90791&lat=38.57123&${ids}&note=${note}&size=${size}`, { waitUntil: 'load' });
      const pt = await sheet.evaluate(() => parseFloat(getComputedStyle(document.querySelector('ol.services li p')).fontSize) * 0.75);
      assert.ok(pt >= body - 0.5, `${size}: body text ${pt} pt`);
      const pdf = await printPdf(sheet, `handover-sheet-${size}`);
      assert.equal(pages(pdf), 1, `${size}: ${most} services on one page`);
      const text = pdfText(pdf);
      for (const s of longest.slice(0, most)) assert.ok(text.includes(s.name.replace(/\s+/g, ' ')), `${size}: ${s.name}`);
    }
    await ctx.close();
  });
});
