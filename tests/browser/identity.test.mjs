// Identity flows as a person's browser sees them: a forgotten password reset through the
// emailed link (read from the outbox, as the mailer would), and the password prompt before a
// sensitive page (2FA setup) once the last password entry is old.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  screenshot, TEST_TIMEOUT,
} from './harness.mjs';

const env = useServerAndBrowser({ before, after }, {
  tickets: 2,
  users: {
    resetter: { email: 'resetter@example.com', role: 'end_user', name: 'Rita Reset' },
    agnes: { email: 'agnes@example.com', role: 'agent', name: 'Agnes Agent' },
  },
});

function sql(query) {
  return execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(env.server.dataDir, 'rampart.db'), query],
    { encoding: 'utf8' }).trim();
}

async function openPage(t) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  const watch = await watchPage(page);
  return { page, watch };
}

async function signIn(page, email, password) {
  await page.goto(`${env.server.baseUrl}/login`, { waitUntil: 'load' });
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState('load');
}

test('forgotten password: link from the outbox, new password, sign in with it', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  const account = env.server.accounts.resetter;
  await page.goto(`${env.server.baseUrl}/login`, { waitUntil: 'load' });
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
  assertNoAxeViolations(await runAxe(page));
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await page.getByRole('status').filter({ hasText: 'on its way' }).waitFor();

  const body = sql(`SELECT body FROM outbox WHERE kind = 'password_reset' AND recipient = '${account.email}'`);
  const link = /\/login\/reset\/[A-Za-z0-9_-]{43}/.exec(body);
  assert.ok(link, `no reset link in the outbox mail:\n${body}`);

  const response = await page.goto(`${env.server.baseUrl}${link[0]}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200);
  assert.equal((await response.allHeaders())['referrer-policy'], 'no-referrer');
  await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  // The rules are text on the page; the strength estimate appears while typing.
  assert.match(await page.locator('#password-rules').innerText(), /At least \d+ characters/);
  const field = page.getByLabel('New password', { exact: true });
  await field.pressSequentially('weak');
  const meter = page.locator('#password-strength');
  await meter.waitFor({ state: 'visible' });
  assert.match(await meter.innerText(), /Strength: weak/);
  const fresh = 'Quiet harbour lanterns glow at 9';
  await field.fill(fresh);
  assert.match(await meter.innerText(), /Strength: (good|strong)/);
  assertNoAxeViolations(await runAxe(page));
  await screenshot(page, 'reset-password');
  await page.getByRole('button', { name: 'Set the new password' }).click();
  await page.waitForURL(/\/login\?reset=1$/);
  await page.getByRole('status').filter({ hasText: 'Sign in with the new password' }).waitFor();

  await signIn(page, account.email, fresh);
  assert.equal(new URL(page.url()).pathname, '/portal/');
  await assertClean(watch);
});

test('an old password entry is confirmed before 2FA setup, then the setup page opens', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, watch } = await openPage(t);
  const account = env.server.accounts.agnes;
  await signIn(page, account.email, account.password);
  assert.equal(new URL(page.url()).pathname, '/agent/');
  // Eleven minutes later, as far as the server can tell.
  sql(`UPDATE sessions SET reauth_at = reauth_at - 660 WHERE user_id = (SELECT id FROM users WHERE email = '${account.email}')`);

  await page.goto(`${env.server.baseUrl}/account/2fa/setup`, { waitUntil: 'load' });
  const url = new URL(page.url());
  assert.equal(url.pathname, '/account/reauth');
  assert.equal(url.searchParams.get('next'), '/account/2fa/setup');
  await page.getByRole('heading', { level: 1, name: 'Confirm your password' }).waitFor();
  assertNoAxeViolations(await runAxe(page));
  await screenshot(page, 'reauth');
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForURL(/\/account\/2fa\/setup$/);
  await page.getByRole('heading', { level: 1, name: 'Two-factor authentication' }).waitFor();
  assert.match(await page.locator('#totp-secret').innerText(), /^[A-Z2-7]+$/);
  await assertClean(watch);
});
