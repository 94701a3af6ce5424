// Per-point masks from what the user looks at: which points stand out (a clicked point and its
// neighbours, else a search's matches) and which are hidden (legend toggles, the filter).

/** 1 for the points that stand out, 0 for the dimmed; null when nothing is singled out. */
export function emphasisMask(
  n: number,
  focus: { index: number; neighbors: number[] } | null,
  matches: Uint32Array | null,
): Uint8Array | null {
  const rows = focus ? [focus.index, ...focus.neighbors] : matches;
  if (!rows) return null;
  const mask = new Uint8Array(n);
  for (const i of rows) if (i < n) mask[i] = 1;
  return mask;
}

/** 1 where any of `masks` hides the point; null when none does. */
export function hiddenUnion(n: number, ...masks: (Uint8Array | null)[]): Uint8Array | null {
  const given = masks.filter((m): m is Uint8Array => m !== null && m.length === n);
  if (given.length === 0) return null;
  if (given.length === 1) return given[0];
  const out = new Uint8Array(n);
  for (const mask of given) for (let i = 0; i < n; i++) out[i] |= mask[i];
  return out;
}
