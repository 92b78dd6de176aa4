package org.fieldcloud.deltas.apply;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a job's layer connections may go (DECISIONS D10.1). A host is resolved (all its addresses) before anything
 * is sent, and refused when any address is
 * <ul>
 *   <li>FieldCloud's own (metadata) database: same port and same address, where every address of this machine —
 *       loopback, the wildcard address, local interfaces — counts as the same as {@code localhost};</li>
 *   <li>link-local, which holds the cloud metadata services (169.254.0.0/16, fe80::/10);</li>
 *   <li>outside {@code FIELDCLOUD_DATASOURCE_HOSTS} when that is set: host names match by name, IP addresses and
 *       CIDRs (IPv4 and IPv6) by address.</li>
 * </ul>
 * The connection then goes to the checked address ({@link PinnedSocketFactory}), and each new connection is
 * resolved and checked again. Refusals name the rule, never the host or port, so they reveal nothing about which
 * ports answer. A server's policy refuses its own metadata database; a policy made without one (tests, tools) checks
 * only the other rules.
 */
public final class DatasourceHostPolicy {

    /** A host and port that no layer may reach. */
    public record Endpoint(String host, int port) { }

    /** The rules that hold with no allow-list and no database to protect: link-local addresses refused. */
    public static final DatasourceHostPolicy DEFAULT_RULES = new DatasourceHostPolicy(List.of(), List.of());
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<String> allowedNames = new ArrayList<>();
    private final List<Cidr> allowedNetworks = new ArrayList<>();

    private final List<Endpoint> protectedDatabases;

    /**
     * {@code allowList}: the entries of {@code FIELDCLOUD_DATASOURCE_HOSTS} (empty allows every other host);
     * {@code protectedDatabases}: the server's own metadata database, which no layer may reach.
     */
    public DatasourceHostPolicy(List<String> allowList, List<Endpoint> protectedDatabases) {
        this.protectedDatabases = List.copyOf(protectedDatabases);
        for (String raw : allowList) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || IP_LITERAL.matcher(entry).matches()) {
                allowedNetworks.add(Cidr.parse(entry));
            } else if (HOST_NAME.matcher(entry).matches()) {
                allowedNames.add(normalName(entry));
            } else {
                throw new IllegalArgumentException("FIELDCLOUD_DATASOURCE_HOSTS: '" + entry + "' is neither a host name, an IP address nor a CIDR.");
            }
        }
    }



    /** Why a host is refused: one of the rules, phrased to follow "refused: ". */
    public static final class Refusal extends Exception {
        Refusal(String rule) {
            super(rule);
        }
    }

    /** Resolves {@code host} and returns the address to connect to, or says which rule refuses it. */
    public InetAddress check(String host, int port) throws Refusal {
        if (host == null || host.isBlank() || !(HOST_NAME.matcher(host).matches() || IP_LITERAL.matcher(host).matches())) {
            throw new Refusal("the host must be one host name or IP address (no lists, sockets or URL parts)");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refusal("the host name does not resolve");
        }
        for (InetAddress address : addresses) {
            checkAddress(host, address, port);
        }
        return addresses[0];
    }

    /** The checks on one resolved address; also run again right before connecting. */
    public void checkAddress(String host, InetAddress address, int port) throws Refusal {
        if (address.isLinkLocalAddress()) {
            throw new Refusal("it resolves to a link-local or cloud-metadata address (169.254.0.0/16, fe80::/10)");
        }
        for (Endpoint own : protectedDatabases) {
            if (own.port() == port && sameDatabaseHost(own.host(), address)) {
                throw new Refusal("it resolves to FieldCloud's own database");
            }
        }
        if (!(allowedNames.isEmpty() && allowedNetworks.isEmpty()) && !allowed(host, address)) {
            throw new Refusal("the host is not in FIELDCLOUD_DATASOURCE_HOSTS");
        }
    }

    private boolean allowed(String host, InetAddress address) {
        return allowedNames.contains(normalName(host)) || allowedNetworks.stream().anyMatch(n -> n.contains(address));
    }

    private static boolean sameDatabaseHost(String ownHost, InetAddress candidate) {
        InetAddress[] own;
        try {
            own = InetAddress.getAllByName(ownHost);
        } catch (UnknownHostException e) {
            // Our own database's name does not resolve now: refuse rather than guess.
            return true;
        }
        for (InetAddress o : own) {
            if (o.equals(candidate) || (thisMachine(o) && thisMachine(candidate))) {
                return true;
            }
        }
        return false;
    }

    private static boolean thisMachine(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return true;
        }
    }

    private static String normalName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** An IPv4 or IPv6 network; a plain address is a network of one. */
    private record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!IP_LITERAL.matcher(address).matches()) {
                throw new IllegalArgumentException("FIELDCLOUD_DATASOURCE_HOSTS: '" + text + "' is not an IP address or CIDR.");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("FIELDCLOUD_DATASOURCE_HOSTS: '" + text + "' is not an IP address or CIDR.");
            }
            int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
            if (bits < 0 || bits > bytes.length * 8) {
                throw new IllegalArgumentException("FIELDCLOUD_DATASOURCE_HOSTS: '" + text + "' has an invalid prefix length.");
            }
            return new Cidr(bytes, bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - bits;
            return new BigInteger(1, candidate).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
