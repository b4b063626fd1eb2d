import Link from "next/link";
import { buttonStyles } from "./button-styles";

/** A link styled as a button (navigation, not an action). */
export function LinkButton({
  href,
  variant = "primary",
  children,
}: {
  href: string;
  variant?: "primary" | "secondary";
  children: React.ReactNode;
}) {
  return (
    <Link href={href} className={`${buttonStyles.base} ${buttonStyles[variant]}`}>
      {children}
    </Link>
  );
}
