// Mail administration as an admin's browser sees it: adding a mailbox through the form (with
// certificate verification turned off by its checkbox, and the warning that follows), a refused
// form, and the DNS records page with its check against a fixture resolver. Every page is
// watched from its first navigation and checked with axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  useServerAndBrowser, newContext, watchPage, assertClean, runAxe, assertNoAxeViolations,
  screenshot, binaryPath, serverEnvironment, TEST_TIMEOUT,
} from './harness.mjs';

const XSS_SCRIPT = '<script>alert(1)</script>';
const XSS_IMG = '"><img src=x onerror=alert(1)>';
const IMAP_PASSWORD = 'browser-Imap-Secret-93';
const WARNING = "Certificate not verified: anyone on the path can read this mailbox's password and mail.";

// A DKIM key made as an operator would, and a DNS fixture that publishes it (and an SPF record
// with markup in it, which the page must show as text).
const keys = mkdtempSync(join(tmpdir(), 'rampart-mail-dns-'));
const keygen = execFileSync(binaryPath(), ['dkim', 'keygen', '--domain', 'help.example', '--selector', 's2026',
  '--out', join(keys, 'dkim.pem')], { env: serverEnvironment(), stdio: ['ignore', 'pipe', 'ignore'] }).toString();
after(() => rmSync(keys, { recursive: true, force: true }));
const dkimRecord = [...keygen.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
writeFileSync(join(keys, 'dns.txt'), [
  `s2026._domainkey.help.example TXT "${dkimRecord}"`,
  `help.example TXT "v=spf1 a:${XSS_SCRIPT.replace(/"/g, '\\"')} -all"`,
  '',
].join('\n'));

const env = useServerAndBrowser({ before, after }, {
  env: {
    RAMPART_AUTH_HASH_MEMORY_KIB: '19456',
    RAMPART_INBOUND_DNS_FIXTURE_FILE: join(keys, 'dns.txt'),
    RAMPART_MAIL_FROM_ADDRESS: 'support@help.example',
    RAMPART_MAIL_DKIM_DOMAIN: 'help.example',
    RAMPART_MAIL_DKIM_SELECTOR: 's2026',
    RAMPART_MAIL_DKIM_KEY_FILE: join(keys, 'dkim.pem'),
  },
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

// A refused form answers 422 on purpose; nothing else may fail.
const refusedForm = (r) => r.status() === 422 && new URL(r.url()).pathname.startsWith('/admin/mailboxes');

async function settled(s) {
  await s.page.waitForLoadState('networkidle');
  await assertClean(s.watch);
}

async function visit(s, path) {
  const response = await s.page.goto(`${env.server.baseUrl}${path}`, { waitUntil: 'load' });
  assert.equal(response.status(), 200, `GET ${path}`);
  await settled(s);
}

async function submit(s, button, urlMatches) {
  await button.click();
  await s.page.waitForURL(urlMatches, { waitUntil: 'load' });
  await settled(s);
}

async function checkAxe(s, name) {
  assertNoAxeViolations(await runAxe(s.page));
  await assertClean(s.watch);
  await screenshot(s.page, `admin-mail-${name}`);
}

/** The admin signs in and enrols in two-factor authentication, as admins must. */
async function adminSession(t) {
  const context = await newContext(env.browser);
  t.after(() => context.close());
  const page = await context.newPage();
  const watch = await watchPage(page, {
    allowResponse: refusedForm,
    allowConsole: (m) => /status of 422/.test(m.text()),
  });
  const s = { page, watch };
  const account = env.server.accounts.admin;
  await visit(s, '/login');
  await page.getByLabel('Email', { exact: true }).fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await submit(s, page.getByRole('button', { name: 'Sign in' }), (u) => u.pathname === '/account/2fa/setup');
  const secret = await page.locator('#totp-secret').innerText();
  await page.getByLabel('Then enter the 6-digit code the app shows').fill(totp(secret));
  await submit(s, page.getByRole('button', { name: 'Turn on two-factor authentication' }), (u) => u.pathname === '/account/2fa/setup');
  await submit(s, page.getByRole('link', { name: 'I have saved them' }), (u) => u.pathname === '/agent/');
  return s;
}

test('an admin adds a mailbox, is warned about an unverified certificate, and checks the DNS records', { timeout: TEST_TIMEOUT * 4 }, async (t) => {
  const s = await adminSession(t);
  const { page } = s;
  await submit(s, page.getByRole('link', { name: 'Admin', exact: true }), (u) => u.pathname === '/admin/');
  await submit(s, page.getByRole('link', { name: 'Mailboxes', exact: true }), (u) => u.pathname === '/admin/mailboxes');
  await checkAxe(s, 'mailboxes-empty');
  await submit(s, page.getByRole('link', { name: 'Add a mailbox' }), (u) => u.pathname === '/admin/mailboxes/new');
  await checkAxe(s, 'mailbox-new');

  const fill = async (port) => {
    await page.getByLabel('Name', { exact: true }).fill(`Support ${XSS_IMG}`);
    await page.getByLabel('Address customers write to').fill('support@help.example');
    await page.getByLabel('IMAP host').fill('imap.help.example');
    await page.getByLabel(/^Port/).fill(port);
    await page.getByRole('radio', { name: /^STARTTLS/ }).check();
    await page.getByLabel('User name').fill('support');
    await page.getByLabel('Password', { exact: true }).fill(IMAP_PASSWORD);
    await page.getByLabel('Folder').fill('INBOX');
  };
  // A port out of range: the form comes back with the reason, the password not filled in again.
  await fill('70000');
  await submit(s, page.getByRole('button', { name: 'Save mailbox' }), (u) => u.pathname === '/admin/mailboxes');
  await assert.doesNotReject(page.getByRole('alert').getByText('Enter a port from 1 to 65535.').waitFor());
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
  await checkAxe(s, 'mailbox-refused');

  await fill('143');
  await page.getByLabel("Do not verify the server's certificate (insecure)").check();
  await submit(s, page.getByRole('button', { name: 'Save mailbox' }), /\/admin\/mailboxes\?done=created$/);
  const warning = page.getByRole('alert').filter({ hasText: WARNING });
  await assert.doesNotReject(warning.waitFor());
  assert.ok((await warning.innerText()).includes(`Support ${XSS_IMG}`), 'the warning names the mailbox');
  await checkAxe(s, 'mailboxes-insecure');

  await submit(s, page.getByRole('link', { name: `Support ${XSS_IMG}` }), /\/admin\/mailboxes\/\d+$/);
  await assert.doesNotReject(page.getByRole('alert').filter({ hasText: WARNING }).waitFor());
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
  assert.ok(await page.getByLabel("Do not verify the server's certificate (insecure)").isChecked());
  assert.ok(!(await page.content()).includes(IMAP_PASSWORD), 'the password is never shown back');
  await checkAxe(s, 'mailbox-edit');
  assert.equal(await page.locator('img[src="x"]').count(), 0);

  // The DNS records to publish, then their check (the same admin: one enrolment per account).
  await visit(s, '/admin/mail-dns');
  await assert.doesNotReject(page.getByText(dkimRecord, { exact: true }).waitFor());
  await checkAxe(s, 'dns');
  await submit(s, page.getByRole('button', { name: 'Check DNS' }), (u) => u.pathname === '/admin/mail-dns/check');
  const text = await page.locator('main').innerText();
  assert.match(text, /DNS check: matches\./);
  assert.match(text, /DNS check: found\./);
  assert.match(text, /DNS check: missing\./);
  assert.ok(text.includes(`v=spf1 a:${XSS_SCRIPT} -all`), 'what was found is shown as text');
  await checkAxe(s, 'dns-checked');
  assert.deepEqual(s.watch.dialogs, []);
});
