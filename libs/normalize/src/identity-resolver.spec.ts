import { IdentityResolver, validateIdentityAliases } from './identity-resolver';

describe('IdentityResolver', () => {
  const resolver = new IdentityResolver({ 'Ada@Example.com': ['ada@old-job.org', 'ADA.L@example.com'] });

  it('lower-cases and trims emails, and maps aliases to the primary identity', () => {
    expect(resolver.resolve('  ADA@example.com ')).toEqual({
      id: 'identity:ada@example.com',
      primaryEmail: 'ada@example.com',
    });
    expect(resolver.resolve('Ada@Old-Job.org').id).toBe('identity:ada@example.com');
    expect(resolver.resolve('ada.l@example.com').id).toBe('identity:ada@example.com');
  });

  it('treats unknown emails as their own identity', () => {
    expect(resolver.resolve('Bob@Example.com')).toEqual({
      id: 'identity:bob@example.com',
      primaryEmail: 'bob@example.com',
    });
  });

  it('lists every known address of an identity', () => {
    expect(resolver.aliasesOf('ada@example.com').sort()).toEqual([
      'ada.l@example.com',
      'ada@example.com',
      'ada@old-job.org',
    ]);
  });

  it('validates the alias configuration shape', () => {
    expect(validateIdentityAliases({ 'a@x': ['b@y'] })).toBeUndefined();
    expect(validateIdentityAliases(['a@x'])).toMatch(/JSON object/);
    expect(validateIdentityAliases({ 'a@x': 'b@y' })).toMatch(/"a@x" must be an array/);
  });
});
