/**
 * The diagram, DOM-free: what a view shows (model), how it is laid out (layout, elk-run), how smells are
 * marked (smells), and its drawings and exports (svg, text-formats, page). The CLI runs it in Node, the
 * preview in the browser.
 */
export * from './model';
export * from './layout';
export * from './smells';
export * from './svg';
export * from './style';
export * from './text-formats';
export * from './page';
export type * from './messages';
