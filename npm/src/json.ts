/** JSON with bigints written as decimal strings when `decimal`, else as 0x-quantities. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v), indent);
}
