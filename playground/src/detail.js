// Marks what changed between two consecutive state snapshots (memory bytes, storage slots).

function changedRanges(before, after) {
  // before/after: 0x hex of memory; returns [start, end) byte ranges that differ or are new.
  const ranges = [];
  const a = before ?? '0x', b = after;
  const len = (b.length - 2) / 2;
  let open = -1;
  for (let i = 0; i < len; i++) {
    const j = 2 + i * 2;
    const diff = j >= a.length || a[j] !== b[j] || a[j + 1] !== b[j + 1];
    if (diff && open < 0) open = i;
    if (!diff && open >= 0) { ranges.push([open, i]); open = -1; }
  }
  if (open >= 0) ranges.push([open, len]);
  return ranges;
}

function markSlots(before, after) {
  const prev = new Map((before ?? []).map((s) => [`${s.address}:${s.key}`, s.value]));
  return after.map((s) => ({ ...s, changed: before !== null && prev.get(`${s.address}:${s.key}`) !== s.value }));
}

/** `after` with `memoryChanged` ranges and a `changed` flag on each storage and transient slot. */
export function diffDetail(before, after) {
  const sameFrame = before && before.frame === after.frame;
  return {
    ...after,
    memoryChanged: sameFrame ? changedRanges(before.memory, after.memory) : [],
    storage: markSlots(before ? before.storage : null, after.storage),
    transient: markSlots(before ? before.transient : null, after.transient),
  };
}
