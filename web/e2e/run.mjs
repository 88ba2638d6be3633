// End-to-end test in a real browser (Debian chromium through playwright-core) against the local stack:
// sign up → confirm (code from the dev outbox) → log in → record ~40 s of playing → Play time close to
// 40 s → record speech → close to 0 → the dashboard shows both. Screenshots at 390 and 1280 px go to
// web/test-results/.
//
//   node e2e/run.mjs                 starts `go run ./cmd/devstack` on a free port with a temp DATA_DIR
//   E2E_BASE_URL=http://… node e2e/run.mjs   uses a stack that is already running
// Chromium flags: --use-fake-ui-for-media-stream --use-fake-device-for-media-stream
//   --use-file-for-fake-audio-capture=<abs wav> (44.1 kHz stereo; a missing file silently gives silence).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { makeFixtures } from './fixtures.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, '..');
const repo = resolve(webDir, '..');
const results = join(webDir, 'test-results');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PLAY_SECONDS = Number(process.env.E2E_PLAY_SECONDS ?? 40);
const SPEECH_SECONDS = Number(process.env.E2E_SPEECH_SECONDS ?? 30);

let passed = 0;
let failed = 0;
const children = [];

function log(...a) {
  console.log('e2e:', ...a);
}

async function step(name, fn) {
  const t0 = Date.now();
  try {
    const r = await fn();
    passed++;
    log(`ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return r;
  } catch (e) {
    failed++;
    log(`FAIL ${name}: ${e?.stack ?? e}`);
    throw e;
  }
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitFor(url, timeoutMs, what) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return r;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String(e.cause?.code ?? e.message);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready at ${url} after ${timeoutMs / 1000} s (${last})`);
}

function start(cmd, args, opts) {
  const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail = [];
  const keep = (d) => {
    tail.push(...String(d).split('\n'));
    if (tail.length > 60) tail.splice(0, tail.length - 60);
  };
  p.stdout.on('data', keep);
  p.stderr.on('data', keep);
  p.tail = tail;
  children.push(p);
  return p;
}

function stopAll() {
  for (const p of children) {
    try {
      process.kill(-p.pid, 'SIGTERM'); // the whole group: go run's child binary included
    } catch {
      /* already gone */
    }
  }
}

async function stack() {
  if (process.env.E2E_BASE_URL) return process.env.E2E_BASE_URL.replace(/\/$/, '');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'woodshed-e2e-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  const base = `http://127.0.0.1:${port}`;
  const p = start('go', ['run', './cmd/devstack'], { cwd: repo, env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, WEB_DIR: join(webDir, 'dist') } });
  try {
    await waitFor(`${base}/api/health`, 240_000, 'local stack');
  } catch (e) {
    console.error(p.tail.join('\n'));
    throw e;
  }
  return base;
}

