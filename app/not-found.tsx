import { DrillNotFound } from "@/components/drill/PageStates";

export default function NotFound() {
  return <DrillNotFound />;
}
