import { useEffect, useState } from 'preact/hooks';
import type { Strings } from '../i18n/strings.ts';
import type { ChatStore } from '../state/store.ts';

/**
 * While the API client waits to retry a busy or failing server by itself, say so with a
 * countdown instead of a typing indicator that seems stuck.
 */
export function RetryNotice({ store, strings }: { store: ChatStore; strings: Strings }) {
  const retrying = store.retrying.value;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!retrying) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [retrying]);
  if (!retrying) return null;
  const seconds = Math.max(0, Math.ceil((retrying.at - now) / 1000));
  const text = retrying.kind === 'busy' ? strings.retryingBusy : strings.retryingServer;
  return (
    <p class="retry-notice" role="status">
      {text.replace('{s}', String(seconds))}
    </p>
  );
}
