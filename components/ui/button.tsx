"use client";

import type { ComponentProps } from "react";
import { buttonStyles } from "./button-styles";
import { useHydrated } from "./use-hydrated";

type Variant = Exclude<keyof typeof buttonStyles, "base">;

export function Button({
  variant = "primary",
  className = "",
  type = "button",
  ...props
}: ComponentProps<"button"> & { variant?: Variant }) {
  // A click handler does nothing before React hydrates (a dialog that does not open, a click lost): such buttons wait.
  const hydrated = useHydrated();
  const inert = type === "button" && props.onClick !== undefined && !hydrated;
  return (
    <button {...props} disabled={props.disabled || inert} type={type} className={`${buttonStyles.base} ${buttonStyles[variant]} ${className}`} />
  );
}
