// The opt-in Gmail connection as a user meets it: the options page's Connect button, the
// sign-in window chrome.identity.launchWebAuthFlow opens (real headless Chromium), a fake
// Google's consent page, and the real backend configured against that fake.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ARTIFACTS_DIR, GoogleFake, compose, launch, openCompose, openGmail, requireChromium, setSettings, type Browser } from './harness';

const CHROMIUM = requireChromium();

const WAIT = { timeout: 10_000 };
const SCREENSHOTS = join(ARTIFACTS_DIR, 'e2e');

describe.skipIf(!CHROMIUM)('Connect Gmail from the options page', () => {
  const pageErrors: string[] = [];
  let google: GoogleFake;
  let browser: Browser;
  let options: Page;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The backend allows only this extension's id, which Chromium derives from its path.
    browser = await launch({});
    google = await GoogleFake.start(browser.extensionId);
    await setSettings(browser.worker, { backendUrl: google.backend });
    options = await browser.context.newPage();
    options.on('pageerror', (error) => pageErrors.push(error.message));
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await google?.stop();
  });

  const connectButton = () => options.locator('#gmail-connect');
  const message = () => options.locator('#gmail-message');

  /** Clicks Connect and returns the sign-in window, on the fake consent page. */
  async function openConsent(): Promise<Page> {
    await expect.poll(() => connectButton().isEnabled(), WAIT).toBe(true);
    const popup = browser.context.waitForEvent('page', WAIT);
    await connectButton().click();
    const consent = await popup;
    await consent.locator('#allow').waitFor(WAIT);
    expect(consent.url()).toContain(`${google.google}/o/oauth2/v2/auth`);
    return consent;
  }

  async function storedSession(): Promise<unknown> {
    return browser.worker.evaluate(async () => (await chrome.storage.local.get('gmailSession')).gmailSession);
  }

  test('Connect, Allow: the options page shows the account, its scopes and features', async () => {
    await options.locator('#gmail-state').filter({ hasText: 'Not connected' }).waitFor(WAIT);
    const consent = await openConsent();
    expect(await consent.locator('#account').textContent()).toBe('jane.doe@example.com');
    await consent.locator('#allow').click();
    await options.locator('#gmail-state').filter({ hasText: /^Connected$/ }).waitFor(WAIT);
    expect(await options.locator('#gmail-email').textContent()).toBe('jane.doe@example.com');
    expect(await options.locator('#gmail-scopes').textContent()).toContain('gmail.readonly');
    expect(await options.locator('#gmail-features').textContent()).toMatch(/thread.*referrer/);
    expect(await connectButton().isVisible()).toBe(false);
    expect(await options.locator('#gmail-disconnect').isVisible()).toBe(true);
    expect(await storedSession()).toMatchObject({ backendUrl: google.backend, email: 'jane.doe@example.com' });
    await options.locator('#gmail-connection').screenshot({ path: join(SCREENSHOTS, 'gmail-connected.png') });
  });

  test('a compose window to Jordan gets the referrer from the mailbox; "no one referred me" sets it aside, "Find automatically" brings it back', async () => {
    const page = await openGmail(browser);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const id = await openCompose(page);
    const c = compose(page, id);
    await c.root.locator('[data-fx=to-input]').fill('Jordan Lee <jordan@example.com>');
    await c.root.locator('[data-fx=to-input]').press('Enter');
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Hi Jordan, could I get your take on UX research in Portland? Thanks!');
    // Only Gmail knows Sally introduced them: the draft never names her.
    const suggestion = c.panel.locator('button[data-subject="Sally Smith suggested I contact you"]');
    for (let attempt = 0; attempt < 4 && !(await suggestion.isVisible()); attempt++) {
      // The first answer may beat the mailbox (800 ms deadline); the next one uses it.
      await suggestion.waitFor({ timeout: 2500 }).catch(() => page.keyboard.type(' '));
    }
    await suggestion.waitFor(WAIT);
    await c.finding('referrer-not-in-subject').waitFor(WAIT);
    const source = c.panel.locator('.referrer-source');
    expect(await source.textContent()).toBe('Found in your Gmail');
    // The user says Sally did not refer them: her card and subjects go, and stay gone.
    await c.panel.getByRole('button', { name: "No one referred me (don't use this name)", exact: true }).click();
    await expect.poll(() => c.finding('referrer-not-in-subject').count(), WAIT).toBe(0);
    await expect.poll(() => suggestion.count(), WAIT).toBe(0);
    expect(await source.textContent()).toBe('You said no one referred you.');
    expect(await c.panel.getByText(/introduced you, but/).count()).toBe(0);
    // Found again from the mailbox on the way back.
    await c.panel.locator('.referrer-auto').click();
    await suggestion.waitFor(WAIT);
    await c.finding('referrer-not-in-subject').waitFor(WAIT);
    expect(await source.textContent()).toBe('Found in your Gmail');
    await page.close();
  });

  test('Disconnect revokes the grant at Google and forgets the session', async () => {
    const before = await google.state();
    await options.locator('#gmail-disconnect').click();
    await options.locator('#gmail-state').filter({ hasText: 'Not connected' }).waitFor(WAIT);
    expect(await message().textContent()).toContain('Google access revoked');
    expect((await google.state()).revoked).toBeGreaterThan(before.revoked);
    expect(await storedSession()).toBeUndefined();
    expect(await connectButton().isEnabled()).toBe(true);
  });

  test('Deny: the consent-denied message, and Connect again', async () => {
    const consent = await openConsent();
    await consent.locator('#deny').click();
    await message().filter({ hasText: 'consent denied' }).waitFor(WAIT);
    expect(await options.locator('#gmail-state').textContent()).toBe('Not connected');
    expect(await connectButton().isEnabled()).toBe(true);
    expect(await connectButton().textContent()).toBe('Connect Gmail');
    await options.locator('#gmail-connection').screenshot({ path: join(SCREENSHOTS, 'gmail-denied.png') });
  });

  test('closing the sign-in window: cancelled', async () => {
    const consent = await openConsent();
    await consent.close();
    await message().filter({ hasText: 'cancelled' }).waitFor(WAIT);
    expect(await connectButton().isEnabled()).toBe(true);
  });

  test('a session the backend no longer accepts: the panel and the options page say Reconnect', async () => {
    await (await openConsent()).locator('#allow').click();
    await options.locator('#gmail-state').filter({ hasText: /^Connected$/ }).waitFor(WAIT);
    // Sign the session out behind the extension's back, as an expiry would.
    const { token } = (await storedSession()) as { token: string };
    const response = await fetch(`${google.backend}/v1/session`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(204);
    const page = await openGmail(browser);
    const id = await openCompose(page);
    const c = compose(page, id);
    await c.body.click({ position: { x: 4, y: 4 } });
    await page.keyboard.type('Hi Jordan, could we talk for 20 minutes? Thanks!');
    await c.panel.locator('.status', { hasText: 'Reconnect Gmail' }).waitFor(WAIT);
    await c.panel.locator('.finding, .empty').first().waitFor(WAIT); // the rules still answered
    await options.locator('#gmail-state').filter({ hasText: 'Reconnect required' }).waitFor(WAIT);
    expect(await connectButton().textContent()).toBe('Reconnect Gmail');
    expect(await storedSession()).toBeUndefined();
    await page.close();
  });

  test('nothing was thrown into the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
