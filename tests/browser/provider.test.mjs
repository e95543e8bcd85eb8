// The provider area: a login link made with `bussola user add` on the server's own store
// (BUSSOLA_BIN, BUSSOLA_DATA_DIR, BUSSOLA_REGION, set by tests/browser.rs), editing a service
// with inline validation in both languages, confirming every service, declaring vacancies,
// the use counts, the providers' survey, and signing out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, PHONE, DESKTOP, launch, openPage, shot, getJSON, allServices } from './helpers.mjs';

const BIN = process.env.BUSSOLA_BIN;
const DATA = process.env.BUSSOLA_DATA_DIR;
const REGION = process.env.BUSSOLA_REGION;

let browser;

/** Today as the server counts days (UTC, YYYY-MM-DD). */
const utcDay = () => new Date().toISOString().slice(0, 10);

/** A day as the page shows it (its Intl format, in UTC). */
const shown = (iso, lang = 'pt') => new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'pt-PT',
  { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));

/** The services of a provider other than `not` with at least two services, one with vacancies
 * (the smallest such provider, so the page is short). */
async function otherProvider(not) {
  const all = await allServices();
  const by = new Map();
  for (const f of all.features) {
    const id = f.properties.provider.id;
    if (id !== not) by.set(id, [...(by.get(id) || []), f.properties]);
  }
  const fit = [...by.entries()]
    .filter(([, ss]) => ss.length >= 2 && ss.some((s) => s.vacancies > 0))
    .sort((a, b) => a[1].length - b[1].length || a[0].localeCompare(b[0]));
  assert.ok(fit.length, 'a provider with two services and vacancies');
  return { provider: fit[0][0], services: fit[0][1] };
}

/** A provider account for `provider` on the server's store; its login path (/login?token=…). */
function loginPath(email, provider) {
  const args = ['user', 'add', '--email', email, '--role', 'provider', '--provider', provider, '--data-dir', DATA];
  if (REGION) args.push('--region', REGION);
  const out = execFileSync(BIN, args, { encoding: 'utf8', timeout: 60_000 });
  const link = out.split('\n').find((l) => /\/login\?token=[0-9a-f]+/.test(l));
  assert.ok(link, `user add printed a link:\n${out}`);
  return link.slice(link.indexOf('/login?token='));
}

