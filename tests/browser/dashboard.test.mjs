// The coordination dashboard on /provider: accounts made with `bussola user add` on the server's
// store (BUSSOLA_BIN, BUSSOLA_DATA_DIR, BUSSOLA_REGION, set by tests/browser.rs); providers
// submit changes through the API, a moderator and an admin review them on the page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE, DESKTOP, PHONE, launch, openPage, shot, getJSON, allServices, serverLink, apiSession, openSignedIn, api,
} from './helpers.mjs';

const BIN = process.env.BUSSOLA_BIN;
const DATA = process.env.BUSSOLA_DATA_DIR;
const RUN = `${process.pid}`;

let browser;

const linkFrom = (args) => serverLink(args);

const account = (email, role, extra) => linkFrom(['user', 'add', '--email', email, '--role', role, ...extra]);

/** /provider in a new context signed in with an API session's cookies. */
const openAs = (session, viewport) => openSignedIn(browser, session, viewport);

const service = async (id) => (await getJSON(`/api/services/${id}`)).properties;

/** A service with a capacity in `muni`, of a provider that is not the first service's. */
function pick(all, muni, not) {
  const s = all.find((f) => f.municipality.code === muni && f.capacity > 1 && f.provider.id !== not);
  assert.ok(s, `a service with a capacity in ${muni}`);
  return s;
}

