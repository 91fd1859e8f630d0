/**
 * The variables an env file example lists, each written commented out (`# NAME=value`) so a copy
 * of it changes nothing until a line is uncommented. Pure: the caller reads the file.
 */
import { parseEnv as parseDotenv } from "node:util";

export type ListedVariable = { name: string; value: string; line: number };

// `# NAME=…` (a commented-out assignment) or `NAME=…`; prose comments never start with an upper-case name and `=`.
const ASSIGNMENT = /^(?:#\s?)?([A-Z][A-Z0-9_]*=.*)$/;

/** Every assignment in the file, in order (duplicates included), its value read as Node's .env parser reads it. */
export function listedVariables(text: string): ListedVariable[] {
  return text.split("\n").flatMap((raw, i) => {
    const assignment = ASSIGNMENT.exec(raw.trim())?.[1];
    if (assignment === undefined) return [];
    return Object.entries(parseDotenv(assignment)).map(([name, value]) => ({ name, value: value ?? "", line: i + 1 }));
  });
}
