package org.callbackkit.spring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends bytes exactly as written, which no HTTP client does for the requests under test (an
 * encoded NUL or slash, a control character in a header, a body that stops), and reads the answer
 * until the server closes the connection.
 */
final class RawHttp {

    private RawHttp() {
    }

    /** The server's whole answer to {@code request}, sent with {@code Connection: close}. */
    static Answer send(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return new Answer(answer.toString(StandardCharsets.ISO_8859_1));
        }
    }

    /** A request line, {@code Host}, the extra header lines given, and {@code Connection: close}. */
    static String request(String requestLine, String... headerLines) {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
        for (String header : headerLines) {
            request.append(header).append("\r\n");
        }
        return request.append("Connection: close\r\n\r\n").toString();
    }

    record Answer(String text) {
        int status() {
            return text.length() < 12 ? -1 : Integer.parseInt(text.substring(9, 12));
        }

        String body() {
            int start = text.indexOf("\r\n\r\n");
            return start < 0 ? "" : text.substring(start + 4);
        }
    }
}
