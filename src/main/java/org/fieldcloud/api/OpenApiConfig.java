package org.fieldcloud.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /api/openapi.json}; people read it in Swagger UI at {@code /api/docs/}, where
 * "Authorize" takes the whole header value {@code Token <key>}.
 * {@link Actor} and {@link RequestFields} are resolved by us, not client parameters, so they are hidden.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Actor.class, RequestFields.class);
    }

    @Bean
    OpenAPI fieldCloudOpenApi() {
        return new OpenAPI()
                .info(new Info().title("FieldCloud API").version("v1")
                        .description("QFieldCloud-compatible API. Authenticate with 'Authorization: Token <key>' from POST /api/v1/auth/login/. "
                                + "Errors are {\"code\",\"message\"}; lists paginate with limit/offset and X-Total-Count."))
                .schemaRequirement("token", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                        .in(SecurityScheme.In.HEADER).name("Authorization")
                        .description("Enter 'Token <key>', with the key from POST /api/v1/auth/login/ (or your account page)."))
                .addSecurityItem(new SecurityRequirement().addList("token"));
    }
}
