import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dialectOf, redactPassword, sqliteFilePath } from '../../../core/db/database-url.ts';

describe('DATABASE_URL', () => {
  it('chooses the engine by its scheme', () => {
    expect(dialectOf('file:./data/showroom.db')).toBe('sqlite');
    expect(dialectOf('postgres://shop@db:5432/showroom')).toBe('postgresql');
    expect(dialectOf('postgresql://shop:pw@db/showroom?sslmode=require')).toBe('postgresql');
    expect(sqliteFilePath('file:./data/showroom.db')).toBe('./data/showroom.db');
  });

  it('refuses any other URL with what to write instead, never echoing a password', () => {
    fc.assert(
      fc.property(fc.constantFrom('mysql', 'postgre', 'http', 'sqlite', 'FILE'), fc.stringMatching(/^[A-Za-z0-9_.~!$&'()*+,;=%-]{6,20}$/), (scheme, password) => {
        const url = `${scheme}://shop:${password}@db.example:5432/showroom`;
        let message = '';
        try {
          dialectOf(url);
        } catch (error) {
          message = (error as Error).message;
        }
        expect(message).toMatch(/expected file:<path> for SQLite or postgresql:\/\/user@host:5432\/db for PostgreSQL/);
        expect(message).not.toContain(password);
      }),
    );
  });

  it('redacts only the password', () => {
    expect(redactPassword('postgresql://shop:s3cr:et@db/showroom')).toBe('postgresql://shop:***@db/showroom');
    expect(redactPassword('postgresql://shop@db/showroom')).toBe('postgresql://shop@db/showroom');
    expect(redactPassword('file:./data/showroom.db')).toBe('file:./data/showroom.db');
  });
});
