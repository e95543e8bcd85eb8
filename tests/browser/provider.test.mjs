// The provider area: a login link made with `bussola user add` on the server's own store
// (BUSSOLA_BIN, BUSSOLA_DATA_DIR, BUSSOLA_REGION, set by tests/browser.rs), editing a service
// with inline validation, and signing out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, PHONE, launch, openPage, shot, getJSON } from './helpers.mjs';

const BIN = process.env.BUSSOLA_BIN;
const DATA = process.env.BUSSOLA_DATA_DIR;
const REGION = process.env.BUSSOLA_REGION;

let browser;

/** A provider account for `provider` on the server's store; its login path (/login?token=…). */
function loginPath(email, provider) {
  const args = ['user', 'add', '--email', email, '--role', 'provider', '--provider', provider, '--data-dir', DATA];
  if (REGION) args.push('--region', REGION);
  const out = execFileSync(BIN, args, { encoding: 'utf8' });
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
    const all = await getJSON('/api/services?limit=500');
    assert.ok(all.numberMatched <= 500);
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
    assert.match(await card.locator('.result').textContent(), /Não guardámos nada/);
    // Focus goes to the field to correct.
    assert.equal(await page.evaluate(() => document.activeElement?.name), 'phone');
    assert.equal((await getJSON(`/api/services/${first.id}`)).properties.contact?.phone ?? null, before);
    await shot(page, 'provider-invalid-phone');

    const good = before === '266 700 123' ? '266 700 124' : '266 700 123';
    await phone.fill(good);
    await card.getByRole('button', { name: 'Guardar' }).click();
    await card.locator('.result.ok').waitFor();
    assert.match(await card.locator('.result').textContent(), /Guardado/);
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
});
