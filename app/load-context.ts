// What the server passes every loader and action besides the request.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** the client's address (behind a proxy: as TRUST_PROXY allows), for rate limits */
    clientIp: string;
  }
}

export {};
