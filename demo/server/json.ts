/**
 * The two JSON dialects a Dify stream has used (docs/PROTOCOL.md §3.1): compact orjson output with raw
 * UTF-8 (since 1.8.1), and Python `json.dumps` defaults before that (`", "` / `": "` separators and
 * every non-ASCII UTF-16 unit escaped as lowercase `\uXXXX`, so emoji become surrogate pairs).
 */
export function compactJson(value: unknown): string {
  return JSON.stringify(value);
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * Python's string encoder: with `ensureAscii` (the json.dumps default) everything outside printable
 * ASCII is escaped; without it only quotes, backslashes and control characters are.
 */
export function pythonString(text: string, ensureAscii = true): string {
  const pattern = ensureAscii ? /[\\"]|[^\x20-\x7e]/g : /[\\"\x00-\x1f]/g;
  const escaped = text.replace(pattern, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

export function pythonJson(value: unknown, ensureAscii = true): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isFinite(value) ? String(value) : 'NaN';
    case 'string':
      return pythonString(value, ensureAscii);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => pythonJson(item, ensureAscii)).join(', ')}]`;
      const parts: string[] = [];
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined) continue;
        parts.push(`${pythonString(key, ensureAscii)}: ${pythonJson(item, ensureAscii)}`);
      }
      return `{${parts.join(', ')}}`;
    }
    default:
      return 'null';
  }
}
