import type { Site } from '../api/types.ts';
import { safeImageSrc } from '../markdown/index.ts';

/** The app's emoji or image icon from `/api/site`; nothing when the site has none. */
export function AppIcon({ site, imageBase }: { site: Site['site'] | undefined; imageBase: string }) {
  if (!site) return null;
  const background = site.icon_background && /^#[0-9a-f]{3,8}$/i.test(site.icon_background) ? site.icon_background : undefined;
  if (site.icon_type === 'image' && site.icon_url) {
    const src = safeImageSrc(site.icon_url, imageBase);
    if (!src) return null;
    return (
      <span class="app-icon" aria-hidden="true">
        <img src={src} alt="" referrerpolicy="no-referrer" />
      </span>
    );
  }
  if (site.icon && site.icon_type !== 'image') {
    return (
      <span class="app-icon" aria-hidden="true" style={background ? { background } : undefined}>
        {site.icon}
      </span>
    );
  }
  return null;
}
