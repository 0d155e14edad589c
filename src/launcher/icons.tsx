/** @jsxRuntime classic */
/** @jsx h */
// Classic JSX: the launcher ships to every page view, and preact's h saves the JSX runtime's bytes.
import { h } from 'preact';
/** Icons as JSX (never HTML strings). Decorative: the buttons carry the accessible names. */
export function ChatIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12Z" />
      <path d="M8.5 12h.01M12 12h.01M15.5 12h.01" />
    </svg>
  );
}

export function ChevronDownIcon() {
  return (
    <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="m6 9 6 6 6-6" />
    </svg>
  );
}
