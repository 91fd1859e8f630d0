/**
 * Moved sections stay reachable: every relative link and anchor in the README, BENCHMARKS.md and
 * docs/ points at something, and every page under docs/ is reached from the README.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { brokenLinks, githubSlug, headingAnchors, reachableFrom, relativeLinks, resolveLink } from "./markdown";

const ROOT = join(import.meta.dirname, "..", "..");

function markdownUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".md"))
    .map((file) => relative(ROOT, join(ROOT, dir, file)));
}

function repositoryDocs(): Map<string, string> {
  const files = ["README.md", "BENCHMARKS.md", ...markdownUnder("docs")];
  return new Map(files.map((file) => [file, readFileSync(join(ROOT, file), "utf8")]));
}

describe("markdown links", () => {
  it("finds relative links and images, not URLs or links shown as code", () => {
    const markdown = ["See [ops](docs/operations.md#security) and ![wall](docs/a.png).", "`[not](a.md)` [web](https://example.org) [mail](mailto:x@y)", "```", "[fenced](b.md)", "```", "[ref]: ../LICENSE"].join("\n");
    expect(relativeLinks(markdown)).toEqual([
      { target: "docs/operations.md#security", line: 1 },
      { target: "docs/a.png", line: 1 },
      { target: "../LICENSE", line: 6 },
    ]);
  });

  it("makes GitHub's anchors", () => {
    expect(githubSlug("Several side servers (PostgreSQL + Redis)")).toBe("several-side-servers-postgresql--redis");
    expect(githubSlug("`idempotency`: memory under a flood")).toBe("idempotency-memory-under-a-flood");
    expect(githubSlug("Drills (演练)")).toBe("drills-演练");
    expect(githubSlug("People: sign-in, roles, acknowledgement")).toBe("people-sign-in-roles-acknowledgement");
    expect([...headingAnchors("# A\n## Tests\n```\n## Not a heading\n```\n### Tests")]).toEqual(["a", "tests", "tests-1"]);
  });

  it("resolves a link against the file it is in", () => {
    expect(resolveLink("docs/wall.md", "operations.md#drills-%E6%BC%94%E7%BB%83")).toEqual({ path: "docs/operations.md", anchor: "drills-演练" });
    expect(resolveLink("docs/wall.md", "../BENCHMARKS.md")).toEqual({ path: "BENCHMARKS.md", anchor: null });
    expect(resolveLink("docs/wall.md", "#kiosk")).toEqual({ path: "docs/wall.md", anchor: "kiosk" });
    expect(resolveLink("docs/README.md", "screenshots/")).toEqual({ path: "docs/screenshots", anchor: null });
  });

  it("names a missing file and a missing anchor", () => {
    const docs = new Map([
      ["README.md", "[ops](docs/ops.md#security) [gone](docs/gone.md) [bad](docs/ops.md#nowhere)"],
      ["docs/ops.md", "# Ops\n## Security\n[back](../README.md#nope)"],
    ]);
    expect(brokenLinks(docs, (path) => docs.has(path))).toEqual([
      "README.md:1: docs/gone.md — no such file",
      "README.md:1: docs/ops.md#nowhere — no heading with the anchor #nowhere in docs/ops.md",
      "docs/ops.md:3: ../README.md#nope — no heading with the anchor #nope in README.md",
    ]);
    expect([...reachableFrom("README.md", docs)]).toEqual(["README.md", "docs/ops.md"]);
  });
});

describe("the repository's documentation", () => {
  const docs = repositoryDocs();

  it("has no broken relative link or anchor", () => {
    expect(brokenLinks(docs, (path) => existsSync(join(ROOT, path)))).toEqual([]);
  });

  it("reaches every page under docs/ from the README", () => {
    const reached = reachableFrom("README.md", docs);
    expect([...docs.keys()].filter((file) => !reached.has(file))).toEqual([]);
  });
});
