import type { ComponentProps } from "react";

export const buttonStyles = {
  base: "inline-flex min-h-10 items-center justify-center rounded-lg px-4 py-2 text-sm font-medium disabled:opacity-60",
  primary: "bg-brand-600 text-white hover:bg-brand-600/90",
  secondary: "border border-slate-300 bg-surface text-slate-800 hover:bg-slate-50",
  danger: "bg-red-600 text-white hover:bg-red-600/90",
} as const;

type Variant = Exclude<keyof typeof buttonStyles, "base">;

export function Button({
  variant = "primary",
  className = "",
  type = "button",
  ...props
}: ComponentProps<"button"> & { variant?: Variant }) {
  return <button {...props} type={type} className={`${buttonStyles.base} ${buttonStyles[variant]} ${className}`} />;
}
