import type { ContainerProps } from '../config/types.ts';

/**
 * Applies `containerProps` to the bubble's host element the way Dify's embed does
 * (PROTOCOL.md §5.2): `className` is added, `style` (object or CSS text) applied, `on*`
 * functions become listeners, other keys are assigned as properties.
 *
 * Returns a cleanup that removes the listeners (the element itself is removed by the caller).
 * A host-supplied listener that throws is the host's own error: it is reported, never rethrown
 * into our code paths.
 */
export function applyContainerProps(element: HTMLElement, props: ContainerProps): () => void {
  const removers: Array<() => void> = [];
  for (const [key, value] of Object.entries(props)) {
    if (key === 'className' && typeof value === 'string') {
      element.classList.add(...value.split(/\s+/).filter(Boolean));
    } else if (key === 'style') {
      if (typeof value === 'string') element.style.cssText += `;${value}`;
      else if (value && typeof value === 'object') {
        for (const [name, v] of Object.entries(value as Record<string, string>)) {
          // Custom properties (e.g. --dify-chatbot-bubble-button-bg-color) need setProperty.
          if (name.startsWith('--')) element.style.setProperty(name, String(v));
          else (element.style as unknown as Record<string, string>)[name] = String(v);
        }
      }
    } else if (/^on/i.test(key) && typeof value === 'function') {
      const type = key.slice(2).toLowerCase();
      const listener = value as EventListener;
      element.addEventListener(type, listener);
      removers.push(() => element.removeEventListener(type, listener));
    } else {
      try {
        (element as unknown as Record<string, unknown>)[key] = value;
      } catch (error) {
        console.warn(`[dify-chatbot] containerProps.${key} could not be set:`, error);
      }
    }
  }
  return () => removers.forEach((remove) => remove());
}
