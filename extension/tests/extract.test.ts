import { describe, expect, test } from 'vitest';
import { isNotWrittenHere } from '../src/gmail/selectors';
import { extractText, pointAt, rangeFor } from '../src/text/extract';

function editor(html: string): HTMLElement {
  document.body.innerHTML = `<div g_editable="true" contenteditable="true">${html}</div>`;
  return document.body.firstElementChild as HTMLElement;
}

const extract = (html: string) => extractText(editor(html), isNotWrittenHere);

describe('text of the body', () => {
  test("Gmail's lines: divs, empty lines as <div><br></div>, line breaks", () => {
    expect(extract('Hi Jordan,<div><br></div><div>I work in UX.</div><div>Thanks<br>Jane</div>').text).toBe(
      'Hi Jordan,\n\nI work in UX.\nThanks\nJane',
    );
  });

  test('a trailing <br> in a line does not add a blank line', () => {
    expect(extract('<div>one<br></div><div>two</div>').text).toBe('one\ntwo');
  });

  test('no-break spaces become spaces, keeping offsets', () => {
    const e = extract('a&nbsp;&nbsp;b');
    expect(e.text).toBe('a  b');
    expect(e.text.length).toBe(e.segments[0]!.node.data.length);
  });

  test('the quote, its attribution line and the signature are left out', () => {
    const e = extract(
      'Thanks!<div><br></div><span class="gmail_signature_prefix">-- </span><br><div class="gmail_signature" data-smartmail="gmail_signature">Jane, informational interview fan</div>' +
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, Jordan wrote:</div><blockquote class="gmail_quote">Send your resume</blockquote></div>',
    );
    expect(e.text).not.toMatch(/informational|resume|Jordan wrote/);
    expect(e.text).toMatch(/^Thanks!/);
  });

  test('a signature marked only by data-smartmail is left out too', () => {
    expect(extract('Hi<div data-smartmail="gmail_signature">Sig</div>').text).toBe('Hi');
  });

  test('hidden elements, styles and images carry no text', () => {
    expect(extract('a<style>.x{}</style><img alt="pic"><span hidden>no</span><span style="display:none">no</span>b').text).toBe('ab');
  });
});

describe('offsets back to the DOM', () => {
  test('emoji count as two UTF-16 units, as the backend counts them', () => {
    const e = extract('<div>Hi 👋 Jordan 🎉, an informational interview?</div>');
    const start = e.text.indexOf('an informational');
    expect(start).toBe('Hi 👋 Jordan 🎉, '.length);
    const range = rangeFor(e, start, start + 'an informational interview'.length);
    expect(range?.toString()).toBe('an informational interview');
  });

  test('accented names, composed or decomposed, map to the same characters', () => {
    const decomposed = 'Rene\u0301e'; // e + combining acute
    const e = extract(`<div>Zoë Ñúñez and ${decomposed} suggested I write</div>`);
    for (const word of ['Zoë Ñúñez', decomposed, 'suggested']) {
      const start = e.text.indexOf(word);
      expect(rangeFor(e, start, start + word.length)?.toString()).toBe(word);
    }
  });

  test('a phrase split across nested tags and lines', () => {
    const e = extract('<div>I would love an <b>infor<i>mational</i></b></div><div>interview with you</div>');
    expect(e.text).toBe('I would love an informational\ninterview with you');
    const start = e.text.indexOf('informational');
    const end = e.text.indexOf('interview') + 'interview'.length;
    const range = rangeFor(e, start, end)!;
    expect(range.startContainer.textContent).toBe('infor');
    expect(range.endContainer.textContent).toBe('interview with you');
    expect(range.toString()).toBe('informationalinterview'); // the newline is ours, not the DOM's
  });

  test('boundaries between nodes stay inside the phrase', () => {
    const e = extract('<b>pick</b> your <i>brain</i>');
    const range = rangeFor(e, 0, e.text.length)!;
    expect(range.startContainer.textContent).toBe('pick');
    expect(range.endContainer.textContent).toBe('brain');
    expect(pointAt(e, 4, true)).toMatchObject({ offset: 0 }); // start of " your "
    expect(pointAt(e, 4, false)).toMatchObject({ offset: 4 }); // end of "pick"
  });

  test('every substring maps back to the same text', () => {
    const e = extract('<div>Hé 👩🏽‍💻 <b>bold <i>deep</i></b> tail</div>');
    for (let start = 0; start < e.text.length; start++) {
      for (let end = start + 1; end <= e.text.length; end++) {
        expect(rangeFor(e, start, end)?.toString() ?? '').toBe(e.text.slice(start, end));
      }
    }
  });

  test('empty or out-of-range spans give no range', () => {
    const e = extract('<div>abc</div>');
    expect(rangeFor(e, 1, 1)).toBeNull();
    expect(rangeFor(e, 2, 99)).toBeNull();
    expect(rangeFor(extract(''), 0, 1)).toBeNull();
  });
});
