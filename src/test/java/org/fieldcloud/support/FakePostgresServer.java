package org.fieldcloud.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener speaking just enough of the PostgreSQL v3 protocol to collect credentials, as an attacker's server
 * would: it declines SSL/GSS, answers the StartupMessage with AuthenticationCleartextPassword and records everything
 * each client sends. Bound to another loopback address (127.0.0.2) so it is a different host from the test PostGIS.
 */
public final class FakePostgresServer implements AutoCloseable {

    public static final String HOST = "127.0.0.2";
    private final ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger inProgress = new AtomicInteger();
    private final Thread acceptor;

    public FakePostgresServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * Everything each connection sent (one string per connection, bytes as ISO-8859-1). A client may give up before
     * this server has recorded its connection, so this waits (up to 10 s) until every accepted connection is done.
     */
    public List<String> connections() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (inProgress.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return List.copyOf(received);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                inProgress.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        StringBuilder seen = new StringBuilder();
        try (socket) {
            socket.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] startup = message(in, seen);
            while (startup.length == 4 && (readInt(startup) == 80877103 || readInt(startup) == 80877104)) {
                out.writeByte('N');
                out.flush();
                startup = message(in, seen);
            }
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(3);
            out.flush();
            byte[] password = new byte[4096];
            int n = in.read(password);
            if (n > 0) {
                seen.append(new String(password, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            // the client gave up: what it sent so far is recorded
        } finally {
            received.add(seen.toString());
            inProgress.decrementAndGet();
        }
    }

    private static byte[] message(DataInputStream in, StringBuilder seen) throws IOException {
        int length = in.readInt();
        byte[] body = in.readNBytes(length - 4);
        seen.append(new String(body, StandardCharsets.ISO_8859_1));
        return body;
    }

    private static int readInt(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
