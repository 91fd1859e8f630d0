"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseViewState, withView, type ViewState } from "@/lib/drill/routes";

/**
 * The view state in the URL (language, time range, map layer). Changes replace the
 * current history entry without a server round trip (Next follows replaceState), so the
 * back button goes to the previous view, not through every zoom.
 */
export function useView(): [ViewState, (change: Partial<ViewState>) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const view = useMemo(() => parseViewState(Object.fromEntries(params.entries())), [params]);
  const setView = useCallback((change: Partial<ViewState>) => window.history.replaceState(null, "", withView(pathname, { ...view, ...change })), [pathname, view]);
  return [view, setView];
}
