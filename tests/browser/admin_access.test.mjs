// Administration of access as an admin's browser sees it: second factor first, then users,
// custom roles and the access review; hostile names shown as text; pages clean under the CSP
// and free of serious accessibility violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  TEST_TIMEOUT,
} from './harness.mjs';

const XSS = '<script>alert(1)</script> "><img src=x onerror=alert(1)> javascript:alert(1)';

const env = useServerAndBrowser({ before, after }, {
  env: { RAMPART_AUTH_HASH_MEMORY_KIB: '19456' },
  users: {
    boss: { email: 'boss@example.com', role: 'admin', name: 'Bea Boss' },
    // A second admin for the security settings test: each admin enrols a second factor once.
    sec: { email: 'sec@example.com', role: 'admin', name: 'Sid Sec' },
    tfa: { email: 'tfa@example.com', role: 'admin', name: 'Tia Factor' },
    tess: { email: 'tess@example.com', role: 'end_user', name: `Tess ${XSS}` },
  },
});

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

/** The admin signs in and, as their role requires, turns on the second factor first. */
async function signInAdmin(t, expected = [], who = 'boss') {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  // `expected`: the refusals a test provokes on purpose, as { status, path }.
  const isExpected = (status, url) => expected.some((e) => e.status === status && new URL(url).pathname === e.path);
  const watch = await watchPage(page, {
    allowResponse: (r) => isExpected(r.status(), r.url()),
    allowConsole: (m) => {
      const status = /status of (\d{3})/.exec(m.text());
      return Boolean(status) && isExpected(Number(status[1]), m.location().url || page.url());
    },
  });
  const session = { page, watch };
  const boss = env.server.accounts[who];
  await visit(session, '/login');
  await page.getByLabel('Email', { exact: true }).fill(boss.email);
  await page.getByLabel('Password', { exact: true }).fill(boss.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/account/2fa/setup', { waitUntil: 'load' });
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  const code = execFileSync('oathtool', ['--totp', '-b', secret]).toString().trim();
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await page.getByRole('link', { name: 'I have saved them' }).waitFor();
  await settled(session);
  session.account = boss;
  session.secret = secret;
  return session;
}

test('an admin manages users and custom roles through the pages', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const s = await signInAdmin(t);
  const page = s.page;

  // The user list shows the hostile name as text; nothing ran (assertClean: no dialog).
  await visit(s, '/admin/users');
  assertNoAxeViolations(await runAxe(page));
  const html = await page.content();
  assert.ok(!html.includes('<script>alert(1)'), 'the name is escaped');
  assert.ok((await page.getByRole('cell', { name: /Tess <script>alert\(1\)<\/script>/ }).count()) === 1);

  // A custom role: triage without replying, for the listed departments.
  await visit(s, '/admin/roles');
  assertNoAxeViolations(await runAxe(page));
  await page.getByLabel('Name', { exact: true }).fill('Triage');
  await page.getByLabel('Description').fill('Sorts the queue');
  await page.getByRole('checkbox', { name: /ticket\.view/ }).check();
  await page.getByRole('checkbox', { name: /ticket\.assign/ }).check();
  await page.getByRole('button', { name: 'Create role' }).click();
  await page.waitForURL(/\/admin\/roles\/\d+\?done=created$/, { waitUntil: 'load' });
  await settled(s);
  await page.getByRole('status').getByText('The role was created.').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: /ticket\.assign/ }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: /ticket\.reply/ }).isChecked(), false);
  assertNoAxeViolations(await runAxe(page));

  // Tess becomes a triager in Support.
  await visit(s, '/admin/users?q=tess');
  await page.getByRole('link', { name: 'tess@example.com' }).click();
  await page.waitForURL(/\/admin\/users\/\d+$/, { waitUntil: 'load' });
  await settled(s);
  assertNoAxeViolations(await runAxe(page));
  await page.getByLabel('Role').selectOption({ label: 'Triage' });
  await page.getByRole('checkbox', { name: 'Support' }).check();
  await page.getByRole('button', { name: 'Save access' }).click();
  await page.waitForURL(/\/admin\/users\/\d+\?done=access$/, { waitUntil: 'load' });
  await settled(s);
  await page.getByRole('status').getByText('The access was changed').waitFor();
  assert.match(await page.locator('main dl').innerText(), /Triage[\s\S]*ticket\.view, ticket\.assign[\s\S]*Support/);

  // The access review lists her with the role's permissions.
  await visit(s, '/admin/access-review');
  assertNoAxeViolations(await runAxe(page));
  const row = page.getByRole('row', { name: /tess@example\.com/ });
  assert.match(await row.innerText(), /Triage[\s\S]*ticket\.view, ticket\.assign/);
});

