package org.fieldcloud.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request written by hand on a socket, for what {@link Http} cannot do: announce a body and send only part of
 * it (or stream it chunk by chunk), then see whether the server answers without waiting for the rest.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket("localhost", port);
        out = socket.getOutputStream();
    }

    /** Sends the request line and headers (CRLF-separated, without the final blank line). */
    public RawHttp head(String requestLineAndHeaders) throws IOException {
        out.write((requestLineAndHeaders.strip() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** One chunk of a {@code Transfer-Encoding: chunked} body. */
    public RawHttp chunk(byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    /**
     * What the server answered within {@code within} (the whole response as text, chunk markers included), or
     * {@code null} when it answered nothing in that time, e.g. because it is still waiting for the body.
     */
    public String answer(Duration within) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        socket.setSoTimeout((int) within.toMillis());
        byte[] buffer = new byte[8192];
        try {
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            got.write(buffer, 0, n);
            socket.setSoTimeout(500);
            while ((n = in.read(buffer)) > 0) {
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (got.size() == 0) {
                return null;
            }
        } catch (IOException e) {
            // The server may close the connection right after answering.
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
