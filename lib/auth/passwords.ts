/**
 * Which passwords a user may choose: long enough (scrypt makes each guess cost, the length
 * makes there be many), not one of the commonest (the first guesses of every attacker), and
 * not built from the user's own name. Pure; used where users are created and passwords set.
 */
import { COMMON_PASSWORDS } from "./common-passwords";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./roles";

let common: Set<string> | null = null;

/** The list, lower-cased, with each entry also stripped of the digits and symbols at its ends. */
function commonSet(): Set<string> {
  common ??= new Set(COMMON_PASSWORDS.split("\n").flatMap((entry) => [entry.toLowerCase(), core(entry)]).filter(Boolean));
  return common;
}

/** A password without the digits, symbols and spaces around it: "Dragon2024!" is "dragon". */
function core(password: string): string {
  return password.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, "");
}

/** One short run typed over and over ("abcabcabcabc", "111111111111"), or a run of consecutive digits ("123456789012"). */
function trivial(password: string): boolean {
  const lower = password.toLowerCase();
  if (/^(.{1,4})\1+$/su.test(lower)) return true;
  return /^\d+$/.test(lower) && ("01234567890123456789".repeat(2).includes(lower) || "98765432109876543210".repeat(2).includes(lower));
}

/** Why a password is refused for user `name`, or null when it will do. The message names the field. */
export function passwordProblem(password: string, name: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `password: must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `password: must be at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.toLowerCase();
  // Names of one or two letters ("ab") would forbid half the dictionary, and guess nothing.
  if (name.length >= 3 && lower.includes(name.toLowerCase())) return `password: must not contain the user name (${name})`;
  const words = commonSet();
  if (words.has(lower) || words.has(core(password)) || trivial(password)) {
    return "password: is one of the 10,000 most common passwords, or one with digits or symbols added, or a repeated pattern; choose another (a few unrelated words make a good one)";
  }
  return null;
}
