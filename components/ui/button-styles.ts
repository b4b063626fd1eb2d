// The button look, shared by <Button> (a client component) and links or server-rendered buttons that look like one.
export const buttonStyles = {
  base: "inline-flex min-h-10 items-center justify-center rounded-lg px-4 py-2 text-sm font-medium disabled:opacity-60",
  primary: "bg-brand-600 text-white hover:bg-brand-600/90",
  secondary: "border border-slate-300 bg-surface text-slate-800 hover:bg-slate-50",
  danger: "bg-red-600 text-white hover:bg-red-600/90",
} as const;