test('an admin tightens the security settings; a list that would lock them out is refused', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const s = await signInAdmin(t, [{ status: 422, path: '/admin/security' }], 'sec');
  const page = s.page;
  await visit(s, '/admin/security');
  assertNoAxeViolations(await runAxe(page));

  // A staff allowlist without the admin's own address (loopback here): refused, nothing saved.
  await page.getByLabel('Staff (agents, admins, owners, staff API tokens)').fill('192.0.2.0/24');
  await page.getByLabel('Minimum length for password-only accounts (at least 8; NIST advises 15)').first().fill('20');
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await page.waitForLoadState('load');
  await settled(s);
  const alert = page.getByRole('alert');
  await alert.getByText('Nothing was saved').waitFor();
  assert.match(await alert.innerText(), /would lock you out/);
  assertNoAxeViolations(await runAxe(page));

  // Hostile text in a list: refused as not a network, and shown back as text.
  await page.getByLabel('Staff (agents, admins, owners, staff API tokens)').fill('');
  await page.getByLabel('API', { exact: true }).fill(XSS);
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await page.waitForLoadState('load');
  await settled(s);
  await page.getByRole('alert').getByText('Nothing was saved').waitFor();
  assert.ok(!(await page.content()).includes('<script>alert(1)'), 'the list is escaped');
  await visit(s, '/admin/security');
  assert.equal(await page.getByLabel('Staff (agents, admins, owners, staff API tokens)').inputValue(), '');
  assert.notEqual(await page.getByLabel('Minimum length for password-only accounts (at least 8; NIST advises 15)').first().inputValue(), '20');

  // A list that includes the admin's address, and a longer minimum: saved and shown.
  await page.getByLabel('Staff (agents, admins, owners, staff API tokens)').fill('127.0.0.0/8\n::1/128');
  await page.getByLabel('Minimum length for password-only accounts (at least 8; NIST advises 15)').first().fill('20');
  await page.getByRole('button', { name: 'Save security settings' }).click();
  await page.waitForLoadState('load');
  await settled(s);
  await page.getByRole('status').getByText('The security settings were saved.').waitFor();
  await visit(s, '/admin/security');
  assert.match(await page.getByLabel('Staff (agents, admins, owners, staff API tokens)').inputValue(), /127\.0\.0\.0\/8/);
  assert.equal(await page.getByLabel('Minimum length for password-only accounts (at least 8; NIST advises 15)').first().inputValue(), '20');
  // Still signed in and allowed: the workspace opens.
  await visit(s, '/agent/');
});

test('an admin enrols the second factor from the page, signs out, and signs in with password and code', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const s = await signInAdmin(t, [], 'tfa');
  const page = s.page;
  assert.match(s.secret, /^[A-Z2-7]{16,}$/, 'the secret was read from the page');
  await page.getByRole('link', { name: 'I have saved them' }).click();
  await page.waitForLoadState('load');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForLoadState('load');
  await settled(s);
  // Signed out: the workspace sends to the sign-in page.
  await page.goto(`${env.server.baseUrl}/agent/`, { waitUntil: 'load' });
  assert.equal(new URL(page.url()).pathname, '/login');

  await page.getByLabel('Email', { exact: true }).fill(s.account.email);
  await page.getByLabel('Password', { exact: true }).fill(s.account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
  await settled(s);
  // The enrolment used this period's code, and a code is accepted once: wait for the next one.
  await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 1_000));
  const code = execFileSync('oathtool', ['--totp', '-b', s.secret]).toString().trim();
  await page.locator('#code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.pathname === '/agent/', { waitUntil: 'load' });
  await settled(s);
  await visit(s, '/admin/');
});
