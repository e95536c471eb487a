import { beforeEach, describe, expect, test } from 'vitest';
import { attachments, composeRoot, findComposes, mimeTypeFor, parseSize, recipients, subjectInput, threadId } from '../src/gmail/selectors';

const popup = (id: string, body = '') => `
  <div class="nH Hd" role="dialog" data-id="${id}">
    <div class="M9">
      <div class="aoD hl"><input type="hidden" name="to">
        <div class="afV" data-hovercard-id="jordan@example.com" data-name="Jordan Lee"><div class="akl">Jordan Lee</div></div>
      </div>
      <div class="aoD hl"><input type="hidden" name="cc">
        <div class="afV" data-hovercard-id="sam@example.com"><div class="akl">sam@example.com</div></div>
      </div>
      <input name="subjectbox" class="aoT" value="Hello ${id}">
      <div class="Ar Au"><div class="Am Al editable" g_editable="true" role="textbox" contenteditable="true">${body}</div></div>
      <div class="GM">
        <div class="dL"><input type="checkbox" name="attach" hidden><a class="dO"><div class="vI">Jane_Doe_Résumé.pdf</div><div class="vJ">(48K)</div></a></div>
      </div>
    </div>
  </div>`;

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('finding compose windows', () => {
  test('each popup is found with its own container', () => {
    document.body.innerHTML = popup('a') + popup('b');
    const found = findComposes(document);
    expect(found).toHaveLength(2);
    expect(found.map((c) => c.root.closest('[role=dialog]')?.getAttribute('data-id'))).toEqual(['a', 'b']);
    expect(found.map((c) => subjectInput(c.root)?.value)).toEqual(['Hello a', 'Hello b']);
  });

  test('an inline reply (no dialog) is found through its .M9 container', () => {
    document.body.innerHTML = `<div role="main"><h2 class="hP" data-legacy-thread-id="18c2b7f0a1d3e4f5">Re: x</h2>
      <div class="ip iq"><div class="M9"><input name="subjectbox" style="display:none"><div g_editable="true" contenteditable="true"></div></div></div></div>`;
    const [reply] = findComposes(document);
    expect(reply?.root.classList.contains('M9')).toBe(true);
    expect(threadId(reply!.root)).toBe('18c2b7f0a1d3e4f5');
  });

  test('markup without the known classes: the nearest ancestor holding a subject box', () => {
    document.body.innerHTML = `<section id="outer"><div id="form"><input name="subjectbox"><div><div contenteditable="true" role="textbox"></div></div></div></section>`;
    const [c] = findComposes(document);
    expect(c?.root.id).toBe('form');
  });

  test('a text box that is not a compose window is left alone', () => {
    document.body.innerHTML = `<div class="chat"><div contenteditable="true" role="textbox"></div></div>`;
    expect(findComposes(document)).toEqual([]);
  });

  test('an editable nested in the body is part of the body', () => {
    document.body.innerHTML = popup('a', '<div contenteditable="true" role="textbox">chip</div>');
    expect(findComposes(document)).toHaveLength(1);
  });

  test('a popup is not inside a thread', () => {
    document.body.innerHTML = `<div role="main"><h2 data-legacy-thread-id="abc"></h2></div>` + popup('a');
    const [c] = findComposes(document);
    expect(threadId(c!.root)).toBeNull();
    expect(composeRoot(c!.body)).toBe(c!.root);
  });
});

describe('recipients', () => {
  test('chips are read by row, with names, without English labels', () => {
    document.body.innerHTML = popup('a');
    const [c] = findComposes(document);
    expect(recipients(c!.root, c!.body)).toEqual({
      to: [{ email: 'jordan@example.com', name: 'Jordan Lee' }],
      cc: [{ email: 'sam@example.com', name: null }],
    });
  });

  test('the older span[email] markup, duplicates and people chips in the message', () => {
    document.body.innerHTML = `<div class="M9"><input name="subjectbox">
      <div class="row"><textarea name="to" hidden></textarea><span class="vN" email="ana@example.com" name="Ana Núñez">Ana Núñez</span>
      <span class="vN" email="ana@example.com">Ana</span>
      <div data-hovercard-id="12345">avatar</div></div>
      <div g_editable="true" contenteditable="true"><span data-hovercard-id="lee@example.com">Lee</span></div></div>`;
    const [c] = findComposes(document);
    expect(recipients(c!.root, c!.body)).toEqual({ to: [{ email: 'ana@example.com', name: 'Ana Núñez' }], cc: [] });
  });
});

