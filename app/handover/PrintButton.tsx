"use client";

/** One click to the browser's print dialog; the page's print CSS lays it out on A4. */
export function PrintButton() {
  return (
    <button type="button" onClick={() => window.print()} className="rounded bg-accent px-[0.8rem] py-[0.2rem] font-bold text-wall-bg">
      打印 / Print
    </button>
  );
}
