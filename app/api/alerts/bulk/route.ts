import type { NextRequest } from "next/server";
import { bulkAlertAction } from "../alert-action";

export const dynamic = "force-dynamic";

/** POST /api/alerts/bulk (form: `id` per selected alert, `action`, `comment`; or JSON `{ action, ids, comment? }`): operators and admins. */
export async function POST(request: NextRequest): Promise<Response> {
  return bulkAlertAction(request);
}
