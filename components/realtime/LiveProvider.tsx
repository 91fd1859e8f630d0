"use client";

import { useSearchParams } from "next/navigation";
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { replayFromUrl } from "@/lib/realtime/replay";
import type { TSnapshot, TSubscription } from "@/lib/realtime/protocol";
import { StalePanelsProvider } from "../wall/stale-panels";
import { LiveClient, realtimeUrl } from "./live-client";
import { Watchdog } from "./watchdog";

const LiveContext = createContext<LiveClient | null>(null);

export function LiveProvider(props: {
  configuredUrl: string | null;
  realtimePort: number;
  subscription: TSubscription;
  snapshot: TSnapshot | null;
  children: ReactNode;
}) {
  const searchParams = useSearchParams();
  // A replay in the URL is one from the first render: a wall opened on a replay never shows live alerts or data first.
  const [client] = useState(() => new LiveClient(props.snapshot, replayFromUrl(new URLSearchParams(searchParams.toString()))));
  const { configuredUrl, realtimePort } = props;
  // By content: a page re-rendering with an equal subscription keeps its socket.
  const subscriptionKey = JSON.stringify(props.subscription);
  useEffect(() => {
    client.start(realtimeUrl(configuredUrl, realtimePort), JSON.parse(subscriptionKey) as TSubscription);
    return () => client.stop();
  }, [client, configuredUrl, realtimePort, subscriptionKey]);
  return (
    <LiveContext.Provider value={client}>
      <StalePanelsProvider>
        <Watchdog client={client} />
        {props.children}
      </StalePanelsProvider>
    </LiveContext.Provider>
  );
}

/** The live client; the calling component re-renders whenever new data or a new second arrives. */
export function useLive(): LiveClient {
  const client = useContext(LiveContext);
  if (!client) throw new Error("useLive must be used inside <LiveProvider>");
  useSyncExternalStore(client.subscribe, client.getVersion, client.getVersion);
  return client;
}
