import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { isDomain } from "@/lib/drill/routes";

/** Checked here, above the loading boundary: a page streaming its loading state could no longer answer 404. */
export default async function DomainLayout({ params, children }: { params: Promise<{ domain: string }>; children: ReactNode }) {
  if (!isDomain((await params).domain)) notFound();
  return children;
}
