package org.fieldcloud.api;

import jakarta.servlet.Filter;
import java.util.List;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.filter.UrlHandlerFilter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.ObjectMapper;

/** Request plumbing shared by every API controller. */
@Configuration(proxyBeanMethods = false)
public class ApiWebConfig implements WebMvcConfigurer {

    private final ObjectMapper mapper;

    public ApiWebConfig(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Clients send API paths with a trailing slash (the reference's Django style); controllers map them
     * without it, so the same route answers both spellings.
     */
    @Bean
    FilterRegistrationBean<Filter> trailingSlashFilter() {
        FilterRegistrationBean<Filter> bean = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler("/api/**").wrapRequest().build());
        bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return bean;
    }

    /**
     * Form bodies of PUT, PATCH and DELETE are parsed by Tomcat, lazily (when a controller reads its fields, after
     * authentication) and within its form-size limit, instead of by Spring's FormContentFilter, which read them
     * whole into memory before any authentication (disabled in application.properties).
     */
    @Bean
    TomcatConnectorCustomizer formBodiesOfEveryMethod() {
        return connector -> connector.setParseBodyMethods("POST,PUT,PATCH,DELETE");
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new RequestFieldsResolver(mapper));
        resolvers.add(new ActorResolver());
    }

    /** Gives controllers the {@link Actor} that the authentication filter put into the security context. */
    static final class ActorResolver implements HandlerMethodArgumentResolver {
        @Override
        public boolean supportsParameter(MethodParameter parameter) {
            return parameter.getParameterType() == Actor.class;
        }

        @Override
        public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest request,
                                      WebDataBinderFactory binderFactory) {
            return current();
        }
    }

    public static Actor current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof Actor actor ? actor : Actor.ANONYMOUS;
    }
}
