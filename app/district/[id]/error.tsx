"use client";

import { DrillError } from "@/components/drill/PageStates";

export default function Error({ reset }: { error: Error; reset: () => void }) {
  return <DrillError reset={reset} />;
}
