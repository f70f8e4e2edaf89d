/**
 * The usage text of `topolint diagram`, apart from the command itself: the CLI's help prints it on every
 * start, while the command (and ELK with it) is loaded only when it runs (main.ts).
 */
export const DIAGRAM_USAGE = `  diagram <file>          Draw a topology's diagram
      --format svg|mermaid|dot|html   Output format (default: svg; html is a self-contained interactive page)
      --output <file>                 Write to a file instead of stdout
      --hide sync,async,event,data    Leave out these kinds of connection
      --focus <id>                    Only this element and its neighbourhood
`;
