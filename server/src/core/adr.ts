/**
 * Architecture decision records: the template of a new docs/adr/NNNN-<slug>.md and where the next one goes,
 * for the "Accept <rule> on <element> and record it in an ADR" fix (accept.ts), the missing-adr fix and the
 * style chooser. The template lays out the communication styles in play with their trade-offs (after
 * Newman, Building Microservices, ch. 4), so the record starts from the real options rather than a blank
 * page.
 */
import type { Finding, Host, RuleMeta } from './rule';
import { oneLine } from './text';

interface Option {
  readonly name: string;
  readonly pros: string;
  readonly cons: string;
}

const SYNC: Option = {
  name: 'Keep the synchronous, blocking call',
  pros: 'Familiar and simple; the caller knows at once whether it worked and can retry or compensate.',
  cons: 'A slow or failed service stalls every caller on the path; long chains multiply failure and hold resources all along; the answer is lost if the caller dies.',
};
const ASYNC: Option = {
  name: 'Asynchronous request-response (over a queue)',
  pros: 'The caller does not wait; the queue buffers requests the receiver cannot handle yet; suits long-running work and long chains.',
  cons: 'More moving parts; the reply must be routed back to whichever instance can handle it.',
};
const EVENTS: Option = {
  name: 'Event-driven: publish a fact and let consumers react',
  pros: 'The loosest coupling: the publisher does not know who listens; consumers come and go independently.',
  cons: 'Responsibility is inverted, which takes getting used to; event fields become a contract; fully detailed events are larger.',
};
const COMMON: Option = {
  name: 'Common data (a shared store)',
  pros: 'Simple, well-known technology; good for large volumes; works with old systems that can read a file.',
  cons: 'The store couples everyone who touches it; consumers must poll to notice new data; the store must not fail in interesting ways.',
};
const OWNER_API: Option = {
  name: "Go through the owner's API",
  pros: 'The owner can change its storage freely; one service keeps the data consistent.',
  cons: 'A network call instead of a query; the owner must offer what callers need.',
};
const VERSIONED: Option = {
  name: 'Version the interface and run old and new side by side',
  pros: 'Each service deploys on its own; consumers migrate at their pace (expand, then contract).',
  cons: 'Two versions to run and test for a while.',
};

const OPTIONS_BY_CATEGORY: Record<RuleMeta['category'], readonly Option[]> = {
  structure: [SYNC, EVENTS],
  communication: [SYNC, ASYNC, EVENTS],
  failure: [SYNC, ASYNC],
  events: [EVENTS, ASYNC],
  interfaces: [VERSIONED, { name: 'Deploy in lock-step', pros: 'No versions to maintain.', cons: 'Nobody ships alone; one failed release rolls back all.' }],
};

function optionsFor(meta: RuleMeta): readonly Option[] {
  if (meta.id === 'shared-database' || meta.id === 'common-data-lake' || meta.id === 'filesystem-drop') return [COMMON, OWNER_API, EVENTS];
  return OPTIONS_BY_CATEGORY[meta.category];
}

/** The longest slug an ADR file name takes, so that the names stay readable in a file list. */
export const SLUG_MAX = 48;

/**
 * A file-name slug: lower-case ASCII words joined by '-', at most SLUG_MAX characters. A longer one is cut
 * at the last word boundary that fits, so no word is left half-written (`…-ts-preserve-` or `…-ts-prese`);
 * only a single word longer than the limit is cut inside itself.
 */
export function slugify(s: string): string {
  const full = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (full.length <= SLUG_MAX) return full || 'decision';
  // The character after the cut is '-' when the cut falls exactly at the end of a word.
  const cut = full[SLUG_MAX] === '-' ? SLUG_MAX : full.lastIndexOf('-', SLUG_MAX);
  return cut > 0 ? full.slice(0, cut) : full.slice(0, SLUG_MAX);
}

/** The path from one file to another, both absolute URIs, as a relative path with '/'. */
export function relativePath(fromFileUri: string, toUri: string): string {
  const from = new URL(fromFileUri).pathname.split('/').slice(0, -1);
  const to = new URL(toUri).pathname.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}

export function adrTemplate(number: number, finding: Finding, meta: RuleMeta, rawLabel: string): string {
  // The label and the message carry names and reasons from the topology: one line each, whatever they hold.
  const label = oneLine(rawLabel);
  const message = oneLine(finding.message);
  const date = new Date().toISOString().slice(0, 10);
  const options = optionsFor(meta)
    .map((o, i) => `### Option ${i + 1}: ${o.name}\n\n- Good: ${o.pros}\n- Bad: ${o.cons}\n`)
    .join('\n');
  return `# ${String(number).padStart(4, '0')}. Accept ${meta.id} on ${label}

- Status: proposed
- Date: ${date}
- Finding: \`${meta.id}\` (${meta.title.toLowerCase()})

## Context

Topolint reported:

> ${message}

TODO: what the system must do here, and what constrains the choice (reliability, acceptable latency, volume).

## Options

${options}
## Decision

TODO: which option, and why it is right here. Decide the communication style first, then the technology.

## Consequences

TODO: what gets easier, what gets harder, and what would make us revisit this decision.
`;
}

/** The next record in an ADR folder: one past the highest NNNN- it holds, named NNNN-<slug>.md. */
export function nextAdr(host: Host, folder: string, slug: string): { number: number; num: string; uri: string } {
  const taken = (host.list?.(folder) ?? []).map((n) => /^(\d{4})-/.exec(n)?.[1]).filter((x): x is string => !!x).map(Number);
  const number = (taken.length ? Math.max(...taken) : 0) + 1;
  const num = String(number).padStart(4, '0');
  return { number, num, uri: `${folder}${num}-${slug}.md` };
}
