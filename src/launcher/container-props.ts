import type { ContainerProps } from '../config/types.ts';

/**
 * Applies `containerProps` to the bubble's host element the way Dify's embed does
 * (docs/PROTOCOL.md §5.2): `className` is added, `style` (object or CSS text) applied, `on*`
 * functions become listeners, other keys are assigned as properties. The values were checked by
 * readConfig (a string className, a string or plain-object style, functions for `on*`), so they
 * are not checked again here.
 *
 * Returns a cleanup that removes the listeners (the element itself is removed by the caller).
 */
export function applyContainerProps(element: HTMLElement, props: ContainerProps): () => void {
  const listeners = new AbortController();
  for (const [key, value] of Object.entries(props)) {
    if (key === 'className') {
      element.classList.add(...(value as string).split(/\s+/).filter(Boolean));
    } else if (key === 'style') {
      if (typeof value === 'string') element.style.cssText += `;${value}`;
      else {
        for (const [name, propertyValue] of Object.entries(value as Record<string, string>)) {
          // Custom properties (e.g. --dify-chatbot-bubble-button-bg-color) need setProperty.
          if (name.startsWith('--')) element.style.setProperty(name, String(propertyValue));
          else (element.style as unknown as Record<string, string>)[name] = String(propertyValue);
        }
      }
    } else if (/^on/i.test(key)) {
      element.addEventListener(key.slice(2).toLowerCase(), value as EventListener, { signal: listeners.signal });
    } else {
      try {
        (element as unknown as Record<string, unknown>)[key] = value;
      } catch (error) {
        console.warn(`[dify-chatbot] containerProps.${key} could not be set:`, error);
      }
    }
  }
  return () => listeners.abort();
}
