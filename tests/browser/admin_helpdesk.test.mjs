// The portal's open sign-up, canned responses and queue bulk actions as people's browsers see
// them. Every page is watched from its first navigation (no console error, failed request, CSP
// violation or dialog) and the pages people work in are checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  screenshot, TEST_TIMEOUT,
} from './harness.mjs';

const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(1)>';

const env = useServerAndBrowser({ before, after }, {
  env: { RAMPART_AUTH_HASH_MEMORY_KIB: '19456' },
  setup: [['portal', 'sign-up', '--mode', 'open']],
  users: { admin: { email: 'admin@example.com', role: 'admin', name: 'Ada Admin' } },
});

/** The RFC 6238 code of a base32 secret for this moment (SHA-1, 30 s, 6 digits). */
function totp(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secret.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

function pathOf(url) {
  return new URL(url).pathname;
}

async function newSession(t) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  const watch = await watchPage(page);
  return { context, page, watch };
}

async function settled(session) {
  await session.page.waitForLoadState('networkidle');
  await assertClean(session.watch);
}

async function visit(session, path) {
  const response = await session.page.goto(`${env.server.baseUrl}${path}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${path}`);
  await settled(session);
  return response;
}

async function submit(session, button, urlMatches) {
  await button.click();
  await session.page.waitForURL(urlMatches, { waitUntil: 'load' });
  await settled(session);
}

async function checkAxe(session, name) {
  assertNoAxeViolations(await runAxe(session.page));
  await assertClean(session.watch);
  await screenshot(session.page, `admin-helpdesk-${name}`);
}

async function signIn(t, account) {
  const session = await newSession(t);
  await visit(session, '/login');
  await session.page.getByLabel('Email', { exact: true }).fill(account.email);
  await session.page.getByLabel('Password', { exact: true }).fill(account.password);
  const home = account.role === 'end_user' || account.role === 'customer' ? '/portal/' : '/agent/';
  await submit(session, session.page.getByRole('button', { name: 'Sign in' }), (u) => u.pathname === home);
  return session;
}

async function openTicket(session, subject) {
  await visit(session, '/portal/tickets/new');
  await session.page.getByLabel('Subject').fill(subject);
  await session.page.getByLabel('How can we help?').fill('Details follow.');
  await submit(session, session.page.getByRole('button', { name: 'Open ticket' }), /\/portal\/tickets\/RMP-\d+\?done=created$/);
  return /\/tickets\/(RMP-\d+)/.exec(session.page.url())[1];
}

/** A new customer signs up through the open portal; returns their signed-in session. */
async function signUp(t, email, name) {
  const s = await newSession(t);
  await visit(s, '/login');
  await submit(s, s.page.getByRole('link', { name: 'New here? Sign up' }), (u) => u.pathname === '/signup');
  await checkAxe(s, 'signup');
  await s.page.getByLabel('Email').fill(email);
  await submit(s, s.page.getByRole('button', { name: 'Send me a link' }), (u) => u.pathname === '/signup');
  await assert.doesNotReject(s.page.getByRole('status').getByText('Check your email').waitFor());
  const { stdout } = await env.server.run(['outbox', 'list']);
  const escaped = email.replace(/[.+]/g, '\\$&');
  const m = new RegExp(`To: ${escaped}\\n[\\s\\S]*?(/signup/complete\\?token=[A-Za-z0-9_-]{43})`).exec(stdout);
  assert.ok(m, `no sign-up link for ${email} in the outbox:\n${stdout}`);
  await visit(s, m[1]);
  await checkAxe(s, 'signup-complete');
  await s.page.getByLabel('Your name').fill(name);
  await s.page.getByLabel('Password (at least 15 characters)').fill(`pw-${randomBytes(18).toString('base64url')}`);
  await submit(s, s.page.getByRole('button', { name: 'Create my account' }), (u) => u.pathname === '/portal/');
  return s;
}

test('a customer signs up in open mode and opens a ticket', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const s = await signUp(t, `new-${randomBytes(4).toString('hex')}@example.org`, `Nina ${XSS_SCRIPT}`);
  const number = await openTicket(s, 'My first ticket');
  const html = await s.page.content();
  assert.ok(!html.includes(XSS_SCRIPT), 'the name came back as markup');
  await visit(s, '/portal/');
  assert.ok((await s.page.locator('main table').innerText()).includes(number));
  assert.deepEqual(s.watch.dialogs, []);
});

