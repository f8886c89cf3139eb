// How words (stack items, storage keys and values) are written: hex or decimal, compact or
// in full, and shortened in the middle where space is short (the full text stays one click
// away).

/** A word given as 0x-hex: hex without leading zeros (all 64 digits when `full`) or decimal. */
export function formatWord(hex, { radix = 'hex', full = false } = {}) {
  const body = String(hex).replace(/^0x/i, '').toLowerCase() || '0';
  if (radix === 'dec') return BigInt('0x' + body).toString(10);
  return '0x' + (full ? body.padStart(64, '0') : body.replace(/^0+(?=.)/, ''));
}

/** `text` with its middle replaced by "…" when longer than `max` characters. */
export function shorten(text, max = 24) {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2), tail = Math.floor((max - 1) / 2);
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}
