/**
 * The element budget: bytes alone do not bound the work (a 7.9 MB file holds a chain of 100,000
 * services, and the rules' findings, related locations and fixes grow with it). A program's topologies
 * are analysed up to ELEMENT_BUDGET elements; past that, the later elements are left out of the
 * analysis and one finding says where the budget ran out.
 *
 * A limit that leaves elements out is one cause, so it gives one finding: the references that name an
 * element left out (by this budget, or by a limit of the reading: too many entries, too deep, too large)
 * are left out with it, instead of each becoming an `unknown-reference` or any other finding of its own.
 */
import type { Datastore, Flow, Service, Topology } from './model';
import type { ParsedFile } from './rule';
import type { Span } from './span';

/**
 * 50,000 elements: a 5,000-service system written in full (about 35,000 elements with its calls,
 * events and stores) is analysed whole, and the 7.9 MB chain stays within 10 s and 1 GB (its file is cut
 * at MAX_ENTRIES entries before it reaches this budget; test/cli/hostile.test.ts).
 */
export const ELEMENT_BUDGET = 50_000;

export interface BudgetCut {
  readonly uri: string;
  readonly span: Span;
  /** Elements in the program, of which `budget` are analysed. */
  readonly total: number;
  /** References left out with the elements they name. */
  readonly references: number;
}

export interface Budgeted {
  /** The files as the rules see them: the same objects where nothing was left out. */
  readonly files: readonly ParsedFile[];
  /** Where the first element left out is, when the budget ran out. */
  readonly cut?: BudgetCut;
  /** References left out because they name an element a limit left out (here or in the reading). */
  readonly references: number;
}

/** Counts a service with everything it declares (calls, publishes, subscribes, uses). */
function weight(s: Service): number {
  return 1 + s.calls.length + s.publishes.length + s.subscribes.length + s.uses.length;
}

/** The message of the budget's one finding. */
export function budgetMessage(cut: BudgetCut): string {
  const refs = cut.references ? ` ${cut.references.toLocaleString('en-US')} reference${cut.references === 1 ? '' : 's'} to the elements left out ${cut.references === 1 ? 'is' : 'are'} not checked either.` : '';
  return `Not analysed from here: the topology has ${cut.total.toLocaleString('en-US')} elements (services, calls, events and the like), over the limit of ${ELEMENT_BUDGET.toLocaleString('en-US')} that keeps the analysis fast; the elements before this one are analysed.${refs}`;
}

/**
 * The words of the parts of a reading that a limit left out: every name an entry there may define. Kept
 * per reading, since a program is analysed again on every edit of another file.
 */
const cutWords = new WeakMap<object, ReadonlySet<string> | null>();

/** A quoted id between its quotes, or a run of characters a plain YAML id may hold. */
const WORD = /"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)'|([^\s:,{}[\]#"']+)/g;

/**
 * The parts of the text the limit problems left out, as far as names are concerned, in order and not
 * overlapping (a file may hold many such problems; each part of the text is read once).
 */
function leftOutRegions(text: string, problems: readonly { code: string; span: Span; detail?: string }[]): [number, number][] {
  const limits = problems.filter((p) => p.code === 'RESOURCE_LIMIT').sort((x, y) => x.span.start - y.span.start);
  const out: [number, number][] = [];
  let covered = 0;
  for (const p of limits) {
    if (p.span.start < covered) continue;
    const lineStart = text.lastIndexOf('\n', p.span.start - 1) + 1;
    // The entry limit (incremental.ts) leaves out the entry at the problem and everything after it in its
    // section; later sections are cut at their own problems, so the rest of the text covers them all.
    if (p.detail && / entries in one file/.test(p.detail)) {
      out.push([Math.max(lineStart, covered), text.length]);
      break;
    }
    // The depth limit (depth.ts) blanks the entry that nests too deep: from its key line (the last line
    // before the problem indented by at most two spaces) to the end of the problem's line. The reader's
    // own alias and nesting limits leave the entry in place, so its id still resolves and nothing drops.
    let start = lineStart;
    while (start > covered) {
      const indent = /^ */.exec(text.slice(start, start + 3))![0].length;
      const c = text[start + indent];
      if (indent <= 2 && c !== undefined && c !== '\n' && c !== '\r' && c !== '#') break;
      start = text.lastIndexOf('\n', start - 2) + 1;
    }
    const end = text.indexOf('\n', p.span.start);
    covered = end < 0 ? text.length : end;
    out.push([Math.max(start, out.length ? out[out.length - 1][1] : 0), covered]);
  }
  return out;
}

function wordsLeftOut(f: ParsedFile): ReadonlySet<string> | null {
  if (cutWords.has(f.yaml)) return cutWords.get(f.yaml)!;
  let words: Set<string> | null = null;
  if (!f.tooLarge) {
    for (const [from, to] of leftOutRegions(f.text, f.yaml.problems)) {
      const region = f.text.slice(from, to);
      words ??= new Set();
      for (let m = WORD.exec(region); m; m = WORD.exec(region)) words.add(m[1] ?? (m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3]));
      WORD.lastIndex = 0;
    }
  }
  cutWords.set(f.yaml, words);
  return words;
}

