/**
 * Python's `uuid.UUID(value)` accepts hyphenated or plain 32-hex forms (and braces / a urn prefix);
 * Dify's `uuid_value` then uses the canonical string. Returns null when not a UUID.
 */
export function normalizeUuid(value: string): string | null {
  const hex = value
    .trim()
    .replace(/^urn:uuid:/i, '')
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** werkzeug's `<uuid:…>` route converter: only the hyphenated form matches. */
export const ROUTE_UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
