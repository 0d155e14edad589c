/** A small multipart/form-data parser for /api/files/upload and /api/audio-to-text. */
export interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

function boundaryOf(contentType: string): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? null) : null;
}

function headerParam(header: string, name: string): string | null {
  const m = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"|;\\s*${name}=([^;\\s]+)`, 'i').exec(header);
  if (!m) return null;
  return (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1');
}

/**
 * The filename of the `file` part, as soon as its headers are in `head` (the first bytes of a
 * multipart body): undefined while they have not arrived, null when the body is not multipart or
 * the part has no filename. Lets an upload be measured against its kind's limit while it is read.
 */
export function filePartName(head: Buffer, contentType: string | undefined): string | null | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const boundary = boundaryOf(contentType);
  if (!boundary) return null;
  // latin1 maps bytes to characters one to one, so a UTF-8 filename can be recovered below.
  const text = head.toString('latin1');
  const delimiter = `--${boundary}`;
  let pos = text.indexOf(delimiter);
  while (pos >= 0) {
    const headersStart = pos + delimiter.length + 2;
    const headersEnd = text.indexOf('\r\n\r\n', headersStart);
    if (headersEnd < 0) return undefined;
    const disposition = text
      .slice(headersStart, headersEnd)
      .split('\r\n')
      .find((h) => /^content-disposition:/i.test(h));
    if (disposition && headerParam(disposition, 'name') === 'file') {
      const filename = headerParam(disposition, 'filename');
      return filename === null ? null : Buffer.from(filename, 'latin1').toString('utf8');
    }
    pos = text.indexOf(delimiter, headersEnd);
  }
  return undefined;
}

/** Returns the parts, or null when the request is not multipart at all. */
export function parseMultipart(body: Buffer, contentType: string | undefined): Part[] | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const boundary = boundaryOf(contentType);
  if (!boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // The part's content ends with the CRLF that precedes the next delimiter.
    const end = body.subarray(next - 2, next).toString() === '\r\n' ? next - 2 : next;
    const chunk = body.subarray(start, end);
    const split = chunk.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = chunk.subarray(0, split).toString('utf8').split('\r\n');
      const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
      const type = headers.find((h) => /^content-type:/i.test(h));
      const name = headerParam(disposition, 'name');
      if (name !== null) {
        parts.push({
          name,
          filename: headerParam(disposition, 'filename'),
          contentType: type ? type.replace(/^content-type:\s*/i, '').trim() : null,
          data: chunk.subarray(split + 4),
        });
      }
    }
    pos = next;
  }
  return parts;
}
