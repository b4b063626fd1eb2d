/** A message announced to screen readers when it appears. */
export function Alert({ tone = "error", children }: { tone?: "error" | "info"; children: React.ReactNode }) {
  const color =
    tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-blue-200 bg-blue-50 text-blue-800";
  return (
    <p role={tone === "error" ? "alert" : "status"} className={`rounded-lg border px-3 py-2 text-sm ${color}`}>
      {children}
    </p>
  );
}
