import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";
import { Kiosk } from "@/components/kiosk/Kiosk";
import { ReplayAttentionProvider } from "@/components/kiosk/replay-attention";
import "./globals.css";

export const metadata: Metadata = {
  title: "深圳城市运行一屏统览 · OneScreen",
  description: "Shenzhen city operations wall: traffic, parking, health network and broadband, live.",
};

export const viewport: Viewport = { themeColor: "#050b18" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page, the 404 too, is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="zh-CN">
      <body>
        <ReplayAttentionProvider>
          {children}
          {/* Reads the query: under Suspense so pages still render on the server without it. */}
          <Suspense fallback={null}>
            <Kiosk />
          </Suspense>
        </ReplayAttentionProvider>
      </body>
    </html>
  );
}
