/**
 * `JSON.parse` whose objects have no prototype. A host page (or one of its libraries) may have
 * added properties to `Object.prototype`; a field the server left out must read as `undefined`,
 * not as the page's value (an inherited `status: 500` would turn every answer into an error).
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value,
  );
}
