// Shared by the end-to-end tests and the benchmark: the real backend (uvicorn on
// loopback, started and stopped here) and real headless Chromium with the unpacked
// extension, on a stand-in Gmail served at https://mail.google.com/mail/u/0/.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';

export type { Page };

export const EXTENSION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = resolve(EXTENSION_DIR, '..');
export const DIST_DIR = join(EXTENSION_DIR, 'dist');
export const GMAIL_URL = 'https://mail.google.com/mail/u/0/';
export const ARTIFACTS_DIR = process.env.INTRO_COACH_E2E_ARTIFACTS ?? join(EXTENSION_DIR, 'test-artifacts');

export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/** Chromium's path, or null to skip; on CI a missing Chromium fails the run instead. */
export function requireChromium(): string | null {
  const path = chromiumPath();
  if (!path && process.env.CI === 'true') {
    throw new Error('Chromium is required in CI (apt-get install chromium, or set CHROMIUM_PATH)');
  }
  return path;
}

export function pythonPath(): string {
  return process.env.INTRO_COACH_PYTHON ?? join(REPO_DIR, '.venv', 'bin', 'python');
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** The Python backend, run as `python -m intro_coach serve` on a loopback port. */
export class Backend {
  private process: ChildProcess | null = null;
  private dataDir: string | null = null;
  private log = '';

  /** `env` adds to the test run's environment. Grammar is on only when asked for here:
   * each backend given LanguageTool's jars starts its own LanguageTool (a JVM). */
  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    const python = pythonPath();
    if (!existsSync(python)) {
      throw new Error(`No Python for the backend at ${python}: run \`make install\` or set INTRO_COACH_PYTHON`);
    }
    this.dataDir ??= await mkdtemp(join(tmpdir(), 'intro-coach-e2e-'));
    this.log = '';
    const child = spawn(python, ['-m', 'intro_coach', 'serve', '--host', '127.0.0.1', '--port', String(this.port), '--log-level', 'warning'], {
      cwd: REPO_DIR,
      env: { ...withoutGrammar(process.env), INTRO_COACH_DATA_DIR: this.dataDir, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process = child;
    const keep = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`backend exited with ${child.exitCode}:\n${this.log}`);
      try {
        const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not up yet
      }
      await sleep(100);
    }
    await this.stop();
    throw new Error(`backend did not answer /healthz within ${timeoutMs} ms:\n${this.log}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    await stopChild(child);
  }

  async dispose(): Promise<void> {
    await this.stop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

function withoutGrammar(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { INTRO_COACH_LANGUAGETOOL_JARS: _jars, INTRO_COACH_LANGUAGETOOL_URL: _url, ...rest } = env;
  return rest;
}

/** LanguageTool's jars as `.ci/languagetool` assembles them, or null when they are not. */
export function languageToolJars(): string | null {
  const dir = process.env.INTRO_COACH_LANGUAGETOOL_JARS ?? join(REPO_DIR, 'deploy', 'languagetool', 'lib');
  return existsSync(join(dir, '.assembled')) ? dir : null;
}

/** The jars, or null to skip; on CI missing jars fail the run instead. */
export function requireLanguageToolJars(): string | null {
  const jars = languageToolJars();
  if (!jars && process.env.CI === 'true') throw new Error('LanguageTool jars are required in CI: run `bash .ci/languagetool`');
  return jars;
}

/** Waits until the backend's own LanguageTool answers (it starts in 20-60 s). */
export async function waitForGrammar(backendUrl: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${backendUrl}/v1/grammar`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ subject: 'Hi', body: { text: 'I has a question.' } }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as { checks?: { grammar?: string } };
      last = body.checks?.grammar ?? '';
      if (last === 'ok') return;
    } catch {
      // not up yet
    }
    await sleep(1000);
  }
  throw new Error(`LanguageTool did not answer within ${timeoutMs} ms (last: ${last})`);
}

/** SIGTERM, then SIGKILL if it lingers. */
async function stopChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((ok) => child.once('exit', ok));
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** `python -m tests.google_fake`: a fake Google (consent page, token, revoke, Gmail API)
 * and the backend configured against it, allowing only this extension id. */
export class GoogleFake {
  private constructor(
    private readonly process: ChildProcess,
    readonly google: string,
    readonly backend: string,
  ) {}

