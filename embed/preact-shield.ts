/**
 * Imported first by the chat file (embed/chat.ts), so that it runs after Preact's own module and
 * before preact/hooks and @preact/signals chain onto `options` as they load: see
 * src/chat/preact-options.ts.
 */
import { shieldPreactOptions } from '../src/chat/preact-options.ts';

shieldPreactOptions();
