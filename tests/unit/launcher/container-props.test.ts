// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { applyContainerProps } from '../../../src/launcher/container-props.ts';

describe('applyContainerProps (as Dify applies them to the bubble)', () => {
  it('adds every class of a space-separated className', () => {
    const el = document.createElement('div');
    el.className = 'existing';
    applyContainerProps(el, { className: ' brand  big ' });
    expect([...el.classList]).toEqual(['existing', 'brand', 'big']);
  });

  it('applies a style object, including custom properties', () => {
    const el = document.createElement('div');
    applyContainerProps(el, { style: { opacity: '0.5', '--dify-chatbot-bubble-button-bg-color': 'rebeccapurple' } });
    expect(el.style.opacity).toBe('0.5');
    expect(el.style.getPropertyValue('--dify-chatbot-bubble-button-bg-color')).toBe('rebeccapurple');
  });

  it('applies a style string without dropping styles already set', () => {
    const el = document.createElement('div');
    el.style.setProperty('--x', '1');
    applyContainerProps(el, { style: 'opacity: 0.25; margin-top: 3px' });
    expect(el.style.opacity).toBe('0.25');
    expect(el.style.marginTop).toBe('3px');
    expect(el.style.getPropertyValue('--x')).toBe('1');
  });

  it('turns on* functions into listeners, removed by the cleanup', () => {
    const el = document.createElement('div');
    const onClick = vi.fn();
    const onMouseEnter = vi.fn();
    const cleanup = applyContainerProps(el, { onClick, onMouseEnter });
    el.dispatchEvent(new Event('click'));
    el.dispatchEvent(new Event('mouseenter'));
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(onMouseEnter).toHaveBeenCalledTimes(1);
    cleanup();
    el.dispatchEvent(new Event('click'));
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('assigns other keys as element properties', () => {
    const el = document.createElement('div');
    applyContainerProps(el, { title: 'Ask us', tabIndex: 2 });
    expect(el.title).toBe('Ask us');
    expect(el.tabIndex).toBe(2);
  });
});
