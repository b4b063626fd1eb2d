"use client";

import { useCallback, useEffect, useLayoutEffect, useState } from "react";
import { flushSync } from "react-dom";

/**
 * Holds a just-issued secret (client secret, API key) in this component's
 * state only: never in a URL, cookie, storage or anything the server keeps.
 * It is forgotten when the page is hidden for good (`pagehide`: reload,
 * navigation, closing the tab, entering the back-forward cache — flushed
 * synchronously so no snapshot keeps it) and when the component unmounts or
 * is hidden by React's <Activity>. Switching tabs keeps it, so it can be
 * pasted elsewhere.
 */
export function useOneTimeSecret<T>() {
  const [value, setValue] = useState<T | null>(null);
  const clear = useCallback(() => setValue(null), []);

  useEffect(() => {
    const forget = () => flushSync(() => setValue(null));
    window.addEventListener("pagehide", forget);
    return () => window.removeEventListener("pagehide", forget);
  }, []);

  // Runs when the component is unmounted or hidden (Activity), before it disappears.
  useLayoutEffect(() => () => setValue(null), []);

  return [value, setValue, clear] as const;
}
