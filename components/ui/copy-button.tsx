"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies `value` to the clipboard and says so (to screen readers too). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied(null), 2000);
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button variant="secondary" onClick={copy} aria-label={label} className="min-h-9 px-3 py-1">
        Copy
      </Button>
      <span role="status" className="text-xs text-slate-600">
        {copied === "yes" ? "Copied" : copied === "failed" ? "Select the text and copy it" : ""}
      </span>
    </span>
  );
}
