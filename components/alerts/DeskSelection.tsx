"use client";
/**
 * The desk's selection and its bulk bar. Without script it is still a plain form: each row's
 * checkbox belongs to the bar's form (`form=`), which posts every ticked `id` with one comment
 * and the button pressed. With script the bar counts the selection, sends it as JSON and
 * refreshes the page in place; alerts that leave the page leave the selection.
 */
import { useRouter } from "next/navigation";
import { createContext, useContext, useState, type FormEvent, type ReactNode } from "react";
import type { Lang } from "@/lib/i18n";

const FORM_ID = "desk-bulk";

const WORDS = {
  selected: { zh: "已选 {n} 条", en: "{n} selected" },
  pageAll: { zh: "本页全选", en: "Select this page" },
  comment: { zh: "批量备注（可选，随确认或解除保存）", en: "Comment (optional, kept with the acknowledgement or resolution)" },
  ack: { zh: "批量确认", en: "Acknowledge selected" },
  resolve: { zh: "批量解除", en: "Resolve selected" },
  select: { zh: "选择", en: "Select" },
  done: { zh: "✓ 已处理 {n} 条", en: "✓ {n} done" },
} as const;

type Selection = { selected: ReadonlySet<string>; ids: readonly string[]; set(ids: readonly string[], on: boolean): void; clear(): void };
const SelectionContext = createContext<Selection | null>(null);

function useSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error("inside <DeskSelection> only");
  return selection;
}

/** `ids`: the alerts on this page; a selected alert no longer among them is dropped. */
export function DeskSelection({ ids, children }: { ids: readonly string[]; children: ReactNode }) {
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const selected = new Set(ids.filter((id) => chosen.has(id)));
  const value: Selection = {
    selected,
    ids,
    set: (some, on) =>
      setChosen((before) => {
        const next = new Set([...before].filter((id) => ids.includes(id)));
        for (const id of some) if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    clear: () => setChosen(new Set()),
  };
  return <SelectionContext.Provider value={value}>{children}</SelectionContext.Provider>;
}

export function SelectBox({ id, label, lang }: { id: string; label: string; lang: Lang }) {
  const { selected, set } = useSelection();
  return (
    <input
      type="checkbox"
      name="id"
      value={id}
      form={FORM_ID}
      checked={selected.has(id)}
      onChange={(e) => set([id], e.target.checked)}
      aria-label={`${WORDS.select[lang]} ${label}`}
      data-testid="desk-select"
      className="size-[1.2rem] accent-[var(--color-accent)]"
    />
  );
}

export function BulkBar({ lang, next, mayResolve }: { lang: Lang; next: string; mayResolve: boolean }) {
  const router = useRouter();
  const { selected, ids, set, clear } = useSelection();
  const [comment, setComment] = useState("");
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const say = (key: keyof typeof WORDS, n = 0) => WORDS[key][lang].replace("{n}", String(n));
  const allOnPage = ids.length > 0 && ids.every((id) => selected.has(id));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const action = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    setBusy(true);
    try {
      const res = await fetch("/api/alerts/bulk", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action, ids: [...selected], ...(comment.trim() ? { comment } : {}) }),
      });
      const body = (await res.json().catch(() => ({}))) as { error?: string; alerts?: unknown[] };
      if (res.ok) {
        setSaid({ ok: true, text: say("done", body.alerts?.length ?? selected.size) });
        clear();
        setComment("");
        router.refresh();
      } else {
        setSaid({ ok: false, text: `✕ ${body.error ?? `HTTP ${res.status}`}` });
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      id={FORM_ID}
      method="post"
      action="/api/alerts/bulk"
      onSubmit={(e) => void submit(e)}
      data-testid="bulk-bar"
      className="sticky top-0 z-10 flex flex-wrap items-center gap-[0.8rem] rounded border border-panel-edge bg-panel p-[0.6rem]"
    >
      <input type="hidden" name="next" value={next} />
      <label className="flex items-center gap-[0.4rem]">
        <input type="checkbox" checked={allOnPage} onChange={(e) => set(ids, e.target.checked)} className="size-[1.2rem] accent-[var(--color-accent)]" />
        {say("pageAll")}
      </label>
      <b data-testid="bulk-count">{say("selected", selected.size)}</b>
      <input
        name="comment"
        maxLength={500}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        placeholder={say("comment")}
        aria-label={say("comment")}
        className="min-w-[20rem] flex-1 rounded border border-panel-edge bg-wall-bg px-[0.5rem] py-[0.2rem] text-ink"
      />
      <button type="submit" name="action" value="acknowledge" disabled={busy} className="rounded bg-accent px-[0.8rem] py-[0.2rem] font-bold text-wall-bg disabled:opacity-50">
        {say("ack")}
      </button>
      {mayResolve && (
        <button type="submit" name="action" value="resolve" disabled={busy} className="rounded border border-ok px-[0.8rem] py-[0.2rem] font-bold text-ok disabled:opacity-50">
          {say("resolve")}
        </button>
      )}
      {said && (
        <span role={said.ok ? "status" : "alert"} className={`font-bold ${said.ok ? "text-ok" : "text-crit"}`}>
          {said.text}
        </span>
      )}
    </form>
  );
}
