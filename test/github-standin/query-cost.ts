// A query's rate-limit cost as GitHub documents it ("Rate limits and query
// limits for the GraphQL API"): add up the requests needed to fulfil each
// connection, assuming every one reaches its first or last limit (a connection
// nested under one asked for 100 items counts 100 times), divide by 100 and
// round; a query costs at least 1 point.
import {
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";

function intArgument(value: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const v = variables[value.name.value];
    return typeof v === "number" ? v : undefined;
  }
  return undefined;
}

/** The connection requests a query needs, before dividing by 100. */
export function connectionRequests(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const),
  );
  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType, multiplier: number): number => {
    let requests = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const onType = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (onType) requests += walk(selection.selectionSet, onType, multiplier);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const onType = fragment && schema.getType(fragment.typeCondition.name.value);
        if (fragment && onType) requests += walk(fragment.selectionSet, onType, multiplier);
      } else if (selection.selectionSet && (isObjectType(type) || isInterfaceType(type))) {
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        const fieldType = getNamedType(field.type);
        let childMultiplier = multiplier;
        if (fieldType.name.endsWith("Connection")) {
          requests += multiplier;
          const argument = (name: string) => selection.arguments?.find((a) => a.name.value === name)?.value;
          childMultiplier = multiplier * (intArgument(argument("first"), variables) ?? intArgument(argument("last"), variables) ?? 1);
        }
        requests += walk(selection.selectionSet, fieldType, childMultiplier);
      }
    }
    return requests;
  };
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const queryType = schema.getQueryType();
  return operation && queryType ? walk(operation.selectionSet, queryType, 1) : 0;
}

export function queryCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): number {
  return Math.max(1, Math.round(connectionRequests(schema, document, variables) / 100));
}
