/**
 * The cross-vendor links target (d) adds to the composed vendor schemas: Mesh's own mechanism,
 * additional type definitions whose fields carry `@resolveTo` (compose-cli marks them
 * `@additionalField`, and Hive Gateway resolves them by delegating to the named source field).
 * Everything here is declarative; README.md lists what this mechanism cannot say.
 *
 * Two Mesh rules shape the SDL below:
 * - `sourceArgs` values are strings (a number is silently dropped), and a string that is one
 *   `{args.x}` placeholder passes the value through with its type. So numeric constants (page
 *   sizes) are arguments of the link with a default, handed on as `{args.x}`.
 * - A link that projects into the source's answer with `result:` loses the
 *   `requiredSelectionSet` of links nested under it (the connection's `source` got no
 *   `sourceEntityId`), so links return the vendor's own wrapper type instead. The one exception
 *   is the keyed batch link, which needs `result:` to match answers to keys.
 *
 * Page sizes are each vendor's maximum (Zuora 300, m3ter 200, Rev.io 500): Mesh reads one page
 * and does not follow `nextPage`, `nextToken` or `has_more`.
 */

/** Values known only at start-up, baked into the SDL because `sourceArgs` cannot read config. */
export interface LinkTypeDefsOptions {
  /** m3ter paths carry the org id; a link cannot take it from the request. */
  m3terOrgId: string;
}

export function linkTypeDefs({ m3terOrgId }: LinkTypeDefsOptions): string {
  const orgId = JSON.stringify(m3terOrgId);
  return /* GraphQL */ `
    extend type GETEntitiesType {
      "This entity's connections, both directions unless \`type\` says: one Zuora call acting as this entity (legacy \`entityId\` header)."
      connections(type: queryInput_GET_EntityConnections_type, pageSize: Int = 300): GETEntityConnectionsResponseType
        @resolveTo(
          sourceName: "zuora"
          sourceTypeName: "Query"
          sourceFieldName: "GET_EntityConnections"
          requiredSelectionSet: "{ id }"
          sourceArgs: { entityId: "{root.id}", type: "{args.type}", pageSize: "{args.pageSize}" }
        )
      "m3ter mappings whose external record is this entity (system Zuora, table Entity)."
      m3terMappings(pageSize: Int = 200): PaginatedExternalMappingResponseData
        @resolveTo(
          sourceName: "m3ter"
          sourceTypeName: "Query"
          sourceFieldName: "ListExternalMappingsForExternalSystemAndEntity"
          requiredSelectionSet: "{ id }"
          sourceArgs: { orgId: ${orgId}, system: "Zuora", externalTable: "Entity", externalId: "{root.id}", pageSize: "{args.pageSize}" }
        )
      "Rev.io key links whose external id is this entity's id (any system: Rev.io filters systems by numeric id only)."
      revioKeyLinks(pageSize: Int = 500): IntegrationKeyLinkCollection
        @resolveTo(
          sourceName: "revio"
          sourceTypeName: "Query"
          sourceFieldName: "listIntegrationKeyLinks"
          requiredSelectionSet: "{ id }"
          sourceArgs: { search_external_id: "{root.id}", search_page_size: "{args.pageSize}" }
        )
    }

    extend type GETEntityConnectionsArrayItemsType {
      "One GET /v1/entities/{id} per connection end: the spec has no by-ids read to batch with."
      source: GETEntitiesResponseTypeWithId
        @resolveTo(
          sourceName: "zuora"
          sourceTypeName: "Query"
          sourceFieldName: "GET_EntityById"
          requiredSelectionSet: "{ sourceEntityId }"
          sourceArgs: { id: "{root.sourceEntityId}" }
        )
      target: GETEntitiesResponseTypeWithId
        @resolveTo(
          sourceName: "zuora"
          sourceTypeName: "Query"
          sourceFieldName: "GET_EntityById"
          requiredSelectionSet: "{ targetEntityId }"
          sourceArgs: { id: "{root.targetEntityId}" }
        )
    }

    extend type ExternalMappingResponse {
      "The Zuora entity named by \`externalId\`. Unconditional: ask for it only when \`externalSystem\` is Zuora (e.g. with @include)."
      zuoraEntity: GETEntitiesResponseTypeWithId
        @resolveTo(
          sourceName: "zuora"
          sourceTypeName: "Query"
          sourceFieldName: "GET_EntityById"
          requiredSelectionSet: "{ externalId }"
          sourceArgs: { id: "{root.externalId}" }
        )
      "Rev.io key links with the same external id (any system, matched case-insensitively by Rev.io)."
      revioKeyLinks(pageSize: Int = 500): IntegrationKeyLinkCollection
        @resolveTo(
          sourceName: "revio"
          sourceTypeName: "Query"
          sourceFieldName: "listIntegrationKeyLinks"
          requiredSelectionSet: "{ externalId }"
          sourceArgs: { search_external_id: "{root.externalId}", search_page_size: "{args.pageSize}" }
        )
    }

    extend type IntegrationKeyLink {
      "The Zuora entity named by \`external_id\`. Unconditional, as on ExternalMappingResponse."
      zuoraEntity: GETEntitiesResponseTypeWithId
        @resolveTo(
          sourceName: "zuora"
          sourceTypeName: "Query"
          sourceFieldName: "GET_EntityById"
          requiredSelectionSet: "{ external_id }"
          sourceArgs: { id: "{root.external_id}" }
        )
      """
      When the key link points at an m3ter account (its external id is the account's m3ter id): that
      account's m3ter mappings. Batched: every key link of the request in one ListExternalMappings
      call (\`m3terIds\` is m3ter's one multi-key filter), answers matched back by \`m3terId\`.
      """
      m3terAccountMappings(pageSize: Int = 200): [ExternalMappingResponse]
        @resolveTo(
          sourceName: "m3ter"
          sourceTypeName: "Query"
          sourceFieldName: "ListExternalMappings"
          keyField: "external_id"
          keysArg: "m3terIds"
          valueKeyField: "m3terId"
          result: "data"
          additionalArgs: { orgId: ${orgId}, pageSize: "{args.pageSize}" }
        )
    }

    extend type CreatedResponse {
      "The created key link, read back: Rev.io's POST answers only its id."
      keyLink: IntegrationKeyLinkResource
        @resolveTo(
          sourceName: "revio"
          sourceTypeName: "Query"
          sourceFieldName: "getIntegrationKeyLink"
          requiredSelectionSet: "{ id }"
          sourceArgs: { id: "{root.id}" }
        )
    }
  `;
}