/** The SPA origin: the stack itself when it serves web/dist, else `vite preview` proxying to it. */
async function appOrigin(base) {
  const r = await fetch(`${base}/`).catch(() => null);
  const html = r && r.ok ? await r.text() : '';
  if (html.includes('<div id="root">')) return base;
  const port = await freePort();
  start(join(webDir, 'node_modules/.bin/vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: webDir, env: { ...process.env, WOODSHED_STACK: base } });
  const origin = `http://127.0.0.1:${port}`;
  await waitFor(`${origin}/`, 30_000, 'vite preview');
  return origin;
}

async function outboxCode(base, email, waitMs = 30_000) {
  const end = Date.now() + waitMs;
  while (Date.now() < end) {
    const r = await fetch(`${base}/api/_dev/outbox`);
    if (r.ok) {
      const { messages } = await r.json();
      const m = messages.find((x) => x.to?.toLowerCase() === email.toLowerCase() && x.code);
      if (m) return m.code;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no confirmation code for ${email} in the outbox`);
}

function launch(wav) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

/** Logs what a failing run needs: refused requests, page errors, the analysis state. */
function watch(page) {
  page.on('pageerror', (e) => log('page error:', e.message));
  page.on('requestfailed', (r) => {
    // Chromium reports finished cross-origin PUTs whose body nobody reads as aborted: not a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') log('request failed:', r.method(), r.url(), r.failure()?.errorText);
  });
  page.on('response', async (r) => {
    if (r.status() >= 400) log('response', r.status(), r.request().method(), r.url(), (await r.text().catch(() => '')).slice(0, 300));
  });
}

async function dumpState(page, name) {
  await page.screenshot({ path: join(results, `failure-${name}.png`), fullPage: true }).catch(() => undefined);
  const info = await page
    .evaluate(() => ({ url: location.href, body: document.body.innerText.slice(0, 600) }))
    .catch((e) => ({ error: String(e) }));
  log('state:', JSON.stringify(info));
}

function seconds(text) {
  const parts = text.trim().split(':').map(Number);
  if (parts.some((x) => !Number.isFinite(x))) throw new Error(`not a clock reading: ${text}`);
  return parts.reduce((a, b) => a * 60 + b, 0);
}

async function record(page, howLong) {
  await page.getByRole('link', { name: 'Practice', exact: true }).click();
  await page.getByLabel('Instrument').selectOption('violin');
  const box = page.getByRole('checkbox', { name: 'Analyze my playing' });
  if (!(await box.isChecked())) {
    await box.check();
    const agree = page.getByRole('button', { name: 'I agree' });
    if (await agree.isVisible().catch(() => false)) await agree.click();
  }
  if (!(await box.isChecked())) throw new Error('Analyze my playing is not checked after consent');
  await page.getByRole('button', { name: 'Start practice' }).click();
  const timer = page.getByRole('timer');
  await timer.waitFor();
  await page.getByText('Recording for analysis').waitFor({ timeout: 10_000 });
  await page.waitForTimeout(howLong * 1000);
  const shown = seconds(await timer.innerText());
  if (Math.abs(shown - howLong) > 3) throw new Error(`timer shows ${shown} s after ${howLong} s`);
  await page.getByRole('button', { name: 'Stop practice' }).click();
  const stoppedAt = Date.now();
  const play = page.getByLabel('Play time');
  try {
    await play.waitFor({ timeout: 90_000 });
    log(`  Stop practice → Play time on screen: ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s`);
  } catch (e) {
    await dumpState(page, `record-${howLong}s`);
    throw e;
  }
  const text = (await play.innerText()).trim();
  if (!/^(\d+:[0-5]\d:[0-5]\d|\d{1,2}:[0-5]\d)$/.test(text)) throw new Error(`Play time "${text}" is not M:SS or H:MM:SS`);
  return seconds(text);
}

async function main() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: apt-get install -y chromium`);
  if (!existsSync(join(webDir, 'dist/index.html'))) throw new Error('web/dist missing: run make web-build');
  mkdirSync(results, { recursive: true });
  const wavs = await step('generate fake-microphone recordings', () => makeFixtures(join(here, '.fixtures')));
  const base = await step('local stack up', stack);
  const app = await step('SPA served', () => appOrigin(base));
  log(`stack ${base}, app ${app}`);

  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const email = `e2e-${id}@example.com`;
  const password = `Woodshed-${id}-A1`;
  const nickname = `e2e_${id}`.slice(0, 30);

  const b1 = await launch(wavs.playing);
  let state;
  try {
    const ctx = await b1.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await ctx.newPage();
    watch(page);
    await step('sign up', async () => {
      await page.goto(`${app}/?lang=en`);
      await page.getByRole('link', { name: 'Create account' }).click();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByLabel('Nickname').fill(nickname);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByLabel('Confirmation code').waitFor();
    });
    await step('confirm with the code from the outbox', async () => {
      let code;
      try {
        code = await outboxCode(base, email, 15_000);
      } catch {
        // The user's way out when no mail came: ask for a new code.
        log('  no code yet; pressing "Send a new code"');
        await page.getByRole('button', { name: 'Send a new code' }).click();
        code = await outboxCode(base, email);
      }
      await page.getByLabel('Confirmation code').fill(code);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
    });
    await step('log in', async () => {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
    });
    const play = await step(`record ${PLAY_SECONDS} s of playing → Play time close to ${PLAY_SECONDS} s`, async () => {
      const s = await record(page, PLAY_SECONDS);
      log(`  Play time ${s} s`);
      if (s < PLAY_SECONDS * 0.8 || s > PLAY_SECONDS + 4) throw new Error(`Play time ${s} s, expected about ${PLAY_SECONDS} s`);
      return s;
    });
    await page.screenshot({ path: join(results, 'practice-result-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(results, 'practice-result-1280.png'), fullPage: true });
    state = await ctx.storageState();
    log(`  playing session: ${play} s`);
  } finally {
    await b1.close();
  }

  const b2 = await launch(wavs.speech);
  try {
    const ctx = await b2.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', storageState: state });
    const page = await ctx.newPage();
    watch(page);
    await page.goto(`${app}/practice?lang=en`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await step(`record ${SPEECH_SECONDS} s of speech → Play time close to 0`, async () => {
      const s = await record(page, SPEECH_SECONDS);
      log(`  Play time ${s} s`);
      if (s > 5) throw new Error(`Play time ${s} s for speech, expected near 0`);
    });
    await step('dashboard shows both sessions', async () => {
      await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
      await page.getByRole('heading', { name: 'Calendar' }).waitFor();
      await page.getByRole('heading', { name: 'Statistics' }).waitFor();
      const sessions = (await page.getByLabel('Sessions', { exact: true }).innerText()).trim();
      if (sessions !== '2') throw new Error(`Sessions shows "${sessions}"`);
      const total = (await page.getByLabel('Total practice time').innerText()).trim();
      if (!total) throw new Error('Total practice time is empty');
      const streak = (await page.getByLabel('Current streak').innerText()).trim();
      if (!/^1\b/.test(streak)) throw new Error(`Current streak shows "${streak}"`);
      log(`  Total practice time ${total}, Sessions ${sessions}, Current streak ${streak}`);
      await page.getByRole('button', { name: 'Share' }).waitFor();
    });
    await page.screenshot({ path: join(results, 'dashboard-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(results, 'dashboard-1280.png'), fullPage: true });
    await step('log out', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
    });
  } finally {
    await b2.close();
  }
}

let code = 0;
try {
  await main();
} catch (e) {
  if (failed === 0) {
    failed++;
    log(`FAIL ${e?.stack ?? e}`);
  }
  code = 1;
} finally {
  stopAll();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(code);
