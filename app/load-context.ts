// What the server passes every loader and action besides the request.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** the client's address (behind a proxy: as TRUST_PROXY allows), for rate limits */
    clientIp: string;
    /** this response's Content-Security-Policy nonce, for the inline scripts Remix renders */
    cspNonce?: string;
    /** what the server learns while Remix answers (entry.server's handleError fills it in) */
    requestState?: { databaseUnavailable: boolean };
  }
}

export {};
