import type { Rule } from '../rule';
import { ownerOf } from './util';

export const lockstepDeploy: Rule = {
  meta: {
    id: 'lockstep-deploy',
    title: 'Services that must be released together',
    category: 'interfaces',
    defaultSeverity: 'warning',
    options: {},
    fixable: false,
    acceptable: true,
  },
  check(ctx) {
    for (const s of ctx.system.serviceList) {
      for (const d of s.deployTogether) {
        if (!ctx.system.services.has(d.id) || d.id === s.id) continue;
        ctx.report({
          uri: s.uri,
          span: d.span,
          message:
            `'${s.id}' must be released together with '${d.id}'. Neither can ship a fix alone, and one failed deployment rolls back both. ` +
            `Version the interface between them and run old and new side by side, so that each deploys on its own.`,
          messageId: 'lockstep',
          owners: [ownerOf(s)],
        });
      }
    }
  },
};
