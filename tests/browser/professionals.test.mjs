// The professionals view of the map page and the training offers end to end, against the real
// server (accounts made with `bussola user add` on its store; BUSSOLA_BIN, BUSSOLA_DATA_DIR,
// BUSSOLA_REGION, set by tests/browser.rs): the view at 360 px in both languages; an offer found
// near a point clicked on the map, by profile; a provider publishes one, an admin approves it on
// the dashboard, and it is then in the Atom feed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE, DESKTOP, PHONE, launch, openPage, shot, getJSON, waitForMap, idle, emptyPointNear,
  serverLink, apiSession, openSignedIn, api,
} from './helpers.mjs';

const BIN = process.env.BUSSOLA_BIN;
const DATA = process.env.BUSSOLA_DATA_DIR;
const RUN = `${process.pid}`;

let browser;
const ctx = {};

/** A UTC day `n` days from today (YYYY-MM-DD). */
const dayIn = (n) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

const account = (email, role, extra = []) => serverLink(['user', 'add', '--email', email, '--role', role, ...extra]);

/** A municipality's code and seat from /api/municipalities, by name. */
async function municipality(name) {
  const fc = await getJSON('/api/municipalities');
  const m = fc.features.find((f) => f.properties.name === name);
  assert.ok(m, `municipality ${name}`);
  return m.properties.code;
}

