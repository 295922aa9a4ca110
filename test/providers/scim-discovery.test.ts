
describe('gaps read from what a service says about itself', () => {
  const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
  const user = (extensions: string[]) => ({ name: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User', schemaExtensions: extensions.map((schema) => ({ schema })) });
  const group = { name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group' };
  const features = (d: Parameters<typeof gapsOf>[0]) => gapsOf(d).map((g) => g.feature);

  it('an enterprise extension without department lacks only departments', () => {
    expect(features({ config: {}, resourceTypes: [user([ENTERPRISE]), group], schemas: [{ id: ENTERPRISE, attributes: [{ name: 'Organization' }] }] })).toEqual(['departments']);
  });

  it('the extension listed by either endpoint counts as there', () => {
    expect(features({ config: {}, resourceTypes: [user([]), group], schemas: [{ id: ENTERPRISE }] })).toEqual([]);
    expect(features({ config: {}, resourceTypes: [user([ENTERPRISE]), group], schemas: [] })).toEqual([]);
    expect(features({ config: {}, resourceTypes: null, schemas: [] })).toEqual(['departments', 'user organizations']);
  });

  it('nothing said is nothing missing; PATCH missing only when said so', () => {
    expect(features({ config: {}, resourceTypes: null, schemas: null })).toEqual([]);
    expect(features({ config: { patch: { supported: false } }, resourceTypes: null, schemas: null })).toEqual(['updates']);
  });
});