/**
 * The files trimmed to `budget` elements in order (files, then sections, then entries), without the
 * references to elements a limit left out. Cheap when no limit cut: one count over the elements.
 */
export function withinBudget(all: readonly ParsedFile[], budget = ELEMENT_BUDGET): Budgeted {
  let total = 0;
  for (const { topology: t } of all) {
    for (const s of t.services) total += weight(s);
    total += t.datastores.length + t.events.length + t.flows.length;
  }
  // A file over the size limit was not read at all: any name may be in it.
  const unread = all.some((f) => f.tooLarge);
  const limited = all.some((f) => !f.tooLarge && f.yaml.problems.some((p) => p.code === 'RESOURCE_LIMIT'));
  if (total <= budget && !unread && !limited) return { files: all, references: 0 };
  // The words of what the reading left out are gathered only once a reference names nothing left.
  let words: ReadonlySet<string>[] | undefined;
  const wordsOf = () => (words ??= all.map(wordsLeftOut).filter((w): w is ReadonlySet<string> => w !== null));

  let topologies: Topology[] = all.map((f) => f.topology);
  let cut: Omit<BudgetCut, 'references'> | undefined;
  // The ids this budget leaves out, per kind, so a reference to one of them is known to be left out.
  const dropped = { service: new Set<string>(), event: new Set<string>(), datastore: new Set<string>() };
  if (total > budget) {
    let left = budget;
    const take = <T extends Service | Datastore | Topology['events'][number] | Flow>(t: Topology, xs: readonly T[], w: (x: T) => number, out: Set<string> | null): T[] => {
      const kept: T[] = [];
      for (const x of xs) {
        const cost = w(x);
        if (cost > left) {
          // Once one element does not fit, none after it is taken, in this section or any later one.
          cut ??= { uri: t.uri, span: x.idSpan ?? x.span, total };
          left = 0;
          out?.add(x.id);
          continue;
        }
        left -= cost;
        kept.push(x);
      }
      return kept;
    };
    topologies = topologies.map((t) => ({
      ...t,
      services: take(t, t.services, weight, dropped.service),
      datastores: take(t, t.datastores, () => 1, dropped.datastore),
      events: take(t, t.events, () => 1, dropped.event),
      flows: take(t, t.flows, () => 1, null),
    }));
  }

  // What is left, by kind: a reference that resolves to one of these is kept whatever the limits did.
  const known = { service: new Set<string>(), event: new Set<string>(), datastore: new Set<string>() };
  for (const t of topologies) {
    for (const s of t.services) known.service.add(s.id);
    for (const e of t.events) known.event.add(e.id);
    for (const d of t.datastores) known.datastore.add(d.id);
  }
  let references = 0;
  /** True when a reference names nothing left and may name an element a limit left out. */
  const leftOut = (kind: keyof typeof known, id: string): boolean => {
    if (known[kind].has(id)) return false;
    if (!(unread || dropped[kind].has(id) || wordsOf().some((w) => w.has(id)))) return false;
    references++;
    return true;
  };
  const keep = <T>(xs: T[], ref: (x: T) => string, kind: keyof typeof known): T[] => {
    let out: T[] | undefined;
    for (let i = 0; i < xs.length; i++) {
      if (leftOut(kind, ref(xs[i]))) out ??= xs.slice(0, i);
      else out?.push(xs[i]);
    }
    return out ?? xs;
  };
  topologies = topologies.map((t) => {
    let changed = false;
    const services = t.services.map((s) => {
      const calls = keep(s.calls, (c) => c.to.id, 'service');
      const publishes = keep(s.publishes, (p) => p.event.id, 'event');
      const subscribes = keep(s.subscribes, (p) => p.event.id, 'event');
      const uses = keep(s.uses, (u) => u.store.id, 'datastore');
      const deployTogether = keep(s.deployTogether, (d) => d.id, 'service');
      if (calls === s.calls && publishes === s.publishes && subscribes === s.subscribes && uses === s.uses && deployTogether === s.deployTogether) return s;
      changed = true;
      return { ...s, calls, publishes, subscribes, uses, deployTogether };
    });
    const datastores = t.datastores.map((d) => {
      if (!d.owner || !leftOut('service', d.owner.value)) return d;
      changed = true;
      return { ...d, owner: undefined };
    });
    const flows = t.flows.map((f) => {
      if (!f.entry || !leftOut('service', f.entry.value)) return f;
      changed = true;
      return { ...f, entry: undefined };
    });
    return changed ? { ...t, services, datastores, flows } : t;
  });
  const files = all.map((f, i) => (topologies[i] === f.topology ? f : { ...f, topology: topologies[i] }));
  return { files, cut: cut && { ...cut, references }, references };
}
