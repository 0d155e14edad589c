import type { App } from './apps.ts';
import { listsMessageFiles, retrieverFields, stripsWebMetadata } from './eras.ts';
import type { StreamEvent } from './events.ts';
import type { MessageFileRecord, MessageRecord } from './records.ts';

/**
 * What an event looks like on a web-app stream of the app's era. Scripts emit the full event, which
 * is what Dify stores (and what history shows); the web converters then cut it down. Pure.
 */
export function wireEvent(event: StreamEvent, app: App, message: MessageRecord): StreamEvent {
  if (event.event !== 'message_end') return event;
  const metadata = webMetadata((event.metadata ?? {}) as Record<string, unknown>, app);
  const files = listsMessageFiles(app.mode, app.era) ? messageEndFiles(message.message_files) : event.files;
  return { ...event, metadata, files };
}

/**
 * `_get_simple_metadata` since 1.13.1 (docs/PROTOCOL.md §3.3.1, newer releases): no `usage`, no
 * `annotation_reply`, retriever resources with the era's field list. Blocking answers get the same.
 */
export function webMetadata(metadata: Record<string, unknown>, app: App): Record<string, unknown> {
  if (!stripsWebMetadata(app.era)) return metadata;
  const rest = Object.fromEntries(Object.entries(metadata).filter(([key]) => key !== 'usage' && key !== 'annotation_reply'));
  if (Array.isArray(rest.retriever_resources)) {
    const fields = retrieverFields(app.era);
    rest.retriever_resources = rest.retriever_resources.map((resource: Record<string, unknown>) =>
      Object.fromEntries(fields.map((field) => [field, resource[field] ?? null])),
    );
  }
  return rest;
}

/**
 * `message_end.files` of chat and agent apps since 1.13.1: every file of the message, the visitor's
 * uploads included, without `belongs_to`; null when there is none.
 */
export function messageEndFiles(files: readonly MessageFileRecord[]): Record<string, unknown>[] | null {
  if (files.length === 0) return null;
  return files.map((file) => {
    const dot = file.filename.lastIndexOf('.');
    return {
      related_id: file.id,
      extension: dot >= 0 ? file.filename.slice(dot) : '',
      filename: file.filename,
      size: file.size,
      mime_type: file.mime_type,
      transfer_method: file.transfer_method,
      type: file.type,
      url: file.url,
      upload_file_id: file.upload_file_id,
      remote_url: file.transfer_method === 'remote_url' ? file.url : null,
    };
  });
}
