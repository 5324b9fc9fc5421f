/**
 * Generated from schema/vendors/zuora.json by scripts/generate-vendor-types.ts. Do not edit:
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
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GET_Entities"];
        put?: never;
        post: operations["POST_Entities"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GET_EntityById"];
        put: operations["PUT_Entities"];
        post?: never;
        delete: operations["DELETE_Entities"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entities/{id}/provision": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_ProvisionEntity"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entity-connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GET_EntityConnections"];
        put?: never;
        post: operations["POST_EntityConnections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entity-connections/{connection-id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_EntityConnectionsAccept"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entity-connections/{connection-id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_EntityConnectionsDeny"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/entity-connections/{connection-id}/disconnect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_EntityConnectionsDisconnect"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{username}/accept-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_AcceptUserAccess"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{username}/accessible-entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: operations["GET_EntitiesUserAccessible"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{username}/deny-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_DenyUserAccess"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{username}/request-access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put: operations["PUT_SendUserAccessRequests"];
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
        CreateEntityResponseType: {
            displayName?: string;
            id?: string;
            locale?: string;
            name?: string;
            parentId?: string;
            /** @enum {string} */
            status?: "Provisioned" | "Unprovisioned";
            success?: boolean;
            tenantId?: string;
            timezone?: string;
        };
        CreateEntityType: {
            displayName?: string;
            locale: string;
            name: string;
            parentId: string;
            timezone: string;
        };
        DELETEntityResponseType: {
            success?: boolean;
        };
        GETEntitiesResponseType: {
            entities?: components["schemas"]["GETEntitiesType"][];
            success?: boolean;
        };
        GETEntitiesResponseTypeWithId: {
            displayName?: string;
            id?: string;
            locale?: string;
            name?: string;
            parentId?: string;
            /** @enum {string} */
            status?: "Provisioned" | "Unprovisioned";
            success?: boolean;
            tenantId?: string;
            timezone?: string;
        };
        GETEntitiesType: {
            displayName?: string;
            id?: string;
            locale?: string;
            name?: string;
            parentId?: string;
            /** @enum {string} */
            status?: "Provisioned" | "Unprovisioned";
            tenantId?: string;
            timezone?: string;
        };
        GETEntitiesUserAccessibleResponseType: {
            entities?: components["schemas"]["GETEntitiesType"][];
            success?: boolean;
        };
        GETEntityConnectionsArrayItemsType: {
            id?: string;
            sourceEntityId?: string;
            status?: string;
            targetEntityId?: string;
        };
        GETEntityConnectionsResponseType: {
            entityConnections?: components["schemas"]["GETEntityConnectionsArrayItemsType"][];
            /** Format: URL */
            nextPage?: string;
            success?: boolean;
        };
        POSTEntityConnectionsResponseType: {
            id?: string;
            success?: boolean;
        };
        POSTEntityConnectionsType: {
            targetEntityId: string;
        };
        ProvisionEntityResponseType: {
            success?: boolean;
        };
        PUTAcceptUserAccessResponseType: {
            success?: boolean;
        };
        PUTDenyUserAccessResponseType: {
            success?: boolean;
        };
        PUTEntityConnectionsAcceptResponseType: {
            success?: boolean;
        };
        PUTEntityConnectionsDenyResponseType: {
            success?: boolean;
        };
        PUTEntityConnectionsDisconnectResponseType: {
            success?: boolean;
        };
        PUTSendUserAccessRequestResponseType: {
            success?: boolean;
        };
        PUTSendUserAccessRequestType: {
            targetEntityIds: string[];
        };
        tokenResponse: {
            access_token?: string;
            expires_in?: number;
            jti?: string;
            scope?: string;
            token_type?: string;
        };
        UpdateEntityResponseType: {
            success?: boolean;
        };
        UpdateEntityType: {
            displayName?: string;
            locale?: string;
            name?: string;
            timezone?: string;
        };
    };
    responses: never;
    parameters: {
        GLOBAL_HEADER_entityId: string;
        GLOBAL_HEADER_entityName: string;
        GLOBAL_REQUEST_pageSize_entityConnection: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createToken: {
        parameters: {
            query: {
                client_id: string;
                client_secret: string;
                grant_type?: string;
            };
            header?: {
                entityId?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["tokenResponse"];
                };
            };
        };
    };
    GET_Entities: {
        parameters: {
            query?: {
                provisioned?: string;
            };
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["GETEntitiesResponseType"];
                };
            };
        };
    };
    POST_Entities: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json; charset=utf-8": components["schemas"]["CreateEntityType"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["CreateEntityResponseType"];
                };
            };
        };
    };
    GET_EntityById: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["GETEntitiesResponseTypeWithId"];
                };
            };
        };
    };
    PUT_Entities: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json; charset=utf-8": components["schemas"]["UpdateEntityType"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["UpdateEntityResponseType"];
                };
            };
        };
    };
    DELETE_Entities: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["DELETEntityResponseType"];
                };
            };
        };
    };
    PUT_ProvisionEntity: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["ProvisionEntityResponseType"];
                };
            };
        };
    };
    GET_EntityConnections: {
        parameters: {
            query?: {
                pageSize?: components["parameters"]["GLOBAL_REQUEST_pageSize_entityConnection"];
                type?: "inbound" | "outbound";
            };
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["GETEntityConnectionsResponseType"];
                };
            };
        };
    };
    POST_EntityConnections: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json; charset=utf-8": components["schemas"]["POSTEntityConnectionsType"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["POSTEntityConnectionsResponseType"];
                };
            };
        };
    };
    PUT_EntityConnectionsAccept: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                "connection-id": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTEntityConnectionsAcceptResponseType"];
                };
            };
        };
    };
    PUT_EntityConnectionsDeny: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                "connection-id": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTEntityConnectionsDenyResponseType"];
                };
            };
        };
    };
    PUT_EntityConnectionsDisconnect: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                "connection-id": string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTEntityConnectionsDisconnectResponseType"];
                };
            };
        };
    };
    PUT_AcceptUserAccess: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTAcceptUserAccessResponseType"];
                };
            };
        };
    };
    GET_EntitiesUserAccessible: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["GETEntitiesUserAccessibleResponseType"];
                };
            };
        };
    };
    PUT_DenyUserAccess: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                username: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTDenyUserAccessResponseType"];
                };
            };
        };
    };
    PUT_SendUserAccessRequests: {
        parameters: {
            query?: never;
            header?: {
                entityId?: components["parameters"]["GLOBAL_HEADER_entityId"];
                entityName?: components["parameters"]["GLOBAL_HEADER_entityName"];
            };
            path: {
                username: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json; charset=utf-8": components["schemas"]["PUTSendUserAccessRequestType"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json; charset=utf-8": components["schemas"]["PUTSendUserAccessRequestResponseType"];
                };
            };
        };
    };
}
