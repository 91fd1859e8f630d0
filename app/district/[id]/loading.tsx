import { DrillLoading } from "@/components/drill/PageStates";

export default function Loading() {
  return <DrillLoading />;
}
