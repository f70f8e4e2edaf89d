import type { Rule } from '../rule';
import { stronglyConnected } from '../graph';
import { capList } from '../text';

export const importCycle: Rule = {
  meta: {
    id: 'import-cycle',
    title: 'Topology files that import each other in a cycle',
    category: 'structure',
    alwaysOn: true,
    defaultSeverity: 'warning',
    options: {},
    fixable: false,
    acceptable: false,
  },
  check(ctx) {
    const links = (ctx.imports ?? []).filter((l) => l.exists && l.target);
    if (!links.length) return;
    const uris = [...new Set(links.flatMap((l) => [l.from, l.target!]))];
    const index = new Map(uris.map((u, i) => [u, i]));
    const succ: number[][] = uris.map(() => []);
    for (const l of links) succ[index.get(l.from)!].push(index.get(l.target!)!);
    const { comp, comps } = stronglyConnected({ size: uris.length, succ });
    const name = (u: string) => decodeURIComponent(u.slice(u.lastIndexOf('/') + 1));
    for (const members of comps) {
      const self = members.length === 1 && links.some((l) => l.from === uris[members[0]] && l.target === l.from);
      if (members.length < 2 && !self) continue;
      // Report once, at the first link (in load order) that stays inside the cycle.
      const link = links.find((l) => comp[index.get(l.from)!] === comp[members[0]] && comp[index.get(l.target!)!] === comp[members[0]])!;
      const files = members.map((m) => name(uris[m]));
      ctx.report({
        uri: link.from,
        span: link.span,
        message: `${files.length} files import each other in a cycle, starting at ${files[0]}. The cycle is ${capList([...files, files[0]], ' → ')}; Topolint reads each file once, so the analysis is still complete, but no file of the cycle can be understood on its own. Move what they share into a file they both import.`,
        messageId: 'cycle',
        related: links.filter((l) => l !== link && comp[index.get(l.from)!] === comp[members[0]] && comp[index.get(l.target!)!] === comp[members[0]]).map((l) => ({ uri: l.from, span: l.span, message: `imports ${l.path}` })),
      });
    }
  },
};
