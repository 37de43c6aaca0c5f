package org.callbackkit.doctor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A real TLS server on 127.0.0.1 that presents a key store's chain and answers every request with
 * the probe answer the router would give; or, {@link #silent()}, a plain server that accepts and
 * never answers. For the TLS and transport tests.
 */
final class LocalTlsServer implements AutoCloseable {

    static final String ANSWER = "{\"probe\":\"ok\",\"provider\":\"klarna\",\"kind\":\"push\",\"id\":\"\"}";

    private final ServerSocket server;
    private final Thread acceptor;
    private final boolean answer;

    private LocalTlsServer(ServerSocket server, boolean answer) {
        this.server = server;
        this.answer = answer;
        this.acceptor = new Thread(this::accept, "local-tls-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A TLS server presenting {@code keyStore}'s only key entry and its chain. */
    static LocalTlsServer tls(KeyStore keyStore) throws IOException, GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, TestPki.password());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        return new LocalTlsServer(socket, true);
    }

    /** A plain server that accepts connections and never says a word. */
    static LocalTlsServer silent() throws IOException {
        return new LocalTlsServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
    }

    /** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
    static int refusedPort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread handler = new Thread(() -> handle(socket), "local-tls-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            if (!answer) {
                while (socket.getInputStream().read() >= 0) {
                    // hold the connection, reading whatever comes, until the client gives up
                }
                return;
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            for (int i = 0; i < length; i++) {
                in.read();
            }
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException | RuntimeException e) {
            // a failed handshake: the client reports it
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
