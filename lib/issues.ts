/** How a validation failure reads in a 400 answer or a rejected message. */
import { config, locales, type core } from "zod";

// zod/mini (the shared protocol) loads no messages of its own: name the locale here, where they are read.
config(locales.en());

/** "field: message; field: message": every bad field named; `whole` names the input itself when the path is empty. */
export function issuesMessage(error: core.$ZodError, whole = "query"): string {
  return error.issues.map((i) => `${i.path.join(".") || whole}: ${i.message}`).join("; ");
}
