export function nodeVersionProblem(required: string, found: string): string | null;
export function checkNodeVersion(command: string): void;
