/** A titled panel; the page-level building block of every screen. */
export function Card({
  title,
  description,
  children,
}: {
  title?: string;
  description?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section className="rounded-xl border border-slate-200 bg-surface p-4 shadow-sm sm:p-6">
      {title && <h2 className={`text-lg font-semibold ${description ? "mb-1" : "mb-4"}`}>{title}</h2>}
      {description && <div className="mb-4 space-y-2 text-sm text-slate-600">{description}</div>}
      {children}
    </section>
  );
}
