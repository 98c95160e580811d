// "server-only" throws when bundled for the client; under Vitest (Node) there is no client bundle.
export {};