describe('provider area', { skip: !BIN || !DATA ? 'BUSSOLA_BIN and BUSSOLA_DATA_DIR not set' : false }, () => {
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  it('a login link signs in, a bad phone is refused inline, a good one is saved, sign out', async () => {
    const first = (await getJSON('/api/services?limit=1')).features[0].properties;
    const provider = first.provider.id;
    const all = await allServices();
    assert.equal(all.features.length, all.numberMatched);
    const theirs = all.features.filter((f) => f.properties.provider.id === provider).map((f) => f.properties.id).sort();
    const email = `lar-${process.pid}@example.pt`;
    const path = loginPath(email, provider);

    const { page, errors } = await openPage(browser, { viewport: PHONE, path });
    await page.waitForSelector('#service-list > li');
    // The token is gone from the address bar once used.
    assert.equal(new URL(page.url()).pathname, '/provider');
    assert.ok((await page.textContent('#who-text')).includes(email));
    const listed = (await page.$$eval('#service-list > li', (ls) => ls.map((l) => l.dataset.id))).sort();
    assert.deepEqual(listed, theirs);
    // Fits a 360 px phone: nothing wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));

    const card = page.locator(`#service-list > li[data-id="${first.id}"]`);
    const phone = card.locator('input[name="phone"]');
    const before = (await getJSON(`/api/services/${first.id}`)).properties.contact?.phone ?? null;

    await phone.fill('12');
    await card.getByRole('button', { name: 'Guardar' }).click();
    const error = card.locator(`#f-${first.id}-phone-error`);
    await error.filter({ hasText: /\S/ }).waitFor();
    assert.equal(await phone.getAttribute('aria-invalid'), 'true');
    assert.equal(await phone.getAttribute('aria-describedby'), `f-${first.id}-phone-error`);
    assert.match(await card.locator('form.details .result').textContent(), /Não guardámos nada/);
    // Focus goes to the field to correct.
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'phone');
    assert.equal((await getJSON(`/api/services/${first.id}`)).properties.contact?.phone ?? null, before);
    await shot(page, 'provider-invalid-phone');

    const good = before === '266 700 123' ? '266 700 124' : '266 700 123';
    await phone.fill(good);
    await card.getByRole('button', { name: 'Guardar' }).click();
    await card.locator('form.details .result.ok').waitFor();
    assert.match(await card.locator('form.details .result').textContent(), /Guardado/);
    assert.equal(await phone.getAttribute('aria-invalid'), null);
    assert.equal(await error.textContent(), '');
    const saved = (await getJSON(`/api/services/${first.id}`)).properties.contact.phone;
    assert.equal(saved.replace(/\D/g, ''), good.replace(/\D/g, ''));
    assert.equal(await phone.inputValue(), saved);

    await page.getByRole('button', { name: 'Sair' }).click();
    await page.locator('#status').filter({ hasText: /Saiu da sua conta/ }).waitFor();
    assert.equal(await page.isHidden('#services'), true);
    const me = await page.evaluate(async () => (await fetch('/api/me')).status);
    assert.equal(me, 401);
    // The link was single-use: opening it again says so and how to get a new one.
    await page.goto(BASE + path);
    await page.locator('#status').filter({ hasText: /já foi usada/ }).waitFor();
    assert.match(await page.textContent('#status'), /coordenação regional/);
    // The expected 401 and 422 answers are the only console errors.
    assert.deepEqual(errors.filter((e) => !/status of (401|422)\b/.test(e)), []);
  });
  it('confirm all, vacancies 0 declared, use counts that go up, on a phone', async () => {
    const first = (await getJSON('/api/services?limit=1')).features[0].properties;
    const { provider, services } = await otherProvider(first.provider.id);
    const days = [utcDay()];
    const { page, errors } = await openPage(browser, { viewport: PHONE, path: loginPath(`conf-${process.pid}@example.pt`, provider) });
    await page.waitForSelector('#service-list > li');
    await page.locator('#stats-services > li').first().waitFor();
    const ids = services.map((s) => s.id).sort();
    assert.deepEqual((await page.$$eval('#service-list > li', (ls) => ls.map((l) => l.dataset.id))).sort(), ids);

    // Confirm all: every card says confirmed today, and the API agrees.
    const unconfirmed = services.filter((s) => !s.confirmed).length;
    assert.ok(unconfirmed > 0, 'some service starts unconfirmed');
    assert.equal(await page.locator('#service-list .fresh.is-old').count(), unconfirmed);
    await page.getByRole('button', { name: 'Confirmar todos os meus serviços' }).click();
    await page.locator('#confirm-all-result.ok').waitFor();
    assert.match(await page.textContent('#confirm-all-result'), new RegExp(`${ids.length} serviços`));
    days.push(utcDay());
    const fresh = await page.$$eval('#service-list > li .fresh', (ps) => ps.map((p) => p.textContent));
    assert.equal(fresh.length, ids.length);
    for (const f of fresh) assert.ok(days.some((d) => f === `Confirmado em ${shown(d)}.`), f);
    assert.equal(await page.locator('#service-list .fresh.is-old').count(), 0);

    // Vacancies: 0 is an answer, stored with today's date and shown as "Sem vagas".
    const target = services.find((s) => s.vacancies > 0);
    const card = page.locator(`#service-list > li[data-id="${target.id}"]`);
    const box = card.getByRole('form', { name: `Vagas hoje em ${target.name}` });
    await box.getByLabel('Vagas hoje', { exact: true }).fill('0');
    await box.getByRole('button', { name: 'Declarar vagas' }).click();
    await box.locator('.result.ok').waitFor();
    days.push(utcDay());
    const state = await box.locator('.vac-state').textContent();
    assert.ok(days.some((d) => state === `Sem vagas · declarado em ${shown(d)}`), state);
    // The full form shows the same number.
    assert.equal(await card.locator('input[name="vacancies"]').inputValue(), '0');
    await shot(page, 'provider-confirmed-vacancies');

    // The stats: views of this service in the last 30 days, before and after two views.
    const cell = (period) => page.locator(`#stats-services > li[data-id="${target.id}"] tr[data-count="views"] td[data-period="${period}"]`);
    const views = async (period) => Number((await cell(period).textContent()).replace(/\D/g, ''));
    const before30 = await views('30');
    const before365 = await views('365');
    // Reading the service back counts views too: this is the API agreeing with the page.
    for (const id of ids) {
      const p = (await getJSON(`/api/services/${id}`)).properties;
      assert.ok(days.includes(p.confirmed), `${id} confirmed ${p.confirmed}`);
    }
    const after = (await getJSON(`/api/services/${target.id}`)).properties;
    assert.equal(after.vacancies, 0);
    assert.ok(days.includes(after.vacancies_declared), after.vacancies_declared);
    // Two views of the target (its confirm check and the vacancies check).
    await page.getByRole('button', { name: 'Atualizar os números' }).click();
    await page.locator('#stats-status').filter({ hasText: 'Números atualizados' }).waitFor();
    assert.equal(await views('30'), before30 + 2);
    assert.equal(await views('365'), before365 + 2);
    // Coverage of its municipality, with the class in words.
    const muni = target.municipality.name;
    const cov = await page.$$eval('#stats-coverage > li', (ls) => ls.map((l) => l.textContent));
    assert.ok(cov.length >= 1 && cov.every((c) => c.startsWith(`${muni} · `)), cov.join('\n'));
    assert.ok(cov.some((c) => /Pessoas idosas: .* — /.test(c)), cov.join('\n'));
    await page.locator('#stats').scrollIntoViewIfNeeded();
    await shot(page, 'provider-stats');
    // Fits a 360 px phone: nothing wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    assert.deepEqual(errors, []);
  });

  it('a bad phone is explained in Portuguese, and in English with the server\'s words; the survey is answered', async () => {
    const first = (await getJSON('/api/services?limit=1')).features[0].properties;
    const { provider, services } = await otherProvider(first.provider.id);
    const target = services[0];
    const { page, errors } = await openPage(browser, { viewport: DESKTOP, path: loginPath(`lang-${process.pid}@example.pt`, provider) });
    const badPhone = async () => {
      const card = page.locator(`#service-list > li[data-id="${target.id}"]`);
      await card.locator('input[name="phone"]').fill('12');
      await card.locator('form.details button[type="submit"]').click();
      const err = card.locator(`#f-${target.id}-phone-error`);
      await err.filter({ hasText: /\S/ }).waitFor();
      return err.textContent();
    };
    await page.waitForSelector('#service-list > li');
    assert.equal(await badPhone(),
      'Escreva um número de telefone português de 9 algarismos (por exemplo 266 123 456). Vários números separam-se com ";".');

    await page.goto(`${BASE}/provider?lang=en`);
    await page.waitForSelector('#service-list > li');
    const en = await badPhone();
    assert.ok(en.startsWith('Type a Portuguese phone number of 9 digits (for example 266 123 456).'), en);
    // The server's own detail, in English mode only.
    assert.match(en, / \('12' has 2 digits; Portuguese numbers have 9\)$/);

    // The providers' survey, folded under the services; opened, answered, accepted.
    await page.locator('#prov-survey > summary').click();
    const form = page.locator('#prov-survey form');
    await form.waitFor();
    assert.ok(await form.getByText('How motivated are you').count());
    assert.equal(await form.getByText('Did you find what you were looking for?').count(), 0, 'public questions are not asked');
    await form.getByLabel(/4 · Motivated/).check();
    await form.locator('textarea').fill('Mais simples no telemóvel');
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/survey') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Send answers' }).click();
    const res = await sent;
    assert.equal(res.status(), 201);
    assert.deepEqual(JSON.parse(res.request().postData()),
      { audience: 'provider', answers: { keep_current: 4, improve: 'Mais simples no telemóvel' } });
    await page.locator('#prov-survey-done').filter({ hasText: 'Thank you' }).waitFor();
    await shot(page, 'provider-survey-en');
    assert.deepEqual(errors.filter((e) => !/status of 422\b/.test(e)), []);
  });
  it('the organisation form: contact live on every service, the new name waits, a bad email explained', async () => {
    const all = await allServices();
    const counts = new Map();
    for (const f of all.features) counts.set(f.properties.provider.id, (counts.get(f.properties.provider.id) || 0) + 1);
    // The last provider (by id) with two or more services: not the one the other tests use.
    const provider = [...counts.entries()].filter(([, n]) => n >= 2).map(([id]) => id).sort().at(-1);
    const before = await getJSON(`/api/providers/${encodeURIComponent(provider)}`);
    const { page, errors } = await openPage(browser, { viewport: PHONE, path: loginPath(`org-${process.pid}@example.pt`, provider) });
    const form = page.locator('#org-form');
    await form.waitFor();
    assert.equal(await form.locator('input[name="name"]').inputValue(), before.name);

    await form.locator('input[name="email"]').fill('geral@');
    await form.getByRole('button', { name: 'Guardar' }).click();
    await page.locator('#org-email-error').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.locator('#org-email-error').textContent(),
      'Escreva um endereço de email completo (por exemplo geral@instituicao.pt).');
    assert.equal(await form.locator('input[name="email"]').getAttribute('aria-invalid'), 'true');

    await form.locator('input[name="email"]').fill('geral@organizacao.pt');
    await form.locator('input[name="name"]').fill(`${before.name} (novo nome)`);
    await form.getByRole('button', { name: 'Guardar' }).click();
    await form.locator('.result.ok').waitFor();
    assert.match(await form.locator('.result.ok').textContent(), /esperam a revisão/);
    // The published name stays until reviewed; the e-mail is live on every service.
    assert.equal(await form.locator('input[name="name"]').inputValue(), before.name);
    const after = await getJSON(`/api/providers/${encodeURIComponent(provider)}`);
    assert.equal(after.name, before.name);
    assert.equal(after.contact.email, 'geral@organizacao.pt');
    for (const s of after.services) {
      const one = await getJSON(`/api/services/${encodeURIComponent(s.id)}`);
      assert.equal(one.properties.provider.contact.email, 'geral@organizacao.pt', s.id);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scroll');
    await shot(page, 'provider-organisation');

    // On the public map, a service without an e-mail of its own shows its organisation's.
    const pub = await browser.newPage();
    await pub.goto(BASE);
    await pub.waitForSelector('#group-choices input');
    const contacts = await pub.evaluate(async (id) => {
      const { serviceCard } = await import('/service-card.js');
      const f = await (await fetch(`/api/services/${encodeURIComponent(id)}`)).json();
      const own = serviceCard(f).querySelector('.contacts').textContent;
      f.properties.contact = {};
      return { own, none: serviceCard(f).querySelector('.contacts').textContent };
    }, after.services[0].id);
    assert.doesNotMatch(contacts.own, /da instituição/, 'the service’s own e-mail comes first');
    assert.match(contacts.none, /E-mail da instituição:\s*geral@organizacao\.pt/);
    await pub.close();
    assert.deepEqual(errors.filter((e) => !/status of 422\b/.test(e)), []);
  });
});
