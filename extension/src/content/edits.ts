// Changes the user asks for (a subject suggestion, a replacement phrase) go through the
// browser's editing commands, so that Gmail sees ordinary input events and saves the draft,
// and Ctrl+Z undoes them like typing.

/** Puts `value` in the subject box; Gmail saves it with the draft. */
export function setSubject(input: HTMLInputElement, value: string): void {
  input.focus();
  input.select();
  const doc = input.ownerDocument;
  let inserted = false;
  try {
    inserted = doc.execCommand('insertText', false, value);
  } catch {
    inserted = false;
  }
  if (!inserted || input.value !== value) {
    // No editing command (or it was refused): set the value the way a framework would not
    // notice, then send the events Gmail listens to.
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    if (setter) setter.call(input, value);
    else input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: value }));
  }
  input.dispatchEvent(new Event('change', { bubbles: true }));
  input.setSelectionRange(value.length, value.length);
}

/**
 * Replaces the text of `range` inside the editable `body` with `text`, as one undoable
 * edit. Returns false if the range no longer holds `expected` (the draft changed since).
 */
export function replaceInBody(body: HTMLElement, range: Range, expected: string, text: string): boolean {
  if (!body.contains(range.commonAncestorContainer) || !holds(range, expected)) return false;
  const doc = body.ownerDocument;
  const selection = doc.getSelection();
  if (!selection) return false;
  body.focus();
  selection.removeAllRanges();
  selection.addRange(range.cloneRange());
  let done = false;
  try {
    done = doc.execCommand('insertText', false, text);
  } catch {
    done = false;
  }
  if (!done) {
    // The page can refuse or move the selection (a focus handler, an extension).
    if (selection.rangeCount === 0) return false;
    // Without editing commands the edit is not undoable, but it still happens.
    const r = selection.getRangeAt(0);
    r.deleteContents();
    r.insertNode(doc.createTextNode(text));
    body.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText', data: text }));
  }
  return true;
}

/**
 * Whether `range` still covers `expected`, a match in the extracted text. That text has a
 * newline between blocks and at each <br>, which belongs to no text node, so
 * Range.toString() lacks it; Gmail's no-break spaces are spaces there.
 */
export function holds(range: Range, expected: string): boolean {
  return range.toString().replace(/\u00a0/g, ' ') === expected.replace(/\n/g, '');
}
