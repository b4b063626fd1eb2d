import type { Metadata, Viewport } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Connected Apps", template: "%s · Connected Apps" },
  description: "A self-hostable OAuth 2.1 and OpenID Connect identity provider.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only rounded-lg bg-surface px-4 py-2 text-sm font-medium text-brand-700 shadow ring-2 ring-brand-600 focus:not-sr-only focus:absolute focus:top-3 focus:left-4 focus:z-50"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-surface">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between px-4 py-3">
            <Link href="/" className="font-semibold text-slate-900">
              Connected Apps
            </Link>
            <Link href="/account" className="text-sm text-slate-600 hover:text-slate-900">
              Account
            </Link>
          </nav>
        </header>
        {/* tabIndex: the skip link moves keyboard focus here, not only the scroll position. */}
        <main id="main" tabIndex={-1} className="mx-auto max-w-5xl px-4 py-8 focus:outline-none">
          {children}
        </main>
      </body>
    </html>
  );
}
