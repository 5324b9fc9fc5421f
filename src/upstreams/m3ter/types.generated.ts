/**
 * Generated from schema/vendors/m3ter.json by scripts/generate-vendor-types.ts. Do not edit:
 * run npm run generate:vendor-types.
 */

export interface paths {
    "/oauth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post: operations["GenerateToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappingconfiguration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GetExternalMappingConfiguration"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappingconfiguration/values/{destination}/{entityType}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GetExternalMappingOptionsForDestination"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappingconfiguration/values/{destination}/{entityType}/{integrationCredentialsId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GetExternalMappingOptionsForDestinationForCredentialsId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ListExternalMappings"];
        put?: never;
        post: operations["CreateExternalMapping"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GetExternalMapping"];
        put: operations["UpdateExternalMapping"];
        post?: never;
        delete: operations["DeleteExternalMapping"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappings/external/{entity}/{m3terId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ListExternalMappingsForM3terEntity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{orgId}/externalmappings/externalid/{system}/{externalTable}/{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["ListExternalMappingsForExternalSystemAndEntity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AbstractRequest: {
            /** Format: int64 */
            version?: number;
        };
        AbstractResponse: {
            id: string;
            /** Format: int64 */
            version?: number;
        };
        AbstractResponseWithAuditFields: components["schemas"]["AbstractResponse"] & {
            createdBy?: string;
            /** Format: date-time */
            dtCreated?: string;
            /** Format: date-time */
            dtLastModified?: string;
            lastModifiedBy?: string;
        };
        BearerAccessTokenRequest: {
            /** @enum {string} */
            grant_type: "client_credentials";
            scope?: string;
        };
        BearerAccessTokenResponse: {
            access_token: string;
            /** Format: int64 */
            expires_in: number;
            scope?: string;
            token_type?: string;
        };
        ExternalEntityResponse: {
            externalId?: string;
            externalName?: string;
        };
        ExternalMappingConfigurationResponse: {
            externalSystems: components["schemas"]["ExternalSystemResponse"][];
            m3terEntities: string[];
        };
        ExternalMappingRequest: {
            externalId: string;
            externalSystem: string;
            externalTable: string;
            integrationConfigId?: string;
            m3terEntity: string;
            m3terId: string;
        } & components["schemas"]["AbstractRequest"];
        ExternalMappingResponse: components["schemas"]["AbstractResponseWithAuditFields"] & components["schemas"]["AbstractResponse"] & {
            externalId: string;
            externalSystem: string;
            externalTable: string;
            integrationConfigId?: string;
            m3terEntity: string;
            m3terId: string;
        };
        ExternalSystemResponse: {
            allowCustomExternalTables?: boolean;
            name: string;
            tables?: string[];
        };
        PaginatedExternalMappingResponseData: {
            data?: components["schemas"]["ExternalMappingResponse"][];
            nextToken?: string;
        };
    };
    responses: {
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    message?: string;
                };
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    GenerateToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BearerAccessTokenRequest"];
                "application/x-www-form-urlencoded": string;
            };
        };
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BearerAccessTokenResponse"];
                };
            };
        };
    };
    GetExternalMappingConfiguration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalMappingConfigurationResponse"];
                };
            };
        };
    };
    GetExternalMappingOptionsForDestination: {
        parameters: {
            query?: {
                externalTable?: string;
            };
            header?: never;
            path: {
                destination: string;
                entityType: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalEntityResponse"][];
                };
            };
        };
    };
    GetExternalMappingOptionsForDestinationForCredentialsId: {
        parameters: {
            query?: {
                externalTable?: string;
            };
            header?: never;
            path: {
                destination: string;
                entityType: string;
                integrationCredentialsId: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalEntityResponse"][];
                };
            };
        };
    };
    ListExternalMappings: {
        parameters: {
            query?: {
                externalSystemId?: string;
                integrationConfigId?: string;
                m3terIds?: string[];
                nextToken?: string;
                pageSize?: number;
            };
            header?: never;
            path: {
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedExternalMappingResponseData"];
                };
            };
        };
    };
    CreateExternalMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orgId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExternalMappingRequest"];
            };
        };
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalMappingResponse"];
                };
            };
        };
    };
    GetExternalMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalMappingResponse"];
                };
            };
        };
    };
    UpdateExternalMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExternalMappingRequest"];
            };
        };
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalMappingResponse"];
                };
            };
        };
    };
    DeleteExternalMapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExternalMappingResponse"];
                };
            };
        };
    };
    ListExternalMappingsForM3terEntity: {
        parameters: {
            query?: {
                nextToken?: string;
                pageSize?: number;
            };
            header?: never;
            path: {
                entity: string;
                m3terId: string;
                orgId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedExternalMappingResponseData"];
                };
            };
        };
    };
    ListExternalMappingsForExternalSystemAndEntity: {
        parameters: {
            query?: {
                nextToken?: string;
                pageSize?: number;
            };
            header?: never;
            path: {
                externalId: string;
                externalTable: string;
                orgId: string;
                system: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "4XX": components["responses"]["Error"];
            "5XX": components["responses"]["Error"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PaginatedExternalMappingResponseData"];
                };
            };
        };
    };
}
