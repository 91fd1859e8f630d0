import type { NextRequest } from "next/server";
import { alertAction } from "../../alert-action";

export const dynamic = "force-dynamic";

/** POST /api/alerts/<id>/resolve: operators and admins resolve by hand. */
export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return alertAction(request, (await params).id, "resolve");
}
