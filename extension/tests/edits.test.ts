import { afterEach, describe, expect, test, vi } from 'vitest';
import { holds, replaceInBody } from '../src/content/edits';
import { extractText, rangeFor } from '../src/text/extract';

afterEach(() => {
  vi.restoreAllMocks();
});

function body(html: string): HTMLElement {
  document.body.innerHTML = `<div contenteditable="true">${html}</div>`;
  return document.body.firstElementChild as HTMLElement;
}

describe('replacing a phrase in the body', () => {
  test('a match over a block boundary or a <br> still holds; a changed one does not', () => {
    for (const html of ['<div>an informational</div><div>interview</div>', 'an informational<br>interview']) {
      const el = body(html);
      const extracted = extractText(el, () => false);
      expect(extracted.text).toBe('an informational\ninterview');
      const range = rangeFor(extracted, 0, extracted.text.length)!;
      expect(holds(range, 'an informational\ninterview')).toBe(true);
      expect(holds(range, 'an informational interview')).toBe(false);
    }
  });

  test('a selection the page refused is left alone, without throwing', () => {
    const el = body('<div>an informational interview</div>');
    const range = rangeFor(extractText(el, () => false), 0, 26)!;
    vi.spyOn(Selection.prototype, 'addRange').mockImplementation(() => undefined);
    expect(replaceInBody(el, range, 'an informational interview', 'a chat')).toBe(false);
    expect(el.textContent).toBe('an informational interview');
  });
});
