/** Permission names as small monospace tags; "none" when there are none. */
export function PermissionList({ permissions, label = "Permissions" }: { permissions: readonly string[]; label?: string }) {
  if (permissions.length === 0) return <p className="text-xs text-slate-500">{label}: none</p>;
  return (
    <div className="flex flex-wrap items-center gap-1 text-xs">
      <span className="text-slate-500">{label}:</span>
      <ul className="contents">
        {permissions.map((permission) => (
          <li key={permission} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono break-all text-slate-700">
            {permission}
          </li>
        ))}
      </ul>
    </div>
  );
}
