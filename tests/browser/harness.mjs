// Shared helpers for Rampart's browser tests.
//
// A test file typically does:
//
//   import { test, before, after } from 'node:test';
//   import { startServer, launchBrowser, watchPage, assertClean } from './harness.mjs';
//   let server, browser;
//   before(async () => { server = await startServer(); browser = await launchBrowser(); });
//   after(async () => { await browser?.close(); await server?.stop(); });
//   test('...', async () => {
//     const context = await newContext(browser);
//     const page = await context.newPage();
//     const watch = await watchPage(page);
//     await page.goto(server.baseUrl + '/login');
//     ...
//     await assertClean(watch);
//     await context.close();
//   });
//
// Every wait has a deadline; nothing sleeps for a fixed time.

import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, readFile, mkdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Flags for a quiet, reproducible headless Chromium that never reaches the network by itself.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// Deadlines (milliseconds).
export const SERVER_START_TIMEOUT = 20_000;
export const SERVER_STOP_TIMEOUT = 15_000;
export const DEMO_DATA_TIMEOUT = 30_000;
export const BROWSER_LAUNCH_TIMEOUT = 30_000;
export const ACTION_TIMEOUT = 15_000;
// For node:test's per-test and per-hook `timeout` option.
export const TEST_TIMEOUT = 60_000;
export const HOOK_TIMEOUT = 60_000;

// Where screenshots go: RAMPART_BROWSER_ARTIFACTS, or tests/browser/test-results (ignored by git).
export const ARTIFACTS_DIR = process.env.RAMPART_BROWSER_ARTIFACTS || join(here, 'test-results');

// Servers still running, so that a crashed test process does not leave them behind.
const liveServers = new Set();
process.on('exit', () => {
  for (const child of liveServers) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

/** The server binary under test: the argument, else $RAMPART_BINARY. */
export function binaryPath(explicit) {
  const path = explicit || process.env.RAMPART_BINARY;
  if (!path) throw new Error('no server binary: set RAMPART_BINARY (scripts/browser-test.sh BINARY does)');
  return path;
}

/**
 * The environment for the server: this process's, without any RAMPART_* variable, plus `extra`.
 * The server reads its configuration from RAMPART_* variables and refuses unknown ones, so the
 * harness's own (RAMPART_BINARY, RAMPART_BROWSER_*) and whatever a developer's shell exports must
 * not reach it: every test server starts from the defaults unless a test configures it here.
 */
export function serverEnvironment(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('RAMPART_')) env[name] = value;
  }
  return { ...env, ...extra };
}

