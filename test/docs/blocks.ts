/**
 * The code blocks of a Markdown page, with the words of their info string, for test/docs/guide.test.ts.
 *
 * ````md
 * ```ts no-run env:APP_API_KEY=k
 * ```json5 file=config.json5
 * ```text output          (right after a code block: what it prints)
 * ````
 *
 * In a ts or js block, a line comment `// prints: TEXT` names a line its output must hold, whatever
 * the recorded output says: a record rewritten from a wrong run cannot silently drop it.
 */

export interface Block {
  /** The page it is in, relative to the repository. */
  page: string;
  /** The line of the opening fence (1-based). */
  line: number;
  /** The language word: `ts`, `js`, `json`, `json5`, `sh`, ... (empty for a bare fence). */
  lang: string;
  /** The flags after the language: `no-run`, `no-check`. */
  flags: Set<string>;
  /** `file=NAME`: the block is written into the page's folder as NAME before its code blocks run. */
  file?: string;
  /** `env:NAME=VALUE` words: variables set for this block's run. */
  env: Record<string, string>;
  code: string;
  /** A ```text output block right after this one: what the block must print on stdout. */
  output?: string;
  /** The `// prints: TEXT` comments of the code: text each that a line of the output must contain. */
  prints: string[];
}

const PRINTS = /\/\/\s*prints:\s*(.+?)\s*$/gm;

const FENCE = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;

/** Every fenced block of `markdown`, in order. */
export function blocksOf(page: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  let end = -1;
  for (const match of markdown.matchAll(FENCE)) {
    const previous = blocks.at(-1);
    const adjacent = markdown.slice(end, match.index).trim() === '';
    end = match.index + match[0].length;
    if (/^text\s+output\s*$/.test(match[1] ?? '') && previous && adjacent) {
      previous.output = match[2] ?? '';
      continue;
    }
    const [lang = '', ...words] = (match[1] ?? '').trim().split(/\s+/);
    const block: Block = {
      page,
      line: markdown.slice(0, match.index).split('\n').length,
      lang,
      flags: new Set(),
      env: {},
      code: match[2] ?? '',
      prints: [...(match[2] ?? '').matchAll(PRINTS)].map((m) => m[1] ?? ''),
    };
    for (const word of words) {
      if (word.startsWith('file=')) block.file = word.slice('file='.length);
      else if (word.startsWith('env:')) {
        const [name = '', ...value] = word.slice('env:'.length).split('=');
        block.env[name] = value.join('=');
      } else if (word) block.flags.add(word);
    }
    blocks.push(block);
  }
  return blocks;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a page's headings (outside code blocks), with GitHub's -1, -2 for repeats. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of markdown.replace(FENCE, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** The targets of the page's Markdown links `[text](target)`, outside code blocks and code spans. */
export function linksOf(markdown: string): string[] {
  const prose = markdown.replace(FENCE, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}
