package org.fieldcloud.accounts;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * HTTP security: token authentication and secure headers. Authorization is not configured by URL here: every
 * endpoint asks the policy module (org.fieldcloud.permissions).
 *
 * <p>The API is stateless: a request is authenticated by its token alone and no HTTP session is ever created.
 * (With sessions allowed, Spring Security stored every token-authenticated request's context in a new session:
 * one cookie and 30 minutes of server memory per API call.) Without cookies there is nothing for a browser to
 * forge, so CSRF protection is off. This chain is matched first and only on {@code /api/**} and {@code /actuator/**};
 * the web pages (org.fieldcloud.web) have their own chain with a session cookie and CSRF protection.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class SecurityConfig {

    /** Before the web pages' chain, which takes every other path. */
    public static final int ORDER = 1;

    @Bean
    @Order(ORDER)
    SecurityFilterChain apiSecurity(HttpSecurity http, Tokens tokens, MetricsSettings metrics) throws Exception {
        http.securityMatcher("/api/**", "/actuator/**")
                .addFilterBefore(new TokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new BodyAfterAuthenticationFilter(), TokenAuthenticationFilter.class)
                .addFilterAfter(new MetricsAccessFilter(metrics), BodyAfterAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")))
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable());
        return http.build();
    }
}
