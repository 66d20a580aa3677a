/**
 * An item's size as DynamoDB bills it (the "Item sizes" rules of the
 * developer guide): attribute names and string values in UTF-8 bytes,
 * numbers about one byte per two significant digits plus one (at most 21),
 * booleans and nulls one byte, lists and maps three bytes plus one per
 * element. An item of 1,024 bytes or more costs two write units a write.
 */
export function dynamoItemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).replace(/[.-]|e.*$/g, '').replace(/^0+/, '').replace(/0+$/, '').length;
    return Math.min(21, Math.ceil(digits / 2) + 1);
  }
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSize(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSize(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  return 0;
}
