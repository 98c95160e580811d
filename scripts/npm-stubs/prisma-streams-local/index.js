// Stands in for @prisma/streams-local, which only `prisma dev` (Prisma's local development
// server) loads. Liqdesk runs its own embedded PostgreSQL instead (package.json "overrides").
export async function startLocalDurableStreamsServer() {
  throw new Error("`prisma dev` is not available in Liqdesk (@prisma/streams-local is replaced by a stub, see package.json overrides): `npm start` runs an embedded PostgreSQL");
}
