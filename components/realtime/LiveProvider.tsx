"use client";

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import type { Domain } from "@/lib/catalog";
import type { TSnapshot } from "@/lib/realtime/protocol";
import { LiveClient, realtimeUrl } from "./live-client";

const LiveContext = createContext<LiveClient | null>(null);

export function LiveProvider(props: {
  configuredUrl: string | null;
  realtimePort: number;
  domains: readonly Domain[];
  snapshot: TSnapshot | null;
  children: ReactNode;
}) {
  const [client] = useState(() => new LiveClient(props.snapshot));
  const { configuredUrl, realtimePort } = props;
  const domainsKey = props.domains.join(",");
  useEffect(() => {
    client.start(realtimeUrl(configuredUrl, realtimePort), domainsKey.split(",") as Domain[]);
    return () => client.stop();
  }, [client, configuredUrl, realtimePort, domainsKey]);
  return <LiveContext.Provider value={client}>{props.children}</LiveContext.Provider>;
}

/** The live client; the calling component re-renders whenever new data or a new second arrives. */
export function useLive(): LiveClient {
  const client = useContext(LiveContext);
  if (!client) throw new Error("useLive must be used inside <LiveProvider>");
  useSyncExternalStore(client.subscribe, client.getVersion, client.getVersion);
  return client;
}