describe('attachments', () => {
  test('chips give the file name, a size and a type', () => {
    document.body.innerHTML = popup('a');
    const [c] = findComposes(document);
    expect(attachments(c!.root)).toEqual([{ filename: 'Jane_Doe_Résumé.pdf', mime_type: 'application/pdf', size: 48 * 1024 }]);
  });

  test('without the chip class, the hidden attach input still finds the chip', () => {
    document.body.innerHTML = `<div class="M9"><input name="subjectbox"><div g_editable="true" contenteditable="true"></div>
      <div class="new-chip"><input name="attach" type="checkbox"><a title="CV 2025.docx">CV 2025.docx</a></div></div>`;
    const [c] = findComposes(document);
    expect(attachments(c!.root)).toEqual([
      { filename: 'CV 2025.docx', mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: null },
    ]);
  });

  test.each([
    ['(48K)', 49152],
    ['1.5 MB', 1572864],
    ['(1,2 Mo)', 1258291],
    ['512 B', 512],
    ['(12 Ko)', 12288],
    ['', null],
  ])('size %s', (text, size) => {
    expect(parseSize(text)).toBe(size);
  });

  test('types from extensions, unknown left null', () => {
    expect(mimeTypeFor('a.PDF')).toBe('application/pdf');
    expect(mimeTypeFor('notes')).toBeNull();
    expect(mimeTypeFor('archive.zip')).toBeNull();
  });
});

describe("today's Gmail markup", () => {
  const current = (id: string, thread = '') => `
    <div class="nH Hd" role="dialog"><div class="M9">
      <form class="bAs"><input type="hidden" name="composeid" value="${id}"><input type="hidden" name="lts" value="${thread}"><input type="hidden" name="rm" value="18c2b7f0a1d3e4f9"></form>
      <div class="aoD summary">À : <span email="jordan@example.com" name="Jordan Lee">Jordan Lee</span> <span email="sam@example.com">Sam</span></div>
      <div class="aoD hl">
        <div class="anm" name="to"><div role="listbox"><div role="option" data-hovercard-id="jordan@example.com" data-name="Jordan Lee"><div>Jordan Lee</div></div></div><input role="combobox"></div>
        <div class="anm" name="cc"><div role="listbox"><div role="option" data-hovercard-id="sam@example.com" data-name="Sam Park"><span data-hovercard-id="sam@example.com">Sam Park</span></div></div><input role="combobox"></div>
        <div class="anm" name="bcc"><div role="listbox"></div></div>
      </div>
      <input name="subjectbox">
      <div g_editable="true" role="textbox" contenteditable="true"></div>
    </div></div>`;

  test('recipients by their row: Cc stays Cc, and the collapsed summary adds no one', () => {
    document.body.innerHTML = current('c1');
    const [c] = findComposes(document);
    expect(recipients(c!.root, c!.body)).toEqual({
      to: [{ email: 'jordan@example.com', name: 'Jordan Lee' }],
      cc: [{ email: 'sam@example.com', name: 'Sam Park' }],
    });
  });

  test('the thread is the compose form own lts field; a new message has none', () => {
    document.body.innerHTML = current('c1', '18c2b7f0a1d3e4f5') + current('c2');
    const [reply, fresh] = findComposes(document);
    expect(threadId(reply!.root)).toBe('18c2b7f0a1d3e4f5');
    expect(threadId(fresh!.root)).toBeNull();
  });

  test('with the preview pane, the list rows are not the thread of an inline reply', () => {
    document.body.innerHTML = `<div role="main">
      <div role="row"><span data-legacy-thread-id="18c1111111111111">Team offsite</span></div>
      <div class="ip adB"><h2 class="hP" data-legacy-thread-id="18c2b7f0a1d3e4f5">Re: x</h2><div class="M9"><form><input type="hidden" name="composeid" value="r"></form><input name="subjectbox" type="hidden"><div g_editable="true" contenteditable="true"></div></div></div></div>`;
    const [c] = findComposes(document);
    expect(threadId(c!.root)).toBe('18c2b7f0a1d3e4f5');
  });

  test('a Settings signature editor or a vacation reply is not a compose window', () => {
    document.body.innerHTML = `<div role="main"><div g_editable="true" role="textbox" contenteditable="true">Jane</div>
      <input name="subject"><div g_editable="true" role="textbox" contenteditable="true"></div></div>` + current('c1');
    expect(findComposes(document)).toHaveLength(1);
  });

  test('a dialog with a text box but no compose form is not a compose window', () => {
    document.body.innerHTML = `<div role="dialog"><div contenteditable="true" role="textbox"></div></div>`;
    expect(findComposes(document)).toEqual([]);
  });

  test('hashed class names: found by structure, attachments by their hidden checkbox', () => {
    document.body.innerHTML = `<div class="Ht-a1"><div class="Ht-b2">
      <form class="Ht-c3"><input type="hidden" name="composeid" value="h"></form>
      <div class="Ht-d4" name="to"><div role="listbox"><div role="option" data-hovercard-id="ana@example.com" data-name="Ana">Ana</div></div></div>
      <input name="subjectbox"><div class="Ht-e5"><div g_editable="true" role="textbox" contenteditable="true"></div></div>
      <div class="Ht-f6"><div class="Ht-g7"><input type="checkbox" name="attach" hidden><a class="Ht-h8"><div class="Ht-i9">Jane_CV.pdf</div><div class="Ht-j0">(48 Ko)</div></a></div></div>
    </div></div>`;
    const [c] = findComposes(document);
    expect(recipients(c!.root, c!.body).to).toEqual([{ email: 'ana@example.com', name: 'Ana' }]);
    expect(attachments(c!.root)).toEqual([{ filename: 'Jane_CV.pdf', mime_type: 'application/pdf', size: 48 * 1024 }]);
  });
});
