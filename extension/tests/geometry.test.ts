import { describe, expect, test } from 'vitest';
import { inputTextBox, intersect } from '../src/content/geometry';

describe('geometry', () => {
  test('intersection, and none when boxes only touch', () => {
    expect(intersect({ left: 0, top: 0, right: 10, bottom: 10 }, { left: 5, top: 5, right: 20, bottom: 20 })).toEqual({ left: 5, top: 5, right: 10, bottom: 10 });
    expect(intersect({ left: 0, top: 0, right: 10, bottom: 10 }, { left: 10, top: 0, right: 20, bottom: 10 })).toBeNull();
  });

  test('characters of the subject box are measured in its font, minus its scroll', () => {
    document.body.innerHTML = '<input name="subjectbox" style="padding-left: 4px; border: 0; font-size: 10px">';
    const input = document.querySelector('input')!;
    input.value = 'Informational interview?';
    input.scrollLeft = 0;
    const measure = (text: string) => text.length * 6; // a monospace stand-in for canvas
    const box = inputTextBox(input, 0, 13, measure)!;
    const rect = input.getBoundingClientRect();
    expect(box.left).toBe(rect.left + 4);
    expect(box.right - box.left).toBe(78);
    expect(inputTextBox(input, 3, 3, measure)).toBeNull();
  });
});
