export declare const BUILD_INPUTS: string[];
export declare function buildIsStale(root: string): boolean;
