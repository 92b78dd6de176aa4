package org.fieldcloud.deltas.apply;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * pgjdbc's socket factory for layer connections: the TCP connection goes to the address that
 * {@link DatasourceHostPolicy} checked (given as pgjdbc's {@code socketFactoryArg}), whatever the host name
 * resolves to by then — so a DNS answer that changes between the check and the connect (rebinding) cannot
 * redirect it. The URL keeps the host name, so TLS ({@code sslmode=verify-full}) still verifies the certificate
 * against the name.
 */
public final class PinnedSocketFactory extends SocketFactory {

    private final InetAddress pinned;

    public PinnedSocketFactory(String checkedAddress) throws IOException {
        // An IP literal: getByName parses it without any DNS lookup.
        this.pinned = InetAddress.getByName(checkedAddress);
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                super.connect(new InetSocketAddress(pinned, ((InetSocketAddress) endpoint).getPort()), timeout);
            }

            @Override
            public void connect(SocketAddress endpoint) throws IOException {
                connect(endpoint, 0);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(port);
    }

    private Socket connected(int port) throws IOException {
        Socket s = createSocket();
        s.connect(new InetSocketAddress(pinned, port));
        return s;
    }
}
