import { describe, expect, it } from 'vitest';
import { renderPostgresSchema } from '../../../core/db/postgres-schema.ts';

const schema = `generator client {
  provider     = "prisma-client"
  output       = "../core/db/generated"
  moduleFormat = "esm"
}

datasource db {
  provider = "sqlite"
}

model Lead {
  id    String @id @default(cuid())
  score Int
}
`;

describe('renderPostgresSchema', () => {
  it('changes only the provider and the client folder, keeping every model as written', () => {
    const rendered = renderPostgresSchema(schema);
    expect(rendered).toContain('provider = "postgresql"');
    expect(rendered).toContain('output       = "../../core/db/generated-postgres"');
    expect(rendered).toMatch(/^\/\/ GENERATED from prisma\/schema\.prisma/);
    const unchanged = (text: string) => text.replace(/^\/\/.*\n/gm, '').replace('"postgresql"', '"sqlite"').replace('../../core/db/generated-postgres', '../core/db/generated');
    expect(unchanged(rendered)).toBe(schema);
  });

  it('refuses native type attributes, naming the line', () => {
    expect(() => renderPostgresSchema(schema.replace('score Int', 'score Decimal @db.Decimal(10, 2)'))).toThrow(/native type.*score Decimal @db\.Decimal\(10, 2\)/);
  });

  it('refuses a schema whose datasource or client folder it does not recognise', () => {
    expect(() => renderPostgresSchema(schema.replace('"sqlite"', '"mysql"'))).toThrow(/exactly one a datasource db with provider = "sqlite" \(found 0\)/);
    expect(() => renderPostgresSchema(schema.replace('../core/db/generated', '../elsewhere'))).toThrow(/output = "..\/core\/db\/generated" \(found 0\)/);
  });
});
