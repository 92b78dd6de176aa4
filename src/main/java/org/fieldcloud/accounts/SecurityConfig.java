package org.fieldcloud.accounts;

import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * HTTP security: token authentication, secure headers and CSRF for cookie sessions. Authorization is
 * not configured by URL here: every endpoint asks the policy module (org.fieldcloud.permissions).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
public class SecurityConfig {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, Tokens tokens) throws Exception {
        http.addFilterBefore(new TokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                // CSRF protects cookie sessions only: token-authenticated API calls cannot be forged by a browser.
                .csrf(c -> c.requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                        && !TokenAuthenticationFilter.tokenAuthenticated(request)
                        && request.getSession(false) != null))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")))
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable());
        return http.build();
    }
}
