package org.fieldcloud.support;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A second app node for tests of what crosses nodes: its own JVM on the test context's database and data directory,
 * registered with {@code @RegisterExtension static}. It starts before the class's first test, not in a
 * {@code @BeforeAll}: the Spring context (and with it the embedded database) must exist first, or the node would start
 * the database itself and take it down when it stops. It stops after the class.
 */
public final class SecondNode implements BeforeEachCallback, AfterAllCallback {

    private final String logName;
    private final Map<String, String> settings;
    private ServerProcess node;

    /** {@code settings} are the node's environment, e.g. {@code FIELDCLOUD_WORKERS}; its log is {@code target/<logName>}. */
    public SecondNode(String logName, Map<String, String> settings) {
        this.logName = logName;
        this.settings = settings;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (node == null) {
            node = ServerProcess.serve(ApiTest.dataDir(), Path.of("target", logName), settings).awaitHttp();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        if (node != null) {
            node.close();
            node = null;
        }
    }

    public Http http() {
        return node.http();
    }

    public int port() {
        return node.port();
    }
}
