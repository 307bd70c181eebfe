package dev.rendezvous.deploy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.rmi.registry.LocateRegistry;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.rmi.RMIConnector;
import javax.management.remote.rmi.RMIServer;
import javax.naming.directory.InitialDirContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManagerFactory;

/**
 * Run by {@link PackageIT} on the packaged runtime (not the JDK's): uses what the node loads by
 * name or through native code, which jdeps cannot see, and exits 1 if any of it is missing.
 * Arguments: a PEM certificate and its PKCS#8 EC key.
 */
public final class RuntimeProbe {

    private RuntimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        File cert = new File(args[0]);
        File key = new File(args[1]);
        Map<String, Callable<Object>> checks = new LinkedHashMap<>();
        checks.put("epoll", () -> Epoll.isAvailable() ? "native" : fail(Epoll.unavailabilityCause()));
        checks.put("tcnative", () -> OpenSsl.isAvailable() ? OpenSsl.versionString() : fail(OpenSsl.unavailabilityCause()));
        checks.put("tls handshake", () -> handshake(cert, key));
        checks.put("ec keys", () -> KeyFactory.getInstance("EC").getProvider().getName());
        checks.put("open files", () -> ((com.sun.management.UnixOperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount());
        checks.put("jmx agent", RuntimeProbe::remoteJmx);
        checks.put("jfr", () -> jdk.jfr.FlightRecorder.isAvailable() ? "available" : fail(null));
        checks.put("jndi dns", RuntimeProbe::dnsContext);
        int failed = 0;
        for (Map.Entry<String, Callable<Object>> check : checks.entrySet()) {
            try {
                System.out.println("ok " + check.getKey() + ": " + check.getValue().call());
            } catch (Throwable e) {
                failed++;
                System.out.println("FAILED " + check.getKey() + ": " + e);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static Object fail(Throwable cause) {
        throw new IllegalStateException("unavailable", cause);
    }

    /** A handshake and one record between Netty's BoringSSL server engine and the JDK's client engine. */
    private static Object handshake(File cert, File key) throws Exception {
        SSLEngine server = SslContextBuilder.forServer(cert, key).sslProvider(SslProvider.OPENSSL).build()
                .newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = clientContext(cert).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
        ByteBuffer serverIn = ByteBuffer.allocate(1 << 17);
        ByteBuffer clientIn = ByteBuffer.allocate(1 << 17);
        ByteBuffer hello = ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII));
        for (int round = 0; round < 100 && serverIn.position() == 0; round++) {
            client.wrap(hello, toServer);
            runTasks(client);
            toServer.flip();
            server.unwrap(toServer, serverIn);
            toServer.compact();
            runTasks(server);
            server.wrap(ByteBuffer.allocate(0), toClient);
            runTasks(server);
            toClient.flip();
            client.unwrap(toClient, clientIn);
            toClient.compact();
            runTasks(client);
        }
        if (serverIn.position() != 5) {
            throw new IllegalStateException("no record through the handshake");
        }
        return server.getSession().getProtocol() + " " + server.getSession().getCipherSuite();
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK && (task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static SSLContext clientContext(File cert) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (var in = new java.io.FileInputStream(cert)) {
            trusted.setCertificateEntry("probe", (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /**
     * Reads this JVM's uptime over JMX/RMI from the agent that {@code -Dcom.sun.management.jmxremote.port}
     * started (PackageIT binds it to 127.0.0.1): the remote management operators switch on with JAVA_OPTS.
     */
    private static Object remoteJmx() throws Exception {
        int port = Integer.parseInt(System.getProperty("com.sun.management.jmxremote.port"));
        // Straight from the RMI registry: a jndi/rmi URL would need jdk.naming.rmi, which only clients use.
        RMIServer server = (RMIServer) LocateRegistry.getRegistry("127.0.0.1", port).lookup("jmxrmi");
        try (JMXConnector connector = new RMIConnector(server, null)) {
            connector.connect();
            return "uptime " + connector.getMBeanServerConnection()
                    .getAttribute(new ObjectName("java.lang:type=Runtime"), "Uptime") + " ms";
        }
    }

    /** JNDI's DNS provider, as Netty's resolver builds it; creating the context sends no query. */
    private static Object dnsContext() throws Exception {
        Hashtable<String, String> env = new Hashtable<>();
        env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
        env.put("java.naming.provider.url", "dns://");
        InitialDirContext context = new InitialDirContext(env);
        try {
            return context.getEnvironment().get("java.naming.provider.url");
        } finally {
            context.close();
        }
    }
}