function runCommand(file, args, timeoutMs, env, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 << 20, env },
      (err, stdout, stderr) => {
        if (err) {
          err.message += `\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
          reject(err);
        } else {
          resolve({ stdout, stderr });
        }
      });
    child.stdin.end(input ?? '');
  });
}

/**
 * Parses the demo accounts that `rampart demo-data` prints, e.g.
 *   "  owner     owner@example.com     y2hqj-4esah-jfuvz-vqtaq  (one-time: change at first sign-in)"
 * into { owner: { role, email, password, oneTime }, agent: {...}, customer: {...} }.
 */
export function parseDemoAccounts(stdout) {
  const accounts = {};
  for (const line of stdout.split('\n')) {
    const m = /^\s+([a-z][\w-]*)\s+(\S+@\S+)\s+(\S+)(?:\s+\((.*)\))?\s*$/.exec(line);
    if (m) {
      accounts[m[1]] = { role: m[1], email: m[2], password: m[3], oneTime: /one-time/i.test(m[4] || '') };
    }
  }
  return accounts;
}

/**
 * Starts a Rampart server on a fresh demo helpdesk (options: tickets, env: RAMPART_* settings,
 * users: more people to add with `rampart user add` before serving, as
 * { key: { email, role: 'agent'|'end_user', name?, department? } }; setup: more commands to run
 * before serving, each an argument list to which `--data-dir DIR` is added, e.g.
 * [['portal', 'sign-up', '--mode', 'open']]).
 * Returns { baseUrl, port, dataDir, accounts, logs, stop(), run(args) }:
 *   accounts: the demo people and their passwords (see parseDemoAccounts), plus each of `users`
 *     under its key with a generated password;
 *   logs: the server's stderr lines so far (JSON log lines), for diagnostics;
 *   stop(): SIGTERM, waits for the exit (SIGKILL past the deadline), removes the data dir.
 */
export async function startServer(binary, {
  tickets = 10, env: extraEnv = {}, users = {}, setup = [], startTimeout = SERVER_START_TIMEOUT,
} = {}) {
  const bin = binaryPath(binary);
  const env = serverEnvironment(extraEnv);
  const dataDir = await mkdtemp(join(tmpdir(), 'rampart-browser-'));
  let child;
  try {
    const demo = await runCommand(bin, ['demo-data', '--data-dir', dataDir, '--tickets', String(tickets)],
      DEMO_DATA_TIMEOUT, env);
    const accounts = parseDemoAccounts(demo.stdout);
    if (!accounts.owner || !accounts.agent || !accounts.customer) {
      throw new Error(`demo-data printed no owner/agent/customer passwords:\n${demo.stdout}`);
    }
    for (const [key, user] of Object.entries(users)) {
      if (accounts[key]) throw new Error(`users: ${key} is already a demo account`);
      const password = `pw-${randomBytes(18).toString('base64url')}`;
      const args = ['user', 'add', '--data-dir', dataDir, '--email', user.email, '--role', user.role,
        '--password-stdin'];
      if (user.name !== undefined) args.push('--name', user.name);
      if (user.department !== undefined) args.push('--department', user.department);
      await runCommand(bin, args, DEMO_DATA_TIMEOUT, env, `${password}\n`);
      accounts[key] = { role: user.role, email: user.email, password, oneTime: false, name: user.name };
    }

    for (const args of setup) {
      await runCommand(bin, [...args, '--data-dir', dataDir], DEMO_DATA_TIMEOUT, env);
    }

    child = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--metrics-listen', ''],
      { stdio: ['ignore', 'pipe', 'pipe'], env });
    liveServers.add(child);
    const logs = [];
    const stdoutLines = [];
    createInterface({ input: child.stdout }).on('line', (l) => stdoutLines.push(l));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      liveServers.delete(child);
      resolve({ code, signal });
    }));

    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`server did not report listening within ${startTimeout} ms:\n${logs.join('\n')}`));
      }, startTimeout);
      createInterface({ input: child.stderr }).on('line', (line) => {
        logs.push(line);
        let entry;
        try { entry = JSON.parse(line); } catch { return; }
        if (entry.event === 'listening' && entry.listener === 'public' && Number.isInteger(entry.port)) {
          clearTimeout(timer);
          resolve(entry.port);
        }
      });
      child.once('error', (err) => { clearTimeout(timer); reject(err); });
      exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`server exited (code ${code}, signal ${signal}) before listening:\n${logs.join('\n')}`));
      });
    });

    let stopping;
    const stop = () => {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), SERVER_STOP_TIMEOUT);
          const result = await exited;
          clearTimeout(timer);
          if (result.signal === 'SIGKILL') {
            throw new Error(`server ignored SIGTERM for ${SERVER_STOP_TIMEOUT} ms:\n${logs.slice(-20).join('\n')}`);
          }
        }
        await rm(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    };

    // Runs another command of the binary on the live data directory (e.g. ['outbox', 'list']).
    const run = (args) => runCommand(bin, [...args, '--data-dir', dataDir], DEMO_DATA_TIMEOUT, env);
    return { baseUrl: `http://127.0.0.1:${port}`, port, dataDir, accounts, logs, stdout: stdoutLines, stop, run };
  } catch (err) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Launches headless Chromium (the system's; no browser is ever downloaded). */
export async function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: BROWSER_LAUNCH_TIMEOUT,
    ...options,
  });
}

/**
 * A fresh, isolated browser context (own cookies and storage) with deadlines on every action.
 * Never pass bypassCSP here for a page whose cleanliness is checked: the CSP is part of what is tested.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  return context;
}

// Runs in every document before the page's own scripts: records CSP violations into
// window.__rampartCspViolations and reports them to the test at once (which survives navigation).
function cspRecorder() {
  if (window.__rampartCspViolations) return;
  const list = [];
  Object.defineProperty(window, '__rampartCspViolations', { value: list });
  let seq = 0;
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = {
      seq: seq++,
      documentURI: e.documentURI,
      violatedDirective: e.violatedDirective,
      effectiveDirective: e.effectiveDirective,
      blockedURI: e.blockedURI,
      sourceFile: e.sourceFile,
      lineNumber: e.lineNumber,
      sample: e.sample,
      disposition: e.disposition,
    };
    list.push(v);
    try { window.__rampartReportCsp?.(v); } catch { /* the binding may be missing */ }
  }, true);
}

const CSP_CONSOLE = /content[- ]security[- ]policy/i;

/**
 * Starts recording what would show that a page misbehaves: console errors, uncaught page
 * errors, failed requests, responses with status >= 400, CSP violations and dialogs (which are
 * dismissed). Call before the first navigation. Returns the record, which assertClean checks.
 *
 * options.allowResponse(response) → true to accept an expected >= 400 response (e.g. a test of a 404 page).
 * options.allowConsole(message) → true to accept an expected console error.
 */