  static async start(extensionId: string, timeoutMs = 30_000): Promise<GoogleFake> {
    const python = pythonPath();
    if (!existsSync(python)) throw new Error(`No Python at ${python}: run \`make install\` or set INTRO_COACH_PYTHON`);
    const child = spawn(python, ['-m', 'tests.google_fake', '--extension-id', extensionId], {
      cwd: REPO_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    const info = await new Promise<{ google: string; backend: string }>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`fake Google did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Only complete lines: the JSON may arrive in pieces.
        const line = out.split('\n').slice(0, -1).find((l) => l.startsWith('{'));
        if (!line) return;
        clearTimeout(timer);
        ok(JSON.parse(line) as { google: string; backend: string });
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`fake Google exited with ${code}:\n${log}`));
      });
    });
    return new GoogleFake(child, info.google, info.backend);
  }

  /** What the fake recorded: revocations and live grants. */
  async state(): Promise<{ revoked: number; grants: number }> {
    const response = await fetch(`${this.google}/_fake/state`);
    return (await response.json()) as { revoked: number; grants: number };
  }

  async stop(): Promise<void> {
    await stopChild(this.process);
  }
}

export interface Browser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Unset when the backend needs the extension id first (see GoogleFake). */
  backendUrl?: string;
  /** Marks the page so the content script times its handlers (see src/content/guard.ts). */
  profile?: boolean;
  /** The browser's language (Chromium's --lang), for the extension's own words. */
  lang?: string;
  viewport?: { width: number; height: number };
}

/** Chromium with the unpacked extension from dist/, and Gmail's address served locally. */
export async function launch(options: LaunchOptions): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found; install the chromium package or set CHROMIUM_PATH');
  if (!existsSync(join(DIST_DIR, 'manifest.json'))) throw new Error('extension not built; run `npm run build`');
  const userDataDir = await mkdtemp(join(tmpdir(), 'intro-coach-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    ...(options.lang ? { locale: options.lang } : {}),
    args: [
      ...(options.lang ? [`--lang=${options.lang}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--disable-extensions-except=${DIST_DIR}`,
      `--load-extension=${DIST_DIR}`,
    ],
  });
  let fixture = await readFile(join(EXTENSION_DIR, 'e2e', 'fixtures', 'gmail.html'), 'utf8');
  if (options.profile) fixture = fixture.replace('<html lang="fr">', '<html lang="fr" data-intro-coach-profile>');
  await context.route('https://mail.google.com/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fixture }),
  );
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL(worker.url()).host;
  if (options.backendUrl) await setSettings(worker, { backendUrl: options.backendUrl });
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function setSettings(worker: Worker, settings: Record<string, unknown>): Promise<void> {
  await worker.evaluate((s) => chrome.storage.sync.set(s), settings);
}

export async function getSettings(worker: Worker): Promise<Record<string, unknown>> {
  return worker.evaluate(() => chrome.storage.sync.get(null));
}

/** Gmail, in one of the fixture's variants (?theme=dark, ?dir=rtl, ?hashed=1, ?preview=1,
 * ?settings=1, ?view=cm: see e2e/fixtures/gmail.html). */
export async function openGmail(browser: Browser, query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(GMAIL_URL + query);
  return page;
}

/** Clicks Compose, as a user would; returns the new popup's id in the fixture. */
export async function openCompose(page: Page): Promise<string> {
  const before = await page.locator('[role=dialog][data-compose]').count();
  await page.click('[gh=cm]');
  const dialog = page.locator('[role=dialog][data-compose]').nth(before);
  return (await dialog.getAttribute('data-compose')) ?? '';
}

export function compose(page: Page, id: string) {
  const root = page.locator(`[data-compose="${id}"]`);
  const panel = root.locator('intro-coach-panel .panel');
  const pill = root.locator('intro-coach-panel .pill');
  return {
    pill,
    /** With no room beside the window the panel waits behind its pill: open it. */
    async showPanel(): Promise<void> {
      if (!(await panel.isVisible()) && (await pill.isVisible())) await pill.click();
      await panel.waitFor({ timeout: 10_000 });
    },
    root,
    body: root.locator('[g_editable="true"]'),
    subject: root.locator('input[name="subjectbox"]'),
    fileInput: root.locator('input[type=file]'),
    panel,
    finding: (rule: string) => panel.locator(`.finding[data-rule="${rule}"]`),
    status: panel.locator('.status'),
    marks: root.locator('intro-coach-panel .mark'),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
