/** What every resolver receives. Built fresh for each GraphQL request. */
export interface GraphQLContext {
  /** The request id, accepted from `x-request-id` or generated, and forwarded to the vendors. */
  requestId: string;
}
