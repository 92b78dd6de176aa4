package org.fieldcloud.web;

import java.util.List;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.accounts.SecurityConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * The web pages' own filter chain: every path the API chain does not take ({@code /api/**}, {@code /actuator/**}
 * stay stateless). A session cookie (SameSite=Lax, HttpOnly: application.properties) carries the sign-in, every
 * state-changing request needs the session's CSRF token, and signing in changes the session id and the CSRF token
 * (no session fixation). Only "signed in or not" is decided here; what a person may do is asked of the policy module.
 * Worker-only processes run without a web server, and so without any of this.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class WebSecurityConfig {

    @Bean
    CsrfTokenRepository webCsrfTokens() {
        return new HttpSessionCsrfTokenRepository();
    }

    @Bean
    SecurityContextRepository webSecurityContexts() {
        return new HttpSessionSecurityContextRepository();
    }

    /** Applied by the sign-in page, which checks the password itself (through the accounts feature's lock-out). */
    @Bean
    SessionAuthenticationStrategy webSignInStrategy(CsrfTokenRepository webCsrfTokens) {
        return new CompositeSessionAuthenticationStrategy(List.of(
                new ChangeSessionIdAuthenticationStrategy(), new CsrfAuthenticationStrategy(webCsrfTokens)));
    }

    @Bean
    @Order(SecurityConfig.ORDER + 1)
    SecurityFilterChain webSecurity(HttpSecurity http, CsrfTokenRepository webCsrfTokens, SecurityContextRepository webSecurityContexts,
                                    Accounts accounts) throws Exception {
        http.securityMatcher("/**")
                .securityContext(c -> c.securityContextRepository(webSecurityContexts))
                .csrf(c -> c.csrfTokenRepository(webCsrfTokens))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/", "/sign-in", "/css/**", "/js/**", "/webjars/**", "/error", "/favicon.ico")
                        .permitAll()
                        .anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/")))
                .logout(l -> l.logoutUrl("/sign-out").logoutSuccessUrl("/?signed-out"))
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .requestCache(r -> r.disable())
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'")))
                .addFilterAfter(new SessionActorRefresh(accounts), SecurityContextHolderFilter.class);
        return http.build();
    }
}
