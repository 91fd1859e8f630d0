// The Node version check that runs first, at install (scripts/postinstall.mjs) and at every
// start: an older Node would fail later with errors that do not say why (process.loadEnvFile
// is not a function, a syntax error in a dependency). Plain JavaScript: it runs before any
// TypeScript tooling exists, and from the compiled bundles.
import { readFileSync } from "node:fs";

/**
 * What to tell whoever runs `found` (process.version) when it does not satisfy `required`
 * (package.json's engines.node, of the form ">=MAJOR.MINOR[.PATCH]"); null when it does.
 * @param {string} required
 * @param {string} found
 * @returns {string | null}
 */
export function nodeVersionProblem(required, found) {
  const wanted = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(required.trim());
  if (!wanted) throw new Error(`package.json engines.node is ${JSON.stringify(required)}: the check understands only ">=MAJOR.MINOR.PATCH"`);
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(found);
  if (!have) throw new Error(`cannot read a Node version from ${JSON.stringify(found)}`);
  const want = wanted.slice(1).map((part) => Number(part ?? 0));
  const got = have.slice(1).map(Number);
  const index = want.findIndex((part, i) => got[i] !== part);
  if (index === -1 || got[index] > want[index]) return null;
  return [
    `OneScreen needs Node.js ${required} (package.json "engines"), but this is Node.js ${found}.`,
    `Install Node.js ${want.join(".")} or newer (https://nodejs.org/en/download; with nvm: nvm install ${want[0]}, which takes the newest ${want[0]}.x), then run the command again.`,
  ].join("\n");
}

/**
 * Exits with status 1 and the explanation when this Node is too old; `command` names what stopped.
 * @param {string} command
 * @returns {void}
 */
export function checkNodeVersion(command) {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const problem = nodeVersionProblem(manifest.engines.node, process.version);
  if (problem === null) return;
  console.error(`[${command}] ${problem}\n[${command}] (the node that ran: ${process.execPath})`);
  process.exit(1);
}
