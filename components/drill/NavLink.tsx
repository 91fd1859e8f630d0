import Link from "next/link";
import type { ReactNode } from "react";

const LOOK = {
  text: "rounded text-accent hover:underline",
  button: "rounded border border-panel-edge px-[0.6rem] text-ink-dim hover:text-ink",
} as const;

/**
 * Every link of the product. Never prefetched: a wall nobody touches would otherwise
 * fetch every linked view (and make the server render each) just for being on screen,
 * and each view shows its loading state at once anyway.
 */
/** `chrome`: a control for people at a desk, hidden on a kiosk wall (html[data-kiosk] in globals.css). */
export function NavLink(props: { href: string; look?: keyof typeof LOOK; className?: string; testId?: string; chrome?: boolean; children: ReactNode }) {
  return (
    <Link
      href={props.href}
      prefetch={false}
      data-testid={props.testId}
      data-chrome={props.chrome ? "" : undefined}
      className={`${LOOK[props.look ?? "text"]} focus-visible:outline-2 focus-visible:outline-accent ${props.className ?? ""}`}
    >
      {props.children}
    </Link>
  );
}
