/**
 * What the documentation tests need of a Markdown file: its relative links and the anchors
 * its headings get. Pure text in, text out; the tests read the files.
 */

export type Link = { target: string; line: number };

const FENCE = /^\s*(```|~~~)/;
// [text](target "title"), ![alt](target), and reference definitions `[x]: target`.
const INLINE = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Lines outside fenced code blocks; `blankCode`: inline code spans blanked (a link shown as code is not a link). */
function proseLines(markdown: string, blankCode: boolean): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, i) => {
    if (FENCE.test(text)) {
      fenced = !fenced;
      return;
    }
    if (!fenced) out.push({ text: blankCode ? text.replace(/`+[^`]*`+/g, (code) => " ".repeat(code.length)) : text, line: i + 1 });
  });
  return out;
}

/** Links to files of this repository (and anchors in this file): no scheme (http:, mailto:), no protocol-relative URL. */
export function relativeLinks(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { text, line } of proseLines(markdown, true)) {
    const targets = [...[...text.matchAll(INLINE)].map((match) => match[1]), DEFINITION.exec(text)?.[1]];
    for (const target of targets) if (target) links.push({ target, line });
  }
  return links.filter((link) => !SCHEME.test(link.target) && !link.target.startsWith("//"));
}

/**
 * GitHub's anchor for a heading: the rendered text lower-cased, everything but letters, marks,
 * digits, connector punctuation, spaces and hyphens removed, spaces made hyphens (the rule of
 * github-slugger, which GitHub uses; one regular expression, so no dependency for it).
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*|__|\*)/g, "")
    .trim();
  return rendered.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
}

/** The anchors of every ATX heading (`## …`), a repeated one numbered -1, -2 … as GitHub does. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown, false)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const ROOT = "file:///repo/";

/** `target` as written in `fromFile` (both relative to the repository), split into the repository path and the anchor. */
export function resolveLink(fromFile: string, target: string): { path: string; anchor: string | null } {
  const url = new URL(target, ROOT + fromFile);
  const anchor = url.hash ? decodeURIComponent(url.hash.slice(1)) : null;
  return { path: decodeURIComponent(url.pathname).slice(new URL(ROOT).pathname.length).replace(/\/$/, ""), anchor };
}

/**
 * Every link of `docs` (repository path → Markdown) that points at nothing: a path `exists`
 * denies, or an anchor that no heading of the Markdown file it names has. One line each, naming
 * the file, the line and the target.
 */
export function brokenLinks(docs: ReadonlyMap<string, string>, exists: (path: string) => boolean): string[] {
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (path: string): Set<string> => {
    const known = anchorsOf.get(path);
    if (known) return known;
    const found = headingAnchors(docs.get(path) ?? "");
    anchorsOf.set(path, found);
    return found;
  };
  const broken: string[] = [];
  for (const [file, markdown] of docs) {
    for (const { target, line } of relativeLinks(markdown)) {
      const { path, anchor } = resolveLink(file, target);
      if (!exists(path)) broken.push(`${file}:${line}: ${target} — no such file`);
      else if (anchor && path.endsWith(".md") && docs.has(path) && !anchors(path).has(anchor)) broken.push(`${file}:${line}: ${target} — no heading with the anchor #${anchor} in ${path}`);
    }
  }
  return broken;
}

/** The Markdown files of `docs` reachable by links from `start` (itself included). */
export function reachableFrom(start: string, docs: ReadonlyMap<string, string>): Set<string> {
  const reached = new Set([start]);
  const queue = [start];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const { target } of relativeLinks(docs.get(file) ?? "")) {
      const { path } = resolveLink(file, target);
      if (docs.has(path) && !reached.has(path)) {
        reached.add(path);
        queue.push(path);
      }
    }
  }
  return reached;
}
