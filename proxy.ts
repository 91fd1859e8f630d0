import { NextResponse, type NextRequest } from "next/server";

/**
 * A path with a malformed %-escape (a mangled link) names no page: answer 400 saying so,
 * instead of the 500 Next gives when it fails to decode the route's parameters.
 */
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return new NextResponse("400 Bad Request: the path has a malformed %-escape\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}

export const config = { matcher: ["/((?!_next/|api/).*)"] };
