import { options } from 'preact';

/**
 * Hooks Preact calls when `options.<name>` is set. A page whose scripts added one of these names
 * to `Object.prototype` (e.g. `Object.prototype.event = 'message'`) would make Preact call a
 * string on every click; own `undefined` properties shadow the prototype. Preact's plugins
 * (hooks, signals) still chain onto them as usual.
 */
const HOOK_NAMES = ['event', 'vnode', 'diffed', 'unmount', 'debounceRendering', 'requestAnimationFrame', 'useDebugValue'];

/** Run before preact/hooks and @preact/signals load: they capture these hooks as they do. */
export function shieldPreactOptions(): void {
  const target = options as unknown as Record<string, unknown>;
  for (const name of HOOK_NAMES) if (!Object.hasOwn(target, name)) target[name] = undefined;
}
