/**
 * Generated from schema/vendors/revio.json by scripts/generate-vendor-types.ts. Do not edit:
 * run npm run generate:vendor-types.
 */

export interface paths {
    "/v1/IntegrationEntityType": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listIntegrationEntityTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/IntegrationEntityType/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getIntegrationEntityType"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/IntegrationKeyLink": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listIntegrationKeyLinks"];
        put?: never;
        post: operations["createIntegrationKeyLink"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/IntegrationKeyLink/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationKeyLinkIdPath"];
            };
            cookie?: never;
        };
        get: operations["getIntegrationKeyLink"];
        put: operations["replaceIntegrationKeyLink"];
        post?: never;
        delete: operations["deleteIntegrationKeyLink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/IntegrationSystem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["listIntegrationSystems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/IntegrationSystem/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["getIntegrationSystem"];
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
        CollectionEnvelope: {
            has_more: boolean;
            /** @enum {boolean} */
            ok: true;
            /** Format: int32 */
            record_count: number;
        };
        CreatedResponse: {
            /** Format: int32 */
            id: number;
            /** @enum {boolean} */
            ok: true;
        };
        Error: {
            errors?: {
                field?: string;
                message: string;
            }[];
            message: string;
            /** @enum {boolean} */
            ok: false;
        };
        GatewayError: {
            message: string;
            statusCode: number;
        };
        IntegrationEntityType: {
            entity_type_name: string;
            /** Format: int32 */
            integration_entity_type_id: number;
        };
        IntegrationEntityTypeCollection: components["schemas"]["CollectionEnvelope"] & {
            records: components["schemas"]["IntegrationEntityType"][];
        };
        IntegrationEntityTypeResource: components["schemas"]["SingleEnvelope"] & components["schemas"]["IntegrationEntityType"];
        IntegrationKeyLink: {
            /** Format: int32 */
            integration_key_link_id: number;
        } & components["schemas"]["IntegrationKeyLinkWrite"] & {
            /** Format: int32 */
            created_by?: number | null;
            created_date?: string;
        };
        IntegrationKeyLinkCollection: components["schemas"]["CollectionEnvelope"] & {
            records: components["schemas"]["IntegrationKeyLink"][];
        };
        IntegrationKeyLinkResource: components["schemas"]["SingleEnvelope"] & components["schemas"]["IntegrationKeyLink"];
        IntegrationKeyLinkWrite: {
            external_id: string;
            /** Format: int32 */
            integration_entity_type_id: number;
            /** Format: int32 */
            integration_system_id: number;
            /** Format: int32 */
            internal_id: number;
        };
        IntegrationSystem: {
            /** Format: int32 */
            integration_system_id: number;
            system_name: string;
        };
        IntegrationSystemCollection: components["schemas"]["CollectionEnvelope"] & {
            records: components["schemas"]["IntegrationSystem"][];
        };
        IntegrationSystemResource: components["schemas"]["SingleEnvelope"] & components["schemas"]["IntegrationSystem"];
        Link: {
            href: string;
            rel: string;
        };
        OkResponse: {
            /** @enum {boolean} */
            ok: true;
        };
        SingleEnvelope: {
            links?: components["schemas"]["Link"][];
            /** @enum {boolean} */
            ok: true;
        };
    };
    responses: {
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        Forbidden: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayError"];
            };
        };
        MethodNotAllowed: {
            headers: {
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        ServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["GatewayError"];
            };
        };
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"] | components["schemas"]["GatewayError"];
            };
        };
    };
    parameters: {
        IntegrationEntityTypeIdPath: number;
        IntegrationKeyLinkIdPath: number;
        IntegrationSystemIdPath: number;
        SearchEntityTypeName: string;
        SearchExternalId: string;
        SearchIntegrationEntityTypeId: number;
        SearchIntegrationKeyLinkId: number;
        SearchIntegrationSystemId: number;
        SearchInternalId: number;
        SearchPage: number;
        SearchPageSize: number;
        SearchSystemName: string;
    };
    requestBodies: never;
    headers: {
        Allow: string;
        Location: string;
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listIntegrationEntityTypes: {
        parameters: {
            query?: {
                "search.entity_type_name"?: components["parameters"]["SearchEntityTypeName"];
                "search.integration_entity_type_id"?: components["parameters"]["SearchIntegrationEntityTypeId"];
                "search.page"?: components["parameters"]["SearchPage"];
                "search.page_size"?: components["parameters"]["SearchPageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationEntityTypeCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIntegrationEntityType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationEntityTypeIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationEntityTypeResource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listIntegrationKeyLinks: {
        parameters: {
            query?: {
                "search.external_id"?: components["parameters"]["SearchExternalId"];
                "search.integration_entity_type_id"?: components["parameters"]["SearchIntegrationEntityTypeId"];
                "search.integration_key_link_id"?: components["parameters"]["SearchIntegrationKeyLinkId"];
                "search.integration_system_id"?: components["parameters"]["SearchIntegrationSystemId"];
                "search.internal_id"?: components["parameters"]["SearchInternalId"];
                "search.page"?: components["parameters"]["SearchPage"];
                "search.page_size"?: components["parameters"]["SearchPageSize"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationKeyLinkCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createIntegrationKeyLink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IntegrationKeyLinkWrite"];
            };
        };
        responses: {
            "5XX": components["responses"]["ServerError"];
            201: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIntegrationKeyLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationKeyLinkIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationKeyLinkResource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    replaceIntegrationKeyLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationKeyLinkIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IntegrationKeyLinkWrite"];
            };
        };
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    deleteIntegrationKeyLink: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationKeyLinkIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OkResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listIntegrationSystems: {
        parameters: {
            query?: {
                "search.integration_system_id"?: components["parameters"]["SearchIntegrationSystemId"];
                "search.page"?: components["parameters"]["SearchPage"];
                "search.page_size"?: components["parameters"]["SearchPageSize"];
                "search.system_name"?: components["parameters"]["SearchSystemName"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationSystemCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIntegrationSystem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: components["parameters"]["IntegrationSystemIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            "5XX": components["responses"]["ServerError"];
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IntegrationSystemResource"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
}