/** A training offer as an admin publishes it (at once): the Feature the server answers. */
async function publish(session, fields) {
  const body = {
    organiser: { name: `Escola de teste ${RUN}` }, audience: ['workers'], modality: 'in_person',
    start: dayIn(20), end: dayIn(22), schedule: null, hours: 14, cost_eur: 0, funding: null,
    places: 20, places_left: 12, enrol: { url: 'https://example.pt/inscricoes', phone: '266 000 000', email: null },
    language: 'pt', ...fields,
  };
  const r = await api(session, 'POST', '/api/training', body);
  assert.equal(r.status, 201, `POST /api/training: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.status, 'published');
  return r.body.offer;
}

describe('for professionals', { skip: !BIN || !DATA ? 'BUSSOLA_BIN and BUSSOLA_DATA_DIR not set' : false }, () => {
  before(async () => {
    browser = await launch();
    ctx.admin = await apiSession(account(`pro-admin-${RUN}@example.pt`, 'admin'));
    ctx.profiles = (await getJSON('/api/profiles')).profiles;
    assert.ok(ctx.profiles.length >= 2, 'two profiles at least');
  });
  after(async () => {
    for (const id of ctx.cleanup || []) await api(ctx.admin, 'DELETE', `/api/training/${id}`);
    await browser?.close();
  });

  it('the view at 360 px: professions, training, public services and news, in Portuguese and English', async () => {
    const { page, errors } = await openPage(browser, { viewport: PHONE, path: '/#professionals' });
    await page.locator('#pro-panel').waitFor();
    assert.equal(await page.getAttribute('#view-pro', 'aria-pressed'), 'true');
    await page.locator('#profiles-list > li.pro-card').nth(ctx.profiles.length - 1).waitFor();
    await page.locator('#training-list[data-state="done"], #training-list[data-state="empty"]').waitFor();
    await page.locator('#public-list > li').first().waitFor();
    await page.locator('#news-list > li').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('#public-list, #news-list')?.textContent.includes('A carregar'));
    const first = ctx.profiles[0];
    const card = page.locator(`#profiles-list > li[data-code="${first.code}"]`);
    assert.match(await card.textContent(), new RegExp(first.pt.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // Every profile names where it is needed, in plain words.
    const r0 = (await getJSON('/api/taxonomy')).responses.find((r) => r.code === first.responses[0]);
    assert.ok((await card.locator('.needed').textContent()).includes(r0.pt_plain || r0.pt));
    // Fits a 360 px phone; every button is a big target.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll at 360 px');
    const small = await page.evaluate(() => [...document.querySelectorAll('#pro-panel button, #pro-results button, #pro-panel select')]
      .filter((b) => b.offsetParent && b.getBoundingClientRect().height < 44).map((b) => b.textContent));
    assert.deepEqual(small, []);
    await shot(page, 'professionals-phone', { fullPage: true });

    await page.click('#lang-switch');
    await page.locator('#view-pro', { hasText: 'For professionals' }).waitFor();
    assert.match(await card.textContent(), new RegExp(first.en.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await page.textContent('#training-title'), 'Training');
    assert.match(await page.textContent('#public-title'), /public services/i);
    await page.click('#lang-switch');
    await page.locator('#view-pro', { hasText: 'Profissionais' }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('finds an offer near a point clicked on the map, by profile', async () => {
    const [p1, p2] = ctx.profiles;
    const evora = await municipality('Évora');
    const beja = await municipality('Beja');
    const wanted = await publish(ctx.admin, {
      title: `Cuidar em casa ${RUN}`, profiles: [p1.code], address: 'Rua da República 1', postal_code: '7000-656',
      locality: 'Évora', municipality: evora,
    });
    // Nearer to the point clicked but for another profile, and one of the profile far away.
    const other = await publish(ctx.admin, {
      title: `Outra profissão ${RUN}`, profiles: [p2.code], address: 'Rua da República 2', postal_code: '7000-656',
      locality: 'Évora', municipality: evora,
    });
    const far = await publish(ctx.admin, {
      title: `Mais longe ${RUN}`, profiles: [p1.code], address: 'Praça da República 1', postal_code: '7800-427',
      locality: 'Beja', municipality: beja,
    });
    ctx.cleanup = [wanted.id, other.id, far.id];
    assert.ok(wanted.geometry, 'the offer was placed on the map');

    const { page, errors, requests } = await openPage(browser, { viewport: DESKTOP, path: '/#professionals' });
    await waitForMap(page);
    await page.locator('#training-list[data-state="done"]').waitFor();
    await page.selectOption('#training-profile', p1.code);
    await page.waitForFunction((code) => [...document.querySelectorAll('#training-list > li')].length
      && document.querySelector('#training-list').dataset.state === 'done'
      && performance.getEntriesByType('resource').some((e) => e.name.includes(`profile=${code}`)), p1.code);
    const [lon, lat] = wanted.geometry.coordinates;
    await idle(page);
    await page.evaluate(([x, y]) => window.bussolaMap.jumpTo({ center: [x, y], zoom: 11 }), [lon, lat]);
    await idle(page);
    const spot = await emptyPointNear(page, lon, lat);
    await page.mouse.click(spot.x, spot.y);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /\/api\/training\?.*near=/.test(e.name)));
    await page.locator('#training-list[data-state="done"] > li').first().waitFor();
    const ids = await page.$$eval('#training-list > li', (ls) => ls.map((l) => l.dataset.id));
    const asked = requests.filter((u) => u.includes('/api/training?')).pop();
    assert.match(asked, new RegExp(`profile=${p1.code}`));
    assert.match(asked, /near=-?\d/);
    // The list is the server's answer, in its order (nearest first); the offer near the point
    // comes before the one in Beja, and the other profile's is not there.
    const answer = await getJSON(asked.slice(BASE.length));
    assert.deepEqual(ids, answer.features.map((f) => f.properties.id));
    assert.ok(ids.includes(wanted.id), 'the offer of the profile near the point is listed');
    assert.ok(ids.indexOf(wanted.id) < ids.indexOf(far.id), 'the nearer offer first');
    assert.ok(!ids.includes(other.id), 'the other profile\'s offer is not listed');
    assert.ok(answer.features[0].properties.distance_m <= answer.features[ids.indexOf(wanted.id)].properties.distance_m);
    const first = page.locator(`#training-list > li[data-id="${wanted.id}"]`);
    assert.match(await first.locator('.distance').textContent(), /km|m\b/);
    assert.match(await page.textContent('#training-status'), /mais perto do sítio que tocou/);
    // Add to calendar and the offer's own page.
    const ics = await first.locator('a[href$=".ics"]').getAttribute('href');
    const cal = await fetch(BASE + ics);
    assert.equal(cal.status, 200);
    assert.match(cal.headers.get('content-type'), /text\/calendar/);
    assert.match(await cal.text(), /BEGIN:VEVENT/);
    const more = await first.locator(`a[href="/training/${wanted.id}"]`).getAttribute('href');
    assert.equal((await fetch(BASE + more)).status, 200);
    // The offer's number on the map selects its card.
    await first.getByRole('button', { name: /Ver no mapa/ }).click();
    await page.locator(`#training-list > li.is-selected[data-id="${wanted.id}"]`).waitFor();
    await shot(page, 'professionals-near-point');
    assert.deepEqual(errors, []);
  });

  it('a provider publishes an offer, an admin approves it, and it is in the feed', async () => {
    const svc = (await getJSON('/api/services?limit=1')).features[0].properties;
    const provider = await apiSession(account(`pro-prov-${RUN}@example.pt`, 'provider', ['--provider', svc.provider.id]));
    const title = `Formação de teste ${RUN}`;
    const evora = await municipality('Évora');

    const prov = await openSignedIn(browser, provider, PHONE);
    const p = prov.page;
    await p.locator('#training:not([hidden])').waitFor();
    await p.click('#training-new-btn');
    const form = p.locator('#training-new form');
    await form.waitFor();
    await form.locator('input[name="title"]').fill(title);
    await form.locator(`input[name="profiles"][value="${ctx.profiles[0].code}"]`).check();
    await form.locator('input[name="audience"][value="workers"]').check();
    await form.locator('input[name="locality"]').fill('Évora');
    await form.locator('select[name="municipality"]').selectOption(evora);
    // Two fields refused at once (the last day before the first, an e-mail without a domain):
    // each message under its own field, in plain words; the first one has the focus.
    await form.locator('input[name="start"]').fill(dayIn(31));
    await form.locator('input[name="end"]').fill(dayIn(30));
    await form.locator('input[name="enrol_email"]').fill('formacao@');
    await form.getByRole('button', { name: 'Publicar a oferta' }).click();
    await p.locator('#trf-new-end-error').filter({ hasText: /último dia/ }).waitFor();
    assert.match(await p.textContent('#trf-new-enrol_email-error'), /como se inscrever/);
    assert.equal(await p.getAttribute('#trf-new-end', 'aria-invalid'), 'true');
    assert.equal(await p.getAttribute('#trf-new-enrol_email', 'aria-invalid'), 'true');
    assert.equal(await p.textContent('#trf-new-title-error'), '');
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'trf-new-end');
    assert.match(await form.locator('.result.bad').textContent(), /corrija os campos assinalados/);
    await form.locator('input[name="start"]').fill(dayIn(30));
    await form.locator('input[name="end"]').fill(dayIn(31));
    await form.locator('input[name="enrol_email"]').fill('formacao@example.pt');
    assert.ok(await p.evaluate(() => document.documentElement.scrollWidth <= 360), 'the form fits 360 px');
    await form.getByRole('button', { name: 'Publicar a oferta' }).click();
    await p.locator('#training-message.ok').filter({ hasText: /depois de a coordenação a aprovar/ }).waitFor();
    const li = p.locator('#training-offers > li', { hasText: title });
    await li.waitFor();
    assert.equal(await li.getAttribute('data-status'), 'pending');
    const id = await li.getAttribute('data-id');
    ctx.cleanup = [...(ctx.cleanup || []), id];
    await shot(p, 'professionals-provider-pending', { fullPage: true });
    // Not public before it is approved.
    assert.equal((await fetch(`${BASE}/api/training/${id}`)).status, 404);
    assert.ok(!(await (await fetch(`${BASE}/feeds/training.atom`)).text()).includes(title));
    assert.deepEqual(prov.errors.filter((e) => !/status of 422\b/.test(e)), [], 'no console errors but the refusal asked for');
    await prov.context.close();

    const adm = await openSignedIn(browser, ctx.admin, DESKTOP);
    const a = adm.page;
    const card = a.locator(`#dash-change-list > li[data-service="${id}"]`);
    await card.waitFor();
    const text = await card.textContent();
    assert.ok(text.includes(title), 'the review names the offer');
    assert.ok(!text.includes('{'), 'no raw JSON');
    assert.match(text, /Oferta de formação nova/);
    await card.getByRole('button', { name: 'Aprovar' }).click();
    await card.locator('.result.ok').waitFor();
    await shot(a, 'professionals-approved');
    // The offer's history: its publication, which "Desfazer" would withdraw (asked first).
    await a.selectOption('#dash-history-service', `training:${id}`);
    await a.click('#dash-history-body button[type="submit"]');
    const entry = a.locator('#dash-history-list > li').first();
    await entry.waitFor();
    assert.ok((await entry.textContent()).includes('Oferta de formação nova'));
    await entry.getByRole('button', { name: 'Desfazer' }).click();
    assert.match(await entry.locator('.dash-confirm').textContent(), new RegExp(`A oferta «${title}» é retirada`));
    await entry.getByRole('button', { name: 'Cancelar' }).click();
    assert.deepEqual(adm.errors, []);
    await adm.context.close();

    assert.equal((await fetch(`${BASE}/api/training/${id}`)).status, 200);
    const feed = await (await fetch(`${BASE}/feeds/training.atom`)).text();
    assert.ok(feed.includes(title), 'the approved offer is in the feed');
  });

  it('an admin writes news on the dashboard and it is on the map page', async () => {
    const title = `Notícia de teste ${RUN}`;
    const adm = await openSignedIn(browser, ctx.admin, PHONE);
    const a = adm.page;
    const form = a.locator('#news-form');
    await form.waitFor();
    await form.locator('#news-title').fill(title);
    await form.locator('#news-text').fill('Abertas as inscrições.\n\n- **uma** coisa\n- [mais](https://example.pt)');
    // A refused link: the message under it, nothing published.
    await form.locator('#news-link').fill('example.pt/sem esquema');
    await form.getByRole('button', { name: 'Publicar a notícia' }).click();
    await a.locator('#news-link-error').filter({ hasText: /https:\/\// }).waitFor();
    assert.equal(await a.getAttribute('#news-link', 'aria-invalid'), 'true');
    assert.equal(await a.textContent('#news-title-error'), '');
    await form.locator('#news-link').fill('');
    await form.getByRole('button', { name: 'Publicar a notícia' }).click();
    await a.locator('#news-result.ok').waitFor();
    const item = a.locator('#news-admin-list > li', { hasText: title });
    await item.waitFor();
    const id = await item.getAttribute('data-id');
    assert.ok(await a.evaluate(() => document.documentElement.scrollWidth <= 360));
    assert.deepEqual(adm.errors.filter((e) => !/status of 422\b/.test(e)), [], 'no console errors but the refusal asked for');
    await adm.context.close();

    const { page, errors } = await openPage(browser, { viewport: PHONE, path: '/#professionals' });
    const news = page.locator(`#news-list > li[data-id="${id}"]`);
    await news.waitFor();
    assert.equal(await news.locator('.news-text strong').textContent(), 'uma');
    assert.equal(await news.locator('.news-text a').getAttribute('href'), 'https://example.pt/');
    assert.ok((await (await fetch(`${BASE}/feeds/news.atom`)).text()).includes(title));
    assert.deepEqual(errors, []);
    assert.equal((await api(ctx.admin, 'DELETE', `/api/news/${id}`)).status < 300, true);
  });
});
