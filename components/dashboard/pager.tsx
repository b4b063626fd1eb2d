import Link from "next/link";

/** Cursor paging links under a list: back to the first page, and on to the next one. */
export function Pager({
  cursor,
  nextCursor,
  href,
  labels = { first: "← First page", next: "Next page →" },
}: {
  cursor: string | null | undefined;
  nextCursor: string | null;
  href: (cursor: string | null) => string;
  labels?: { first: string; next: string };
}) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap justify-between gap-2 border-t border-slate-100 pt-4 text-sm">
      {cursor ? (
        <Link href={href(null)} className="text-brand-700 underline">
          {labels.first}
        </Link>
      ) : (
        <span />
      )}
      {nextCursor && (
        <Link href={href(nextCursor)} className="text-brand-700 underline" rel="next">
          {labels.next}
        </Link>
      )}
    </nav>
  );
}
