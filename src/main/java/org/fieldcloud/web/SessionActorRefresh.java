package org.fieldcloud.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.fieldcloud.accounts.Account;
import org.fieldcloud.accounts.Accounts;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiWebConfig;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A session outlives changes to its person: deactivating someone signs them out at their next request, and a
 * staff flag taken away is gone at once, as the API's token check does on every call.
 */
class SessionActorRefresh extends OncePerRequestFilter {

    private final Accounts accounts;

    SessionActorRefresh(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Actor actor = ApiWebConfig.current();
        if (!actor.anonymous()) {
            Optional<Account> account = accounts.byId(actor.userId()).filter(Account::active);
            if (account.isEmpty()) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            } else if (account.get().staff() != actor.staff()) {
                SecurityContextHolder.getContext().setAuthentication(SignInController.authentication(account.get()));
            }
        }
        chain.doFilter(request, response);
    }
}
