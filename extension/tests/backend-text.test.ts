/// <reference types="node" />
// The backend's advice in French: every rule and check of the rule pack has its French
// words with the same figures, and the panel shows them in a French browser; anything we
// have no words for stays the backend's English.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { parse } from 'yaml';
import en from '../static/_locales/en/messages.json';
import fr from '../static/_locales/fr/messages.json';
import {
  FIGURES,
  GRAMMAR_EXPLANATION,
  NOTES,
  SUBJECT_REASONS,
  VARIANTS,
  findingKey,
  isBackendTextKey,
  localizeFinding,
  localizeNote,
  localizeSuggestion,
  matchTemplate,
  templateParts,
} from '../src/shared/backend-text';
import { Panel, type PanelActions } from '../src/content/panel';
import { RULE_IDS } from '../src/shared/rules';
import { chromeIn } from './chrome-i18n';
import { finding, response } from './fixtures';

const REPO = join(__dirname, '..', '..');
const BACKEND = join(REPO, 'backend', 'intro_coach');
const FR = fr as Record<string, { message: string }>;

interface PackText {
  message: string;
  explanation?: string;
  rule?: string;
  inherits?: string;
}
const pack = parse(readFileSync(join(BACKEND, 'rules', 'pack.yaml'), 'utf8')) as {
  rules: (PackText & { id: string })[];
  checks: Record<string, PackText>;
};

/** The rule a pack check reports under: its `rule`, its parent's, or its own id. */
const ruleOfCheck = (id: string): string => pack.checks[id]!.rule ?? pack.checks[id]!.inherits ?? id;
/** A check's explanation, or the one of the rule or check it inherits from. */
function explanationOf(id: string): string {
  const check = pack.checks[id]!;
  if (check.explanation !== undefined || !check.inherits) return check.explanation ?? '';
  return (pack.checks[check.inherits] ?? pack.rules.find((r) => r.id === check.inherits))!.explanation!;
}

/** The stable rule ids of DESIGN.md, when the shared design notes sit beside the repo. */
function designRuleIds(): string[] {
  const path = join(REPO, '..', 'shared', 'DESIGN.md');
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const section = text.slice(text.indexOf('### Rule ids'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('|')));
  return [...table.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
}

/** Every Python file of the backend, with implicit string concatenation joined and each
 * f-string figure written `{}`, as the extension's templates are compared with it. */
function backendSource(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.py')) files.push(join(dir, entry.name));
    }
  };
  walk(BACKEND);
  return files.map((f) => normalize(readFileSync(f, 'utf8').replace(/"\s*\n\s*f?"/g, ''))).join('\n');
}
const normalize = (s: string) => s.replace(/\{[^{}\n]*\}/g, '{}');

