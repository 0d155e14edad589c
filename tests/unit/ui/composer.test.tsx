// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { en } from '../../../src/i18n/strings.ts';
import { Composer } from '../../../src/ui/Composer.tsx';

const containers: HTMLElement[] = [];
afterEach(() => {
  for (const c of containers.splice(0)) {
    render(null, c);
    c.remove();
  }
});

function composer(draft: string, busy = false, unavailable?: string) {
  const c = document.createElement('div');
  document.body.append(c);
  containers.push(c);
  const onSend = vi.fn();
  render(
    <Composer
      strings={en}
      draft={draft}
      busy={busy}
      unavailable={unavailable}
      onDraft={() => {}}
      onSend={onSend}
      onStop={() => {}}
      inputRef={{ current: null }}
    />,
    c,
  );
  const form = c.querySelector('form')!;
  const submits = vi.fn();
  // Listens after the composer's own handler, like any other listener of the event.
  form.addEventListener('submit', submits);
  const press = (init: KeyboardEventInit) => {
    const event = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init });
    c.querySelector('textarea')!.dispatchEvent(event);
    return event;
  };
  return { onSend, submits, press, form, textarea: c.querySelector('textarea')!, button: c.querySelector('button')! };
}

describe('Composer', () => {
  test('Enter sends the draft at once, without a round trip through a submit event', () => {
    const { onSend, submits, press } = composer('Hello');
    const event = press({});
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hello');
    expect(submits).not.toHaveBeenCalled();
    expect(event.defaultPrevented).toBe(true); // no newline in the box
  });

  test('Shift+Enter and Enter during IME composition do not send', () => {
    const { onSend, press } = composer('Hello');
    press({ shiftKey: true });
    press({ isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  test('a blank draft or a busy composer does not send', () => {
    const blank = composer('   ');
    blank.press({});
    expect(blank.onSend).not.toHaveBeenCalled();
    const busy = composer('Hello', true);
    busy.press({});
    expect(busy.onSend).not.toHaveBeenCalled();
  });

  test('the send button submits the form, which sends', () => {
    const { onSend, form } = composer('Hi there');
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hi there');
  });

  test('while the chat is unavailable the draft stays, read-only and saying why; nothing sends', () => {
    const reason = 'This chat is unavailable right now.';
    const { onSend, press, form, textarea, button } = composer('My question', false, reason);
    expect(textarea.value).toBe('My question');
    expect(textarea.readOnly).toBe(true);
    expect(textarea.getAttribute('aria-disabled')).toBe('true');
    expect(textarea.getAttribute('aria-description')).toBe(reason);
    expect(button.disabled).toBe(true);
    press({});
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(onSend).not.toHaveBeenCalled();
  });

  test('an available chat: the box is editable and says nothing extra', () => {
    const { textarea, button } = composer('My question');
    expect(textarea.readOnly).toBe(false);
    expect(textarea.getAttribute('aria-disabled')).toBe('false');
    expect(textarea.hasAttribute('aria-description')).toBe(false);
    expect(button.disabled).toBe(false);
  });
});
