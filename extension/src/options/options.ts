import { localizePage, t } from '../shared/i18n';
import { listedRules } from '../shared/rules';
import { allowedBackends, checkBackend, isAllowed } from './backend-check';
import { initGmailSection } from './gmail-section';
import { DEFAULT_BACKEND_URL, loadSettings, normalizeBackendUrl, saveSettings, type Settings } from '../shared/settings';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`options page is missing #${id}`);
  return el as T;
};

localizePage();

const urlInput = $<HTMLInputElement>('backend-url');
const status = $<HTMLParagraphElement>('backend-status');

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}

async function testConnection(url: string): Promise<boolean> {
  say(t('checking', url));
  const result = await checkBackend(url);
  say(result.message, !result.ok);
  return result.ok;
}

function renderRules(settings: Settings): void {
  const fieldset = $<HTMLFieldSetElement>('rules');
  fieldset.querySelectorAll('label').forEach((l) => l.remove());
  for (const rule of listedRules(settings.disabledRules)) {
    const label = document.createElement('label');
    label.className = 'check';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = rule.id;
    box.checked = !settings.disabledRules.includes(rule.id);
    box.addEventListener('change', () => void toggleRule(rule.id, box.checked));
    const code = document.createElement('code');
    code.textContent = rule.id;
    label.append(box, `${rule.label} `, code);
    fieldset.append(label);
  }
  $<HTMLInputElement>('grammar').checked = settings.grammar;
  $<HTMLInputElement>('grammar-picky').checked = settings.grammarPicky;
}

async function toggleRule(rule: string, on: boolean): Promise<void> {
  const { disabledRules } = await loadSettings();
  const next = on ? disabledRules.filter((r) => r !== rule) : [...new Set([...disabledRules, rule])];
  await saveSettings({ disabledRules: next });
}

function renderIgnored(settings: Settings): void {
  const list = $<HTMLUListElement>('ignored');
  list.replaceChildren(
    ...settings.ignored.map((item, i) => {
      const li = document.createElement('li');
      const text = document.createElement('span');
      text.textContent = t('ignoredItem', item.match, item.rule);
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.textContent = t('showAgain');
      restore.setAttribute('aria-label', t('showAgainLabel', item.match));
      restore.addEventListener('click', async () => {
        const current = await loadSettings();
        await saveSettings({ ignored: current.ignored.filter((_, j) => j !== i) });
      });
      li.append(text, restore);
      return li;
    }),
  );
  $('ignored-empty').hidden = settings.ignored.length > 0;
}

async function render(): Promise<void> {
  const settings = await loadSettings();
  if (document.activeElement !== urlInput) urlInput.value = settings.backendUrl;
  renderRules(settings);
  renderIgnored(settings);
}

$<HTMLFormElement>('backend-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const url = normalizeBackendUrl(urlInput.value);
  if (!url) {
    say(t('enterUrl', DEFAULT_BACKEND_URL), true);
    return;
  }
  if (!(await isAllowed(url))) {
    say(t('onlyReaches', allowedBackends().join(', ')), true);
    return;
  }
  await saveSettings({ backendUrl: url });
  urlInput.value = url;
  await testConnection(url);
});

$('backend-test').addEventListener('click', () => {
  const url = normalizeBackendUrl(urlInput.value);
  if (url) void testConnection(url);
  else say(t('enterUrlFirst'), true);
});

$<HTMLInputElement>('grammar').addEventListener('change', (e) => {
  void saveSettings({ grammar: (e.target as HTMLInputElement).checked });
});

$<HTMLInputElement>('grammar-picky').addEventListener('change', (e) => {
  void saveSettings({ grammarPicky: (e.target as HTMLInputElement).checked });
});

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area === 'sync') void render();
});

void render();
initGmailSection();