const overflows = (page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

const ctx = {};

describe('coordination dashboard', { skip: !BIN || !DATA ? 'BUSSOLA_BIN and BUSSOLA_DATA_DIR not set' : false }, () => {
  before(async () => {
    browser = await launch();
    const all = (await allServices()).features.map((f) => f.properties);
    const munis = (await getJSON('/api/municipalities')).features.map((f) => f.properties);
    ctx.munis = munis;
    // Away from the provider area's test, which uses the first service's provider.
    const first = all[0].provider.id;
    ctx.here = munis[munis.length - 1];
    ctx.there = munis[munis.length - 2];
    ctx.a = pick(all, ctx.here.code, first);
    ctx.b = pick(all, ctx.there.code, first);
    const providerLink = account(`dash-prov-a-${RUN}@example.pt`, 'provider', ['--provider', ctx.a.provider.id]);
    ctx.provA = await apiSession(providerLink);
    const provB = await apiSession(account(`dash-prov-b-${RUN}@example.pt`, 'provider', ['--provider', ctx.b.provider.id]));
    ctx.admin = await apiSession(account(`dash-admin-api-${RUN}@example.pt`, 'admin', []));
    // Capacity and address wait for review by default (`[editing]`), so these stay pending.
    const sent = async (token, id, body) => {
      const r = await api(token, 'PATCH', `/api/services/${id}`, body);
      assert.equal(r.status, 202, JSON.stringify(r.body));
      return r.body.pending[0].change;
    };
    ctx.capA = await sent(ctx.provA, ctx.a.id, { capacity: ctx.a.capacity + 1 });
    ctx.nameA = await sent(ctx.provA, ctx.a.id, { name: `${ctx.a.name} (novo nome)` });
    ctx.addrA = await sent(ctx.provA, ctx.a.id, { address: 'Rua Nova 1' });
    ctx.capB = await sent(provB, ctx.b.id, { capacity: ctx.b.capacity - 1 });
    // A new organisation name waits for review too.
    ctx.orgPath = `/api/providers/${encodeURIComponent(ctx.a.provider.id)}`;
    const org = await api(ctx.provA, 'PATCH', ctx.orgPath, { name: `${ctx.a.provider.name} (nova)` });
    assert.equal(org.status, 202, JSON.stringify(org.body));
    ctx.orgA = org.body.pending[0].change;
  });

  after(async () => {
    // Put back what the tests changed, for the tests that run after these.
    for (const s of [ctx.a, ctx.b]) {
      if (s && ctx.admin && (await service(s.id)).capacity !== s.capacity) {
        await api(ctx.admin, 'PATCH', `/api/services/${s.id}`, { capacity: s.capacity });
      }
    }
    if (ctx.orgPath && ctx.admin) await api(ctx.admin, 'PATCH', ctx.orgPath, { name: ctx.a.provider.name });
    await browser?.close();
  });

  it('a provider does not see the dashboard, and the server refuses it the data', async () => {
    const { page, context } = await openAs(ctx.provA, PHONE);
    await page.waitForSelector('#service-list > li');
    assert.equal(await page.isHidden('#dashboard'), true);
    assert.equal(await page.locator('#dashboard *').count(), 0);
    assert.equal(await page.evaluate(async () => (await fetch('/api/staleness')).status), 403);
    await context.close();
  });

  it('a moderator sees only their municipality, approves and rejects in place, downloads the CSV', async () => {
    const path = account(`dash-mod-${RUN}@example.pt`, 'moderator', ['--municipality', ctx.here.code]);
    const { page, context, errors } = await openPage(browser, { viewport: PHONE, path });
    await page.waitForSelector('#dash-munis tbody tr');
    assert.equal(await page.isVisible('#dashboard'), true);
    assert.equal(await page.isVisible('#dash-history'), false, 'history and undo are for admins');
    assert.equal(await page.isVisible('#dash-invite'), false, 'invitations are for admins');
    assert.deepEqual(await page.$$eval('#dash-munis tbody tr', (rs) => rs.map((r) => r.dataset.code)), [ctx.here.code]);
    const row = await page.$$eval('#dash-munis tbody tr td', (tds) => tds.map((td) => Number(td.textContent.replace(/\D/g, ''))));
    const stale = await page.evaluate(async () => (await fetch('/api/staleness')).json());
    const m = stale.municipalities[0];
    assert.deepEqual(row, [m.services, m.fresh, m.ageing, m.stale]);
    assert.ok(m.services > 0);
    // Providers to contact: oldest first as the API gives them, the first ten until asked for
    // all, never-confirmed said in words.
    const visible = await page.$$eval('#dash-providers tbody tr:not([hidden]) th', (ths) => ths.length);
    assert.equal(visible, Math.min(10, stale.providers.length));
    if (stale.providers.length > 10) await page.click('#dash-providers-all');
    assert.equal(await page.locator('#dash-providers tbody tr[hidden]').count(), 0);
    const names = await page.$$eval('#dash-providers tbody tr th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(names, stale.providers.map((p) => p.name));
    const unconfirmed = stale.providers.find((p) => !p.oldest_confirmation);
    if (unconfirmed) {
      const cell = page.locator(`#dash-providers tr[data-provider="${unconfirmed.provider}"] td`).nth(1);
      assert.match(await cell.textContent(), /Nunca confirmou/);
    }

    // Only this municipality's pending changes: B's change elsewhere is not listed.
    await page.waitForSelector('#dash-change-list > li');
    const listed = await page.$$eval('#dash-change-list > li', (ls) => ls.map((l) => Number(l.dataset.id)));
    for (const id of [ctx.capA, ctx.nameA, ctx.addrA]) assert.ok(listed.includes(id), `change ${id} listed`);
    assert.ok(!listed.includes(ctx.capB), 'another municipality’s change is not listed');
    const card = page.locator(`#dash-change-list > li[data-id="${ctx.capA}"]`);
    const text = await card.textContent();
    assert.ok(text.includes(ctx.a.name), 'the service is named');
    assert.match(text, /Lugares \(capacidade\)/);
    assert.match(text, /responsável pelo serviço/);
    assert.equal(await card.locator('.dash-old').textContent(), String(ctx.a.capacity));
    assert.equal(await card.locator('.dash-new').textContent(), String(ctx.a.capacity + 1));
    assert.equal(await overflows(page), false, 'nothing wider than a 360 px phone');
    await shot(page, 'dashboard-moderator-phone');

    await card.getByRole('button', { name: 'Aprovar' }).click();
    await card.locator('.result.ok').waitFor();
    assert.match(await card.locator('.result').textContent(), /Aprovada/);
    assert.equal(await card.getByRole('button', { name: 'Aprovar' }).count(), 0);
    assert.equal((await service(ctx.a.id)).capacity, ctx.a.capacity + 1);

    const nameCard = page.locator(`#dash-change-list > li[data-id="${ctx.nameA}"]`);
    await nameCard.getByRole('button', { name: 'Recusar' }).click();
    await nameCard.locator('.result.ok').waitFor();
    assert.match(await nameCard.locator('.result').textContent(), /Recusada/);
    assert.equal((await service(ctx.a.id)).name, ctx.a.name);

    // Decided by someone else meanwhile: said in plain words, and nothing changes.
    assert.equal((await api(ctx.admin, 'POST', `/api/changes/${ctx.addrA}/reject`)).status, 200);
    const addrCard = page.locator(`#dash-change-list > li[data-id="${ctx.addrA}"]`);
    await addrCard.getByRole('button', { name: 'Aprovar' }).click();
    await addrCard.locator('.result.bad').waitFor();
    assert.match(await addrCard.locator('.result').textContent(), /Outra pessoa já decidiu/);
    assert.notEqual((await service(ctx.a.id)).address, 'Rua Nova 1');
    // A change to the organisation: named as such, approved, on every one of its services.
    const orgCard = page.locator(`#dash-change-list > li[data-id="${ctx.orgA}"]`);
    assert.equal(await orgCard.locator('h4').textContent(), `Organização: ${ctx.a.provider.name}`);
    assert.match(await orgCard.textContent(), /Nome/);
    await orgCard.getByRole('button', { name: 'Aprovar' }).click();
    await orgCard.locator('.result.ok').waitFor();
    const org = await getJSON(ctx.orgPath);
    assert.equal(org.name, `${ctx.a.provider.name} (nova)`);
    assert.equal((await service(ctx.a.id)).provider.name, org.name);

    const pending = await page.evaluate(async () => (await (await fetch('/api/changes?status=pending')).json()).changes.map((c) => c.id));
    for (const id of [ctx.capA, ctx.nameA, ctx.addrA]) assert.ok(!pending.includes(id));

    // The CSV link: a same-origin GET with the session cookie.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dash-csv')]);
    const csv = await readFile(await download.path(), 'utf8');
    assert.equal(csv.split('\n')[0], 'provider,name,services,unconfirmed,oldest_confirmation,phone,email');
    assert.equal(csv.trim().split('\n').length, stale.providers.length + 1);
    const type = await page.evaluate(async () => (await fetch('/api/staleness?format=csv')).headers.get('content-type'));
    assert.match(type, /^text\/csv/);
    assert.equal(await overflows(page), false);
    assert.deepEqual(errors.filter((e) => !/status of 409\b/.test(e)), []);
    await context.close();
  });

  it('an admin sees every municipality, approves elsewhere and undoes it after confirming', async () => {
    const { page, context, errors } = await openAs(ctx.admin, DESKTOP);
    await page.waitForSelector('#dash-munis tbody tr');
    const codes = await page.$$eval('#dash-munis tbody tr', (rs) => rs.map((r) => r.dataset.code));
    assert.deepEqual(codes, ctx.munis.map((m) => m.code).sort());
    const total = await page.$$eval('#dash-munis tfoot td', (tds) => Number(tds[0].textContent.replace(/\D/g, '')));
    assert.equal(total, (await getJSON('/api/services?limit=1')).numberMatched);

    // A whole region's services are edited one municipality at a time: only its cards are built.
    await page.waitForSelector('#service-municipality-select option', { state: 'attached' });
    const opts = await page.$$eval('#service-municipality-select option', (os) => os.map((o) => o.value));
    assert.deepEqual([...opts].sort(), ctx.munis.map((m) => m.code).sort());
    const pick = opts[1];
    await page.selectOption('#service-municipality-select', pick);
    const expected = (await allServices(`municipality=${pick}`)).features.map((f) => f.id).sort();
    await page.waitForFunction((n) => document.querySelectorAll('#service-list > li').length === n, expected.length);
    assert.deepEqual((await page.$$eval('#service-list > li', (ls) => ls.map((l) => l.dataset.id))).sort(), expected);

    const card = page.locator(`#dash-change-list > li[data-id="${ctx.capB}"]`);
    await card.getByRole('button', { name: 'Aprovar' }).click();
    await card.locator('.result.ok').waitFor();
    assert.equal((await service(ctx.b.id)).capacity, ctx.b.capacity - 1);

    // The service's history from the change, newest first, with an undo that asks first.
    await card.getByRole('button', { name: 'Ver histórico do serviço' }).click();
    const entry = page.locator(`#dash-history-list > li[data-id="${ctx.capB}"]`);
    await entry.waitFor();
    assert.equal(await page.inputValue('#dash-history-service'), ctx.b.id);
    await entry.getByRole('button', { name: 'Desfazer' }).click();
    const confirmBox = entry.locator('.dash-confirm');
    assert.match(await confirmBox.textContent(), new RegExp(`volta a ser «${ctx.b.capacity}»`));
    await entry.getByRole('button', { name: 'Cancelar' }).click();
    assert.equal(await confirmBox.isHidden(), true);
    assert.equal((await service(ctx.b.id)).capacity, ctx.b.capacity - 1, 'cancel changes nothing');
    await entry.getByRole('button', { name: 'Desfazer' }).click();
    await entry.getByRole('button', { name: 'Sim, desfazer' }).click();
    await page.locator('#dash-history-status').filter({ hasText: /Desfeito/ }).waitFor();
    assert.equal((await service(ctx.b.id)).capacity, ctx.b.capacity);
    // The undo is a new entry on top; the undone one says so and offers no second undo.
    const first = page.locator('#dash-history-list > li').first();
    assert.match(await first.textContent(), new RegExp(`Desfaz a alteração n.º ${ctx.capB}`));
    const undone = await page.locator(`#dash-history-list > li[data-id="${ctx.capB}"]`).textContent();
    assert.match(undone, /Já foi desfeita/);
    assert.match(undone, /Aprovada por um revisor em/);
    await shot(page, 'dashboard-admin');

    // An organisation's history (the moderator approved its new name): undone the same way.
    await page.selectOption('#dash-history-service', `org:${ctx.a.provider.id}`);
    await page.click('#dash-history-body button[type="submit"]');
    const orgEntry = page.locator(`#dash-history-list > li[data-id="${ctx.orgA}"]`);
    await orgEntry.waitFor();
    assert.match(await orgEntry.textContent(), /\(nova\)/);
    await orgEntry.getByRole('button', { name: 'Desfazer' }).click();
    await orgEntry.getByRole('button', { name: 'Sim, desfazer' }).click();
    await page.locator('#dash-history-status').filter({ hasText: /Desfeito/ }).waitFor();
    assert.equal((await getJSON(ctx.orgPath)).name, ctx.a.provider.name);
    assert.equal((await service(ctx.a.id)).provider.name, ctx.a.provider.name);

    await page.setViewportSize(PHONE);
    assert.equal(await overflows(page), false, 'nothing wider than a 360 px phone');
    assert.deepEqual(errors, []);
    await context.close();
  });

  it('the invitation form follows the contract (answers made in the browser)', async () => {
    const { page, context } = await openAs(ctx.admin, PHONE);
    await page.waitForSelector('#dash-invite-form');
    const sent = [];
    let answer;
    await page.route('**/api/invitations', async (route) => {
      sent.push(route.request().postDataJSON());
      await route.fulfill({ status: answer.status, contentType: 'application/json', body: JSON.stringify(answer.body) });
    });
    // The provider field only for the provider role, the municipalities only for moderators.
    assert.equal(await page.isVisible('#inv-provider'), true);
    assert.equal(await page.isVisible('#inv-munis'), false);
    await page.check('#inv-role-moderator');
    assert.equal(await page.isVisible('#inv-provider'), false);
    assert.equal(await page.locator('#inv-munis input[type="checkbox"]').count(), ctx.munis.length);

    answer = { status: 422, body: { error: 'invalid', fields: { email: "'x' is not an e-mail address", municipalities: 'needs one' } } };
    await page.fill('#inv-email', 'x');
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-email-error').filter({ hasText: /email válido/ }).waitFor();
    assert.equal(await page.getAttribute('#inv-email', 'aria-invalid'), 'true');
    assert.match(await page.textContent('#inv-munis-error'), /pelo menos um concelho/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inv-email');
    assert.deepEqual(sent[0], { email: 'x', role: 'moderator', municipalities: [] });

    const link = `${BASE}/login?token=${'ab'.repeat(32)}`;
    answer = { status: 201, body: { user: { id: 9, role: 'moderator' }, login_url: link, expires: 2000000000, emailed: false } };
    await page.fill('#inv-email', 'rede@example.pt');
    await page.check(`#inv-m-${ctx.here.code}`);
    await page.click('#dash-invite-form button[type="submit"]');
    await page.waitForSelector('#inv-link');
    assert.equal(await page.inputValue('#inv-link'), link);
    assert.equal(await page.getAttribute('#inv-email', 'aria-invalid'), null);
    assert.deepEqual(sent[1], { email: 'rede@example.pt', role: 'moderator', municipalities: [ctx.here.code] });
    await page.getByRole('button', { name: 'Copiar' }).click();
    await page.locator('#inv-result .result').filter({ hasText: /Copiada|copiar/ }).waitFor();

    answer = { status: 201, body: { user: { id: 10, role: 'provider' }, login_url: link, expires: 2000000000, emailed: true } };
    await page.check('#inv-role-provider');
    await page.selectOption('#inv-provider', ctx.a.provider.id);
    await page.fill('#inv-email', 'lar@example.pt');
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-result').filter({ hasText: 'Enviámos a ligação para lar@example.pt' }).waitFor();
    assert.equal(await page.locator('#inv-link').count(), 0);
    assert.deepEqual(sent[2], { email: 'lar@example.pt', role: 'provider', provider: ctx.a.provider.id });

    answer = { status: 409, body: { error: 'exists' } };
    await page.fill('#inv-email', 'lar@example.pt');
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-result').filter({ hasText: /Já existe uma conta/ }).waitFor();
    assert.equal(await overflows(page), false);
    await context.close();
  });

  it('an admin invites a moderator whose link signs in, then gives them a new link from the accounts list', async () => {
    const { page, context } = await openAs(ctx.admin, PHONE);
    await page.waitForSelector('#dash-invite-form');
    await page.check('#inv-role-moderator');
    await page.fill('#inv-email', 'not-an-address');
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-email-error').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await page.getAttribute('#inv-email', 'aria-invalid'), 'true');

    const email = `dash-invited-${RUN}@example.pt`;
    await page.fill('#inv-email', email);
    await page.check(`#inv-m-${ctx.here.code}`);
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-result .result.ok').first().waitFor();
    if (await page.locator('#inv-link').count()) {
      const url = new URL(await page.inputValue('#inv-link'));
      const me = await api(await apiSession(url.pathname + url.search), 'GET', '/api/me');
      assert.equal(me.body.user.role, 'moderator');
      assert.deepEqual(me.body.user.municipalities, [ctx.here.code]);
    } else {
      assert.match(await page.textContent('#inv-result'), new RegExp(`Enviámos a ligação para ${email}`));
    }
    await page.fill('#inv-email', email);
    await page.check(`#inv-m-${ctx.here.code}`);
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-result').filter({ hasText: /Já existe uma conta/ }).waitFor();

    // The accounts list shows the new one, with its area; a new link for it signs in.
    const item = page.locator('#dash-account-list > li', { hasText: email });
    await item.waitFor();
    assert.match(await item.textContent(), new RegExp(`rede social do concelho.*${ctx.here.name}`));
    const users = (await api(ctx.admin, 'GET', '/api/users')).body.users;
    assert.equal(await page.locator('#dash-account-list > li').count(), users.length);
    await item.getByRole('button', { name: `Nova ligação de entrada para ${email}` }).click();
    await item.locator('.result.ok').first().waitFor();
    const relink = item.locator('input[readonly]');
    if (await relink.count()) {
      const url = new URL(await relink.inputValue());
      const me = await api(await apiSession(url.pathname + url.search), 'GET', '/api/me');
      assert.equal(me.body.user.email, email);
    }

    // A trainer (a training entity, named by an id typed in): its own field, said in plain words;
    // without the id the server's refusal is shown under it; the id is sent as `provider`.
    await page.check('#inv-role-trainer');
    assert.equal(await page.isVisible('#inv-provider'), false);
    assert.equal(await page.isVisible('#inv-munis'), false);
    assert.match(await page.textContent('#inv-trainer-help'), /escola ou empresa de formação/);
    const trainerEmail = `dash-trainer-${RUN}@example.pt`;
    await page.fill('#inv-email', trainerEmail);
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-trainer-error').filter({ hasText: /identificador da entidade formadora/ }).waitFor();
    assert.equal(await page.getAttribute('#inv-trainer', 'aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'inv-trainer');
    await page.fill('#inv-trainer', `escola-${RUN}`);
    await page.click('#dash-invite-form button[type="submit"]');
    await page.locator('#inv-result .result.ok').first().waitFor();
    assert.equal(await page.getAttribute('#inv-trainer', 'aria-invalid'), null);
    const trainer = (await api(ctx.admin, 'GET', '/api/users')).body.users.find((u) => u.email === trainerEmail);
    assert.equal(trainer?.role, 'trainer');
    assert.equal(trainer.provider, `escola-${RUN}`);
    const trainerItem = page.locator('#dash-account-list > li', { hasText: trainerEmail });
    await trainerItem.waitFor();
    assert.match(await trainerItem.textContent(), new RegExp(`entidade formadora · escola-${RUN}`));
    assert.equal(await overflows(page), false);
    await shot(page, 'dashboard-accounts-phone');
    await context.close();
  });
});
