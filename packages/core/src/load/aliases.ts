/**
 * A cheap first look at a YAML file's aliases, from js-yaml's event stream, before the expensive
 * check. The `yaml` package's alias accounting (its `maxAliasCount`, the guard against "billion
 * laughs" documents) needs the position-bearing syntax tree of the whole file, which costs several
 * times the parse itself: on a large spec that reuses a few anchors (as `yaml`'s own stringify
 * writes them) that tree was about a tenth of a `generate`. This pass computes an upper bound of
 * that accounting in one walk of the events; only a file whose bound exceeds the limit goes through
 * the exact check (`aliasBomb` in documents.ts), so verdicts, messages and positions are unchanged.
 */
import { EVENT_ID, parseEvents } from 'js-yaml';

interface Anchor {
  /** 1 for the anchored node itself, plus one per alias to it so far. */
  count: number;
  /** The anchors aliased anywhere inside this node (set when the node is closed). */
  targets: ReadonlySet<Anchor>;
  closed: boolean;
}

/** Work allowed for the bound before giving up and answering "maybe" (the exact check decides). */
const BUDGET = 2_000_000;

/**
 * False when the `yaml` package's accounting of this document's aliases certainly stays within
 * `max` (its `maxAliasCount`); true when it may not, or when this pass cannot tell.
 *
 * The accounting (yaml's `Alias.toJSON`): each alias use of an anchor increments the anchor's
 * `count` (1 at first), and fails when `count × aliasCount` exceeds the limit, where `aliasCount`
 * is, over the anchored node, the greatest `count × aliasCount` of an anchor aliased inside it
 * (1 for a scalar, 0 for an empty collection), computed at the anchor's first alias use. Counts
 * only grow, so evaluating that with the counts of the moment, and with 1 for empty collections,
 * gives a value at least as large at every step: an upper bound.
 */
export function aliasesMayExceed(text: string, max: number): boolean {
  let events;
  try {
    events = parseEvents(text, {});
  } catch {
    return true;
  }
  let budget = BUDGET;
  const anchors = new Map<string, Anchor>();
  const frames: { anchor: Anchor | null; targets: Set<Anchor> }[] = [];
  const name = (e: { anchorStart: number; anchorEnd: number }) =>
    text.slice(e.anchorStart, e.anchorEnd);

  /** count × aliasCount of `a`, capped just above `max`; null when out of budget. */
  const weight = (a: Anchor, memo: Map<Anchor, number>): number | null => {
    const known = memo.get(a);
    if (known !== undefined) return known;
    let inner = 1;
    for (const t of a.targets) {
      if (--budget < 0) return null;
      const w = weight(t, memo);
      if (w === null) return null;
      if (w > inner) inner = w;
      if (inner > max) break;
    }
    const w = Math.min(a.count * inner, max + 1);
    memo.set(a, w);
    return w;
  };

  for (const e of events) {
    switch (e.type) {
      case EVENT_ID.DOCUMENT:
        if (frames.length > 0) return true;
        anchors.clear();
        break;
      case EVENT_ID.SCALAR:
        if (e.anchorStart !== -1)
          anchors.set(name(e), { count: 1, targets: new Set(), closed: true });
        break;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING: {
        let anchor: Anchor | null = null;
        if (e.anchorStart !== -1) {
          anchor = { count: 1, targets: new Set(), closed: false };
          anchors.set(name(e), anchor);
        }
        frames.push({ anchor, targets: new Set() });
        break;
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(name(e));
        // an unknown anchor, or an alias inside its own anchor (recursive): the exact check decides
        if (!target || !target.closed) return true;
        target.count++;
        const w = weight(target, new Map());
        if (w === null || w > max) return true;
        frames.at(-1)?.targets.add(target);
        break;
      }
      case EVENT_ID.POP: {
        const frame = frames.pop();
        if (!frame) break; // the document's own end
        if (frame.anchor) {
          frame.anchor.targets = frame.targets;
          frame.anchor.closed = true;
        }
        const parent = frames.at(-1);
        if (parent)
          for (const t of frame.targets) {
            if (--budget < 0) return true;
            parent.targets.add(t);
          }
        break;
      }
    }
  }
  return false;
}
