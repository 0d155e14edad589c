import type { Site } from '../api/types.ts';

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * The panel's colours from the site's `chat_color_theme` (docs/PROTOCOL.md §5.8), as CSS custom
 * properties. A page can still win by setting `--dify-chatbot-primary-color` on
 * `#dify-chatbot-bubble-window` (read first by chat.css). Only a valid hex is accepted: the value
 * comes from the server and goes into CSS.
 */
export function themeVariables(site: Site['site'] | undefined): Record<string, string> {
  const theme = site?.chat_color_theme;
  if (!theme || !HEX.test(theme)) return {};
  const vars: Record<string, string> = {
    '--dcb-theme': theme,
    '--dcb-theme-header-bg': theme,
    '--dcb-theme-user-bubble': `color-mix(in srgb, ${theme} 15%, #fff)`,
  };
  if (site?.chat_color_theme_inverted) {
    vars['--dcb-theme-header-bg'] = '#fff';
    vars['--dcb-theme-header-fg'] = theme;
    vars['--dcb-theme-header-border'] = '#ccc';
  }
  return vars;
}
