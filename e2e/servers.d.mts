export declare const E2E_PORT: number;
export declare const OWNER: { email: string; password: string };
export declare const FRESH_SERVER_LOG: string;
export declare const E2E_API_KEY_FILE: string;
export declare const E2E_REVOKED_API_KEY_FILE: string;
export declare function e2eDataDir(port: number): string;