export async function watchPage(page, { allowResponse = () => false, allowConsole = () => false } = {}) {
  const watch = {
    page,
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    cspViolations: [], // securitypolicyviolation events, from the page
    cspConsoleMessages: [], // console messages that mention Content Security Policy
    dialogs: [],
  };
  const seen = new Set();
  watch.addCspViolation = (v) => {
    const key = `${v.documentURI}|${v.seq}`;
    if (seen.has(key)) return;
    seen.add(key);
    watch.cspViolations.push(v);
  };

  await page.exposeBinding('__rampartReportCsp', (_source, v) => watch.addCspViolation(v));
  await page.addInitScript(cspRecorder);

  page.on('console', (msg) => {
    const text = msg.text();
    if (CSP_CONSOLE.test(text)) watch.cspConsoleMessages.push({ type: msg.type(), text, url: page.url() });
    if (msg.type() === 'error' && !allowConsole(msg)) {
      watch.consoleErrors.push({ text, location: msg.location() });
    }
  });
  page.on('pageerror', (err) => watch.pageErrors.push(String(err?.stack || err)));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText;
    // The browser aborts a subresource fetch (a favicon, say) when the page navigates away while it
    // is in flight, e.g. right after a form submit; that is the test moving on, not the page failing.
    // A server that answers badly is still caught below, by status.
    if (failure === 'net::ERR_ABORTED' && req.resourceType() !== 'document') return;
    watch.failedRequests.push({ url: req.url(), method: req.method(), failure });
  });
  page.on('response', (resp) => {
    if (resp.status() >= 400 && !allowResponse(resp)) {
      watch.failedRequests.push({ url: resp.url(), method: resp.request().method(), status: resp.status() });
    }
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push({ type: dialog.type(), message: dialog.message(), url: page.url() });
    dialog.dismiss().catch(() => { /* the page may be gone */ });
  });
  return watch;
}

/** Pulls the violations the current document recorded (in case a binding call is still in flight). */
export async function collectCspViolations(watch) {
  if (watch.page.isClosed()) return watch.cspViolations;
  const inPage = await watch.page.evaluate(() => window.__rampartCspViolations ?? []).catch(() => []);
  for (const v of inPage) watch.addCspViolation(v);
  return watch.cspViolations;
}

/** Fails the test if the watched page logged errors, threw, failed a request, broke its CSP or opened a dialog. */
export async function assertClean(watch) {
  await collectCspViolations(watch);
  const problems = {};
  for (const key of ['consoleErrors', 'pageErrors', 'failedRequests', 'cspViolations', 'cspConsoleMessages', 'dialogs']) {
    if (watch[key].length) problems[key] = watch[key];
  }
  assert.deepEqual(problems, {}, `the page misbehaved:\n${JSON.stringify(problems, null, 2)}`);
}

let axeSource;

/**
 * Runs axe-core on the page and returns its results.
 *
 * The source is evaluated through the DevTools protocol (page.evaluate), which the page's CSP
 * does not govern. page.addScriptTag({content}) would add an inline <script>, which Rampart's CSP
 * (script-src 'self', no 'unsafe-inline') rightly blocks: a violation and no axe. So the page
 * is checked with its real CSP in force, and no bypassCSP context is needed.
 */
export async function runAxe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } = {}) {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(`${axeSource}\n;typeof window.axe === 'object'`);
  assert.ok(loaded, 'axe-core did not load into the page');
  return page.evaluate((runOnly) => window.axe.run(document, {
    runOnly: { type: 'tag', values: runOnly },
    resultTypes: ['violations'],
  }), tags);
}

/** Fails on axe violations of the given impacts (serious and critical by default). */
export function assertNoAxeViolations(results, impacts = ['serious', 'critical']) {
  const bad = results.violations.filter((v) => impacts.includes(v.impact));
  const summary = bad.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
  }));
  assert.deepEqual(summary, [], `accessibility violations:\n${JSON.stringify(summary, null, 2)}`);
}

/** Saves a full-page screenshot as ARTIFACTS_DIR/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** before/after hooks for a file: one server and one browser shared by its tests. */
export function useServerAndBrowser({ before, after }, serverOptions = {}) {
  const env = {};
  before(async () => {
    env.server = await startServer(undefined, serverOptions);
    env.browser = await launchBrowser();
  }, { timeout: HOOK_TIMEOUT });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  }, { timeout: HOOK_TIMEOUT });
  return env;
}
