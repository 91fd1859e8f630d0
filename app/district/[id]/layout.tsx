import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { districtOf } from "@/lib/drill/routes";

/** Checked here, above the loading boundary: a page streaming its loading state could no longer answer 404. */
export default async function DistrictLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  if (!districtOf((await params).id)) notFound();
  return children;
}
