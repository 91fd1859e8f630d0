/** How a validation failure reads in a 400 answer or a rejected message. */
import type { z } from "zod";

/** "field: message; field: message": every bad field named; `whole` names the input itself when the path is empty. */
export function issuesMessage(error: z.ZodError, whole = "query"): string {
  return error.issues.map((i) => `${i.path.join(".") || whole}: ${i.message}`).join("; ");
}
