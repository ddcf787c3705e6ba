/**
 * Renders the PostgreSQL schema from `prisma/schema.prisma`, the one source of truth for the
 * models: the same text with the datasource's provider and the generated client's folder
 * changed, so every model, field, index and enum is the same on both engines by construction.
 * `npm run db:migration` writes the result to `prisma/postgres/schema.prisma`; a test checks
 * that the committed file is what this renders.
 *
 * Native type attributes (`@db.…`) are refused: they are provider-specific, and Prisma's
 * defaults (TEXT; `timestamp(3)` on PostgreSQL, milliseconds like JavaScript's Date) suit both.
 */
export function renderPostgresSchema(sqliteSchema: string): string {
  const nativeType = /^.*@db\.\w+.*$/m.exec(sqliteSchema);
  if (nativeType) {
    throw new Error(`prisma/schema.prisma: native type attributes are provider-specific and cannot be rendered for PostgreSQL; remove it: ${nativeType[0].trim()}`);
  }
  const withProvider = replaceOnce(sqliteSchema, /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"', 'a datasource db with provider = "sqlite"');
  const withOutput = replaceOnce(withProvider, /(generator\s+client\s*\{[^}]*output\s*=\s*)"\.\.\/core\/db\/generated"/, '$1"../../core/db/generated-postgres"', 'a generator client with output = "../core/db/generated"');
  return `${HEADER}\n${withOutput}`;
}

const HEADER = [
  '// GENERATED from prisma/schema.prisma by `npm run db:migration`; do not edit. Only the',
  "// datasource's provider and the client's output folder differ. PostgreSQL through @prisma/adapter-pg.",
].join('\n');

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, 'g')) ?? [];
  if (matches.length !== 1) throw new Error(`prisma/schema.prisma must have exactly one ${what} (found ${matches.length})`);
  return text.replace(pattern, replacement);
}
