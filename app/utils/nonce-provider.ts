// The CSP nonce of the response being rendered (entry.server.tsx provides it from the load
// context), for the inline scripts Remix renders. In the browser there is none: those scripts
// have run already, and the browser hides a nonce from the page anyway.
import { createContext, useContext } from "react";

const NonceContext = createContext<string | undefined>(undefined);

export const NonceProvider = NonceContext.Provider;

export const useNonce = () => useContext(NonceContext);