/** `$n` slots of a message, sorted. */
const slots = (m: string) => [...new Set(m.match(/\$[1-9]/g) ?? [])].sort();
/** The slots the backend's `{figure}`s take in the order the extension passes them. */
function expectedSlots(english: string, figures: readonly string[]): string[] {
  const names = [...english.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
  for (const n of names) expect(figures, `figure {${n}} in "${english}"`).toContain(n);
  return [...new Set(names.map((n) => `$${figures.indexOf(n) + 1}`))].sort();
}

describe('French words for every rule of the pack', () => {
  const ruleIds = [...new Set([...pack.rules.map((r) => r.id), ...Object.keys(pack.checks).map(ruleOfCheck), ...RULE_IDS, ...designRuleIds()])];

  test('every rule id, wherever it is listed, has a French message and explanation', () => {
    expect(ruleIds.length).toBeGreaterThanOrEqual(11);
    for (const id of ruleIds) {
      expect(FR[findingKey(id)]?.message, `${findingKey(id)} (${id})`).toBeTruthy();
      expect(FR[`${findingKey(id)}_explanation`]?.message, `${findingKey(id)}_explanation (${id})`).toBeTruthy();
    }
  });

  test('the rule lists agree: pack.yaml, the options page and DESIGN.md name the same rules', () => {
    const fromPack = [...new Set([...pack.rules.map((r) => r.id), ...Object.keys(pack.checks).map(ruleOfCheck)])].sort();
    expect([...RULE_IDS].sort()).toEqual(fromPack);
    const design = designRuleIds();
    if (design.length) expect(design.sort()).toEqual(fromPack);
  });

  test('phrase rules: French with no figures, as the English has none', () => {
    for (const rule of pack.rules) {
      expect(slots(FR[findingKey(rule.id)]!.message), rule.id).toEqual(expectedSlots(rule.message, []));
      expect(slots(FR[`${findingKey(rule.id)}_explanation`]!.message), rule.id).toEqual(expectedSlots(rule.explanation ?? '', []));
    }
  });

  test('checks: each wording (its own or its parent rule) in French, with the same figures in the same slots', () => {
    for (const id of Object.keys(pack.checks)) {
      const figures = FIGURES[id] ?? [];
      const message = FR[findingKey(id)]?.message;
      expect(message, `${findingKey(id)}`).toBeTruthy();
      expect(slots(message!), `${id} message`).toEqual(expectedSlots(pack.checks[id]!.message, figures));
      const inherits = pack.checks[id]!.inherits;
      const explanationKey = `${findingKey(inherits ?? id)}_explanation`;
      expect(slots(FR[explanationKey]!.message), `${id} explanation`).toEqual(expectedSlots(explanationOf(id), figures));
    }
  });

  test('a check worded apart from its rule is one the extension tells apart', () => {
    const variants = Object.keys(pack.checks).filter((id) => ruleOfCheck(id) !== id);
    expect(Object.keys(VARIANTS).sort()).toEqual(variants.sort());
    for (const id of variants) {
      expect(VARIANTS[id]!.rule, id).toBe(ruleOfCheck(id));
      expect(VARIANTS[id]!.inherits, id).toBe(pack.checks[id]!.inherits);
    }
    for (const id of Object.keys(FIGURES)) expect(Object.keys(pack.checks), id).toContain(id);
  });

  test('English keeps the backend as its only source: en/messages.json has none of these words', () => {
    const ours = Object.keys(fr).filter(isBackendTextKey);
    expect(ours.length).toBeGreaterThan(40);
    expect(Object.keys(en).filter(isBackendTextKey)).toEqual([]);
  });
});

describe('French for the subject reasons and the status notes the backend writes', () => {
  const source = backendSource();

  test('every reason of subjects.py and referrer.py, and no other', () => {
    const reasons = ['subjects.py', 'referrer.py'].flatMap((file) => {
      const text = readFileSync(join(BACKEND, file), 'utf8');
      const block = text.slice(text.search(/_(?:REFERRER_)?TEMPLATES = \(/));
      return [...block.slice(0, block.indexOf('\n)\n')).matchAll(/\(\s*"[^"]*",\s*"([^"]*)",?\s*\)/g)].map((m) => m[1]!);
    });
    expect(reasons).toHaveLength(8);
    expect(Object.keys(SUBJECT_REASONS).sort()).toEqual(reasons.sort());
    for (const key of Object.values(SUBJECT_REASONS)) expect(FR[key]?.message, key).toBeTruthy();
  });

  test("each note is worded as the backend words it today, and has French with a slot per figure", () => {
    for (const note of NOTES) {
      expect(source, note.template).toContain(normalize(note.template));
      const names = templateParts(note.template).names;
      expect(slots(FR[note.key]?.message ?? ''), note.key).toEqual(names.map((_, i) => `$${i + 1}`));
      for (const [figure, choices] of Object.entries(note.phrases ?? {})) {
        expect(names).toContain(figure);
        for (const [phrase, key] of Object.entries(choices)) {
          expect(source, phrase).toContain(`"${phrase}"`);
          expect(FR[key]?.message, key).toBeTruthy();
        }
      }
    }
  });

  test("LanguageTool's findings: the backend's explanation of them is worded as it is today, with its French", () => {
    expect(source).toContain(normalize(GRAMMAR_EXPLANATION.template));
    expect(slots(FR[GRAMMAR_EXPLANATION.key]?.message ?? '')).toEqual(['$1', '$2']);
  });

  test('every Gmail note the backend can write is one of them', () => {
    const written = [...source.matchAll(/f?"(gmail: [^"]*)"/g)].map((m) => m[1]!);
    expect(written.length).toBeGreaterThanOrEqual(10);
    const known = NOTES.map((n) => normalize(n.template));
    for (const note of written) expect(known, note).toContain(note);
  });
});

describe('the panel in the browser language', () => {
  afterEach(() => vi.unstubAllGlobals());

  const referred = { ...response([]), referrer: { name: 'Sally Smith', source: 'body' as const }, stats: { words: 142, sentences: 8, questions: 1, reading_grade: 8 } };
  const missingSubject = finding({ id: 'm', rule: 'missing-subject', severity: 'error', field: 'subject', start: 0, end: 0, match: '', message: 'Add a subject; emails without one rarely get a reply.', explanation: 'In Boomerang’s study…' });
  const referrer = finding({ id: 'r', rule: 'referrer-not-in-subject', field: 'subject', match: 'Hello', message: 'Put Sally Smith in the subject; a shared contact is why they will open it.', explanation: 'A name the reader knows…' });
  const tooLong = finding({ id: 'l', rule: 'too-long', severity: 'suggestion', match: 'and', message: '142 words; emails of 50–125 words get the most replies.' });
  const anHour = finding({ id: 'h', rule: 'no-time-frame', match: 'an hour', message: 'Asking for "an hour" is a lot from a stranger; ask for 15–30 minutes.' });
  const noTime = finding({ id: 't', rule: 'no-time-frame', severity: 'suggestion', match: '', start: 0, end: 0, message: 'Ask for a short, specific amount of time, such as 20 minutes.' });
  const attached = finding({ id: 'a', rule: 'resume-attached', field: 'attachments', match: 'Jane_Doe_Resume.pdf', attachment: 'Jane_Doe_Resume.pdf', start: 0, end: 0, message: "Jane_Doe_Resume.pdf looks like a resume; don't attach one they didn't ask for." });
  const grammar = finding({ id: 'g', rule: 'grammar:MORFOLOGIK_RULE_EN_US', match: 'teh', message: 'Possible spelling mistake found.', explanation: 'Found by LanguageTool.' });

  describe('in French', () => {
    beforeEach(() => vi.stubGlobal('chrome', chromeIn('fr')));

    test('a finding without figures: its French message and explanation', () => {
      const f = localizeFinding(missingSubject, referred);
      expect(f.message).toBe(fr.finding_missing_subject.message);
      expect(f.explanation).toBe(fr.finding_missing_subject_explanation.message);
      expect(f.message).toMatch(/^Ajoutez un objet/);
      // Everything else is the backend's: id, places, replacements, link.
      expect({ ...f, message: '', explanation: '' }).toEqual({ ...missingSubject, message: '', explanation: '' });
    });

    test('figures from the response and the finding: referrer, word count, the words asked for, the file', () => {
      const r = localizeFinding(referrer, referred);
      expect(r.message).toBe("Mentionnez Sally Smith dans l'objet\u00a0: c'est ce contact commun qui donnera envie de vous lire.");
      expect(r.explanation).toContain('«\u00a0Sally Smith suggested I contact you\u00a0»');
      expect(localizeFinding(tooLong, referred).message).toMatch(/^142 mots\u00a0: /);
      expect(localizeFinding(anHour, referred).message).toBe('Demander «\u00a0an hour\u00a0» à un inconnu, c\'est beaucoup\u00a0: demandez plutôt 15 à 30 minutes.');
      expect(localizeFinding(anHour, referred).explanation).toBe(fr.finding_long_time_frame_explanation.message);
      expect(localizeFinding(noTime, referred).message).toBe(fr.finding_no_time_frame.message);
      const a = localizeFinding(attached, referred);
      expect(a.message).toMatch(/^Jane_Doe_Resume\.pdf ressemble à un CV/);
      // The attachment is worded apart but explained as the resume rule.
      expect(a.explanation).toBe(fr.finding_resume_attached_explanation.message);
    });

    test('the English stays where a figure is unknown, for LanguageTool and for a rule we have no words for', () => {
      expect(localizeFinding(referrer, { referrer: null, stats: referred.stats })).toEqual(referrer);
      expect(localizeFinding(tooLong, null)).toEqual(tooLong);
      expect(localizeFinding(grammar, referred)).toEqual(grammar);
      const fresh = finding({ rule: 'a-rule-added-tomorrow', message: 'New advice.' });
      expect(localizeFinding(fresh, referred)).toEqual(fresh);
    });

    test('subject reasons in French, the subject itself as written', () => {
      const s = localizeSuggestion({ subject: 'Sally Smith suggested I contact you', referrer: 'Sally Smith', reason: 'Names the referrer first, as career offices advise.' });
      expect(s).toEqual({ subject: 'Sally Smith suggested I contact you', referrer: 'Sally Smith', reason: fr.subjectReason_referrerSuggested.message });
      const other = { subject: 'Hello', referrer: null, reason: 'A reason added tomorrow.' };
      expect(localizeSuggestion(other)).toEqual(other);
      expect(localizeSuggestion({ ...other, reason: 'constructor' })).toEqual({ ...other, reason: 'constructor' });
    });

    test('known notes in French with their figures; others as the backend wrote them', () => {
      expect(localizeNote('gmail: failed')).toBe('Gmail\u00a0: la consultation a échoué.');
      expect(localizeNote('gmail: failed; rules only')).toBe('Gmail\u00a0: la consultation a échoué\u00a0; seules les règles ont été appliquées.');
      expect(localizeNote('resume-attached: not flagged, the quoted reply shows they asked for it')).toBe("CV non signalé\u00a0: le message cité montre qu'on vous l'a demandé.");
      expect(localizeNote('resume-attached: not flagged, the Gmail thread shows they asked for it')).toContain('la conversation Gmail');
      expect(localizeNote('job-ask: 130 findings, the first 100 listed')).toBe('job-ask\u00a0: 130 remarques, seules les 100 premières sont affichées.');
      expect(localizeNote('grammar:MORFOLOGIK_RULE_EN_US: 130 findings, the first 100 listed')).toMatch(/^grammar:MORFOLOGIK_RULE_EN_US\u00a0: 130 remarques/);
      expect(localizeNote('gmail: no introduction among the 500 most recent emails that mention Jordan Lee')).toBe(
        'Gmail\u00a0: aucune mise en relation parmi les 500 e-mails les plus récents qui mentionnent Jordan Lee.',
      );
      expect(localizeNote('gmail: several introductions found; used the most recent, from Sally (also: Ann, Bo)')).toBe(
        'Gmail\u00a0: plusieurs mises en relation trouvées\u00a0; la plus récente a été retenue, celle de Sally (autres\u00a0: Ann, Bo).',
      );
      expect(localizeNote('time budget reached: these rules were not run on this draft, shorten it to check them: too-long, no-thanks')).toMatch(/: too-long, no-thanks$/);
      // Not quite a known note: as written.
      for (const note of ['resume-attached: not flagged, the moon shows they asked for it', 'job-ask: many findings, the first 100 listed', 'gmail: failed!', 'grammar: LanguageTool is starting']) {
        expect(localizeNote(note)).toBe(note);
      }
    });

    test("LanguageTool's message stays English; the backend's explanation of it is French", () => {
      const spelling = { ...grammar, explanation: 'Found by LanguageTool (rule MORFOLOGIK_RULE_EN_US, misspelling).' };
      expect(localizeFinding(spelling, referred)).toEqual({ ...spelling, explanation: 'Relevé par LanguageTool (règle MORFOLOGIK_RULE_EN_US, catégorie «\u00a0misspelling\u00a0»).' });
    });

    test("the panel says it is French, and marks the backend's English in it for screen readers", () => {
      const actions = Object.fromEntries(['applySubject', 'applyReplacement', 'ignore', 'disableRule', 'spotlight', 'resized', 'escape'].map((k) => [k, vi.fn()])) as unknown as PanelActions;
      const panel = new Panel(document, actions);
      const spelling = { ...grammar, explanation: 'Found by LanguageTool (rule MORFOLOGIK_RULE_EN_US, misspelling).' };
      const fresh = finding({ id: 'n', rule: 'a-rule-added-tomorrow', message: 'New advice.', explanation: 'Why.' });
      panel.render({
        findings: [missingSubject, spelling, fresh].map((f) => localizeFinding(f, referred)),
        suggestions: [localizeSuggestion({ subject: 'Question about UX research', referrer: null, reason: 'Says what you want to talk about, in a few words.' })],
        status: [],
        words: 40,
        subjectEditable: true,
        pending: false,
      });
      expect(panel.element.lang).toBe('fr');
      const langs = (rule: string) => {
        const card = panel.element.querySelector(`.finding[data-rule="${rule}"]`)!;
        return [card.querySelector('.message span[lang], .message span:not(.sr-only)')!.getAttribute('lang'), card.querySelector('details p')!.getAttribute('lang')];
      };
      expect(langs('missing-subject')).toEqual([null, null]);
      expect(langs('grammar:MORFOLOGIK_RULE_EN_US')).toEqual(['en', null]);
      expect(langs('a-rule-added-tomorrow')).toEqual(['en', 'en']);
      const subject = panel.element.querySelector('.suggestions button.primary')!;
      expect(subject.querySelector('span')!.getAttribute('lang')).toBe('en');
      expect(panel.element.querySelector('.suggestions .reason')!.getAttribute('lang')).toBeNull();
    });

    test('the panel shows the French card: message, explanation, and the French in its button labels', () => {
      const actions = Object.fromEntries(['applySubject', 'applyReplacement', 'ignore', 'disableRule', 'spotlight', 'resized', 'escape'].map((k) => [k, vi.fn()])) as unknown as PanelActions;
      const panel = new Panel(document, actions);
      panel.render({ findings: [referrer, missingSubject].map((f) => localizeFinding(f, referred)), suggestions: [], status: [], words: 142, subjectEditable: true, pending: false });
      const cards = [...panel.element.querySelectorAll('.finding')];
      expect(cards.map((c) => c.querySelector('.message')!.textContent)).toEqual([
        `${fr.errorOne.message}: ${fr.finding_missing_subject.message}`,
        `${fr.warningOne.message}: ${fr.finding_referrer_not_in_subject.message.replace('$1', 'Sally Smith')}`,
      ]);
      expect(cards[0]!.querySelector('details p')!.textContent).toBe(fr.finding_missing_subject_explanation.message);
      expect(cards[0]!.querySelector('button[data-key$=":disable"]')!.getAttribute('aria-label')).toContain('Ajoutez un objet');
    });
  });

  test('in English (no words of ours), in a language we do not have, and without chrome.i18n: the backend’s English', () => {
    for (const lang of ['en', 'de'] as const) {
      vi.stubGlobal('chrome', chromeIn(lang));
      for (const f of [missingSubject, referrer, tooLong, anHour, attached]) expect(localizeFinding(f, referred), lang).toEqual(f);
      expect(localizeNote('gmail: failed')).toBe('gmail: failed');
      const s = { subject: 'Referred by Sally', referrer: 'Sally', reason: 'Short, and the referrer is the first thing they read.' };
      expect(localizeSuggestion(s)).toEqual(s);
      vi.unstubAllGlobals();
    }
    expect(localizeFinding(missingSubject, referred)).toEqual(missingSubject);
    expect(localizeNote('gmail: failed')).toBe('gmail: failed');
    // An English panel marks nothing: all of it is English.
    const actions = Object.fromEntries(['applySubject', 'applyReplacement', 'ignore', 'disableRule', 'spotlight', 'resized', 'escape'].map((k) => [k, vi.fn()])) as unknown as PanelActions;
    const panel = new Panel(document, actions);
    panel.render({ findings: [missingSubject, grammar], suggestions: [{ subject: 'Hello', referrer: null, reason: 'Why.' }], status: [], words: 40, subjectEditable: true, pending: false });
    expect(panel.element.lang).toBe('en');
    expect(panel.element.querySelectorAll('[lang]:not(section)')).toHaveLength(0);
  });

  test('a note is matched by plain search, each separator at its first place', () => {
    const template = 'gmail: several introductions found; used the most recent, from {chosen} (also: {others})';
    const long = `gmail: several introductions found; used the most recent, from Sally ${'(also: '.repeat(20_000)}x)`;
    expect(matchTemplate(template, long)).toEqual({ chosen: 'Sally', others: `${'(also: '.repeat(19_999)}x` });
    expect(matchTemplate(template, 'gmail: several introductions found; used the most recent, from  (also: )')).toBeNull();
  });
});
