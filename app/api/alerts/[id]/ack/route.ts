import type { NextRequest } from "next/server";
import { alertAction } from "../../alert-action";

export const dynamic = "force-dynamic";

/** POST /api/alerts/<id>/ack (form or JSON, optional `comment` ≤ 500 characters): operators and admins. */
export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return alertAction(request, (await params).id, "acknowledge");
}
