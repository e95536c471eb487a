// The first-run page: opened once when the extension is installed, so that a new user
// points it at a backend and sees it answer before opening Gmail.

import { checkBackend } from '../options/backend-check';
import { loadSettings, normalizeBackendUrl, saveSettings } from '../shared/settings';

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
    say('Enter an https:// address (http:// only for 127.0.0.1 or localhost).', false);
    return;
  }
  say(`Checking ${url}…`, true);
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
