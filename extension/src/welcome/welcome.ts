// The first-run page: opened once when the extension is installed, so that a new user
// points it at a backend and sees it answer before opening Gmail.

import { checkBackend } from '../options/backend-check';
import { localizePage, t } from '../shared/i18n';
import { DEFAULT_BACKEND_URL, loadSettings, normalizeBackendUrl, saveSettings } from '../shared/settings';

localizePage();

const form = document.getElementById('welcome-form') as HTMLFormElement;
const input = document.getElementById('backend-url') as HTMLInputElement;
const status = document.getElementById('backend-status') as HTMLParagraphElement;
const next = document.getElementById('next-steps') as HTMLElement;

function say(text: string, ok: boolean): void {
  status.textContent = text;
  status.classList.toggle('error', !ok);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const url = normalizeBackendUrl(input.value);
  if (!url) {
    say(t('enterUrl', DEFAULT_BACKEND_URL), false);
    return;
  }
  say(t('checking', url), true);
  const result = await checkBackend(url);
  say(result.message, result.ok);
  if (!result.ok) return;
  await saveSettings({ backendUrl: url });
  input.value = url;
  next.hidden = false;
});

void loadSettings().then((s) => {
  input.value = s.backendUrl;
});
