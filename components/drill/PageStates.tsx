"use client";

import { t, type MessageKey } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { NavLink } from "./NavLink";

/** Chinese first, English under it: these pages render before (or without) the view's language. */
function Both({ k, className }: { k: MessageKey; className?: string }) {
  return (
    <span className={className}>
      {t("zh", k)}
      <span className="ml-[0.6rem] text-ink-dim">{t("en", k)}</span>
    </span>
  );
}

export function DrillLoading() {
  return (
    <div role="status" aria-live="polite" className="flex h-screen items-center justify-center text-[1.5rem] text-ink-dim">
      <Both k="loading" />
    </div>
  );
}

export function DrillError({ reset }: { reset: () => void }) {
  return (
    <div role="alert" className="flex h-screen flex-col items-center justify-center gap-[1rem] text-[1.4rem]">
      <Both k="error.title" className="font-bold text-warn" />
      <div className="flex gap-[1rem] text-[1.1rem]">
        <button type="button" onClick={reset} className="rounded border border-panel-edge px-[0.6rem] py-[0.2rem] text-accent focus-visible:outline-2 focus-visible:outline-accent">
          <Both k="error.retry" />
        </button>
        <NavLink href="/" look="button" className="py-[0.2rem] text-accent">
          <Both k="notFound.back" />
        </NavLink>
      </div>
    </div>
  );
}

export function DrillNotFound() {
  return (
    <div data-testid={testIds.notFound} className="flex h-screen flex-col items-center justify-center gap-[1rem] text-center">
      <h1 className="text-[2.2rem] font-bold">
        404 · <Both k="notFound.title" />
      </h1>
      <p className="max-w-[40rem] text-[1.1rem] text-ink-dim">
        {t("zh", "notFound.body")}
        <br />
        {t("en", "notFound.body")}
      </p>
      <NavLink href="/" look="button" className="py-[0.2rem] text-[1.1rem] text-accent">
        <Both k="notFound.back" />
      </NavLink>
    </div>
  );
}