test('an agent inserts a canned response and bulk-assigns two tickets', { timeout: TEST_TIMEOUT * 3 }, async (t) => {
  const customer = await signUp(t, `req-${randomBytes(4).toString('hex')}@example.org`, 'Rosa Requester');
  const first = await openTicket(customer, 'Bulk one');
  const second = await openTicket(customer, 'Bulk two');

  const ag = await signIn(t, env.server.accounts.agent);
  await visit(ag, '/agent/canned-responses');
  await ag.page.getByLabel('Title', { exact: true }).last().fill(`Greeting ${XSS_IMG}`);
  await ag.page.getByLabel('Text', { exact: true }).last()
    .fill(`Hello {{requester.name}}, about {{ticket.number}}: ${XSS_SCRIPT}`);
  await submit(ag, ag.page.getByRole('button', { name: 'Create response' }), /\/agent\/canned-responses\?done=created$/);
  await checkAxe(ag, 'canned-responses');

  await visit(ag, `/agent/tickets/${first}`);
  await ag.page.getByLabel('Canned response').selectOption({ label: `Greeting ${XSS_IMG}` });
  await submit(ag, ag.page.getByRole('button', { name: 'Insert' }), (u) => u.searchParams.has('canned'));
  const draft = await ag.page.getByLabel('Reply or note').inputValue();
  assert.equal(draft, `Hello Rosa Requester, about ${first}: ${XSS_SCRIPT}`);
  await checkAxe(ag, 'ticket-with-canned');
  await submit(ag, ag.page.getByRole('button', { name: 'Send', exact: true }), new RegExp(`/agent/tickets/${first}\\?done=replied$`));
  assert.equal(await ag.page.locator('img[src="x"]').count(), 0);

  await visit(ag, '/agent/?view=all');
  await checkAxe(ag, 'queue-with-bulk');
  await ag.page.getByRole('checkbox', { name: `Select ${first}` }).check();
  await ag.page.getByRole('checkbox', { name: `Select ${second}` }).check();
  await ag.page.getByLabel('Assign to').selectOption('me');
  await submit(ag, ag.page.getByRole('button', { name: 'Assign', exact: true }), (u) => u.pathname === '/agent/bulk');
  await assert.doesNotReject(ag.page.getByRole('status').getByText('2 changed').waitFor());
  await visit(ag, '/agent/?view=mine');
  const mine = await ag.page.locator('main table').innerText();
  assert.ok(mine.includes(first) && mine.includes(second), mine);
  assert.deepEqual(ag.watch.dialogs, []);
  assert.deepEqual(customer.watch.dialogs, []);
});

test('the admin pages are accessible and show hostile names as text', { timeout: TEST_TIMEOUT * 3 }, async (t) => {
  const account = env.server.accounts.admin;
  const s = await newSession(t);
  await visit(s, '/login');
  await s.page.getByLabel('Email', { exact: true }).fill(account.email);
  await s.page.getByLabel('Password', { exact: true }).fill(account.password);
  await submit(s, s.page.getByRole('button', { name: 'Sign in' }), (u) => u.pathname === '/account/2fa/setup');
  const secret = await s.page.locator('#totp-secret').innerText();
  await s.page.getByLabel('Then enter the 6-digit code the app shows').fill(totp(secret));
  await submit(s, s.page.getByRole('button', { name: 'Turn on two-factor authentication' }), (u) => u.pathname === '/account/2fa/setup');
  await submit(s, s.page.getByRole('link', { name: 'I have saved them' }), (u) => u.pathname === '/agent/');

  await submit(s, s.page.getByRole('link', { name: 'Admin', exact: true }), (u) => u.pathname === '/admin/');
  await checkAxe(s, 'admin-index');
  await visit(s, '/admin/organizations');
  await s.page.getByLabel('Name').fill(`Org ${XSS_SCRIPT}`);
  await s.page.getByLabel("Members see each other's tickets").check();
  await submit(s, s.page.getByRole('button', { name: 'Create organization' }), /done=created$/);
  await checkAxe(s, 'admin-organizations');
  await visit(s, '/admin/departments');
  await s.page.getByLabel('Name', { exact: true }).fill(`Dept ${XSS_IMG}`);
  await submit(s, s.page.getByRole('button', { name: 'Create department' }), /done=created$/);
  await checkAxe(s, 'admin-departments');
  await visit(s, '/admin/custom-fields');
  await s.page.getByLabel('Label', { exact: true }).fill(`Contract ${XSS_IMG}`);
  await s.page.getByLabel('Key (for the API: a-z, 0-9 and _)').fill('contract_level'); // the demo data has a field named plan
  await s.page.getByLabel('Kind').selectOption('dropdown');
  await s.page.getByLabel(/Dropdown options/).fill(`free\npro | ${XSS_SCRIPT}`);
  await submit(s, s.page.getByRole('button', { name: 'Create field' }), /done=created$/);
  await checkAxe(s, 'admin-custom-fields');
  await submit(s, s.page.getByRole('link', { name: `Contract ${XSS_IMG}` }), /\/admin\/custom-fields\/\d+$/);
  await checkAxe(s, 'admin-custom-field');
  await visit(s, '/admin/canned-responses');
  await checkAxe(s, 'admin-canned-responses');
  await visit(s, '/admin/portal');
  await checkAxe(s, 'admin-portal');
  await visit(s, '/admin/mail-templates');
  await s.page.locator('#acknowledgement-subject').fill(`Got it ${XSS_IMG} {{ticket.number}}`);
  await s.page.locator('#acknowledgement-body').fill(`${XSS_SCRIPT} {{requester.name}} javascript:alert(1)`);
  await s.page.getByLabel(/Acknowledge new tickets/).uncheck();
  await submit(s, s.page.getByRole('button', { name: 'Save' }), /done=saved$/);
  await checkAxe(s, 'admin-mail-templates');
  assert.equal(await s.page.locator('#acknowledgement-body').inputValue(),
    `${XSS_SCRIPT} {{requester.name}} javascript:alert(1)`);
  assert.equal(await s.page.getByLabel(/Acknowledge new tickets/).isChecked(), false);
  assert.equal(await s.page.locator('img[src="x"]').count(), 0);
  assert.deepEqual(s.watch.dialogs, []);
});
