package org.fieldcloud.projects;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * Test-only instrumentation: counts the SQL statements the server prepares while handling a request that
 * carries the header {@value #HEADER}. The DataSource is wrapped by a bean post-processor (main code is
 * untouched); requests without the header are not affected, so the other test classes sharing this server
 * see a plain pass-through. A statement is counted when it is created on a connection (one per JDBC operation
 * of {@code JdbcClient}), on the request's own thread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class SqlStatementCounter implements BeanPostProcessor, Filter {

    static final String HEADER = "X-Test-Count-Sql";
    private static final Set<String> STATEMENT_FACTORIES = Set.of("prepareStatement", "createStatement", "prepareCall");
    private static final ThreadLocal<AtomicInteger> CURRENT = new ThreadLocal<>();
    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    static int count(String key) {
        AtomicInteger c = COUNTS.get(key);
        return c == null ? 0 : c.get();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource ds && !(bean instanceof CountingDataSource) ? new CountingDataSource(ds) : bean;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        String key = request instanceof HttpServletRequest http ? http.getHeader(HEADER) : null;
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        CURRENT.set(COUNTS.computeIfAbsent(key, k -> new AtomicInteger()));
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }

    /** Closeable so that the original bean's destroy method ({@code close}) still shuts the pool down. */
    static final class CountingDataSource extends DelegatingDataSource implements AutoCloseable {

        CountingDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return counting(super.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return counting(super.getConnection(username, password));
        }

        @Override
        public void close() throws Exception {
            if (getTargetDataSource() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        private static Connection counting(Connection target) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        AtomicInteger counter = CURRENT.get();
                        if (counter != null && STATEMENT_FACTORIES.contains(method.getName())) {
                            counter.incrementAndGet();
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
