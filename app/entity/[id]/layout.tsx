import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DOMAIN_OF_KIND, entityOfSegment, entityPath } from "@/lib/drill/routes";

/**
 * Checked here, above the loading boundary: a page streaming its loading state could no
 * longer answer 404 or redirect. The city is the wall and a district has its own view.
 */
export default async function EntityLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  const entity = entityOfSegment((await params).id);
  if (!entity) notFound();
  if (!DOMAIN_OF_KIND[entity.kind]) redirect(entityPath(entity));
  return children;
}
