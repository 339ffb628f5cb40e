import { buildSchema, parse, validate } from 'graphql';
import { queryLimitRules } from './query-limits';

const schema = buildSchema(`
  type Node { id: ID! child: Node name: String }
  type Query { node: Node nodes: [Node!]! }
`);
const errors = (document: string, limits = { maxDepth: 4, maxAliases: 2, maxComplexity: 8 }) =>
  validate(schema, parse(document), queryLimitRules(limits)).map((error) => error.message);

describe('query limits', () => {
  it('lets a query within every limit through', () => {
    expect(errors('query Fine { node { id child { id } } }')).toEqual([]);
  });

  it('refuses depth past the limit, fragments expanded, naming the variable', () => {
    expect(errors('query Deep { node { child { child { child { id } } } } }')).toEqual([
      'Deep: query depth 5 exceeds the limit of 4 (GATEWAY_MAX_DEPTH)',
    ]);
    expect(
      errors('query Hidden { node { ...Down } } fragment Down on Node { child { child { child { id } } } }'),
    ).toEqual(['Hidden: query depth 5 exceeds the limit of 4 (GATEWAY_MAX_DEPTH)']);
  });

  it('refuses too many aliases and too many fields', () => {
    expect(errors('query Many { a: node { id } b: node { id } c: node { id } }')).toEqual([
      'Many: 3 aliases exceed the limit of 2 (GATEWAY_MAX_ALIASES)',
    ]);
    expect(errors('query Wide { node { id name child { id name child { id name } } } nodes { id } }')).toEqual([
      'Wide: 11 selected fields exceed the complexity limit of 8 (GATEWAY_MAX_COMPLEXITY)',
    ]);
  });

  it('leaves introspection to its own switch', () => {
    expect(errors('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }')).toEqual([]);
  });
});
