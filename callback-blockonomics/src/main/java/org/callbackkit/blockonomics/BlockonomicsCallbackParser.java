package org.callbackkit.blockonomics;

import java.util.List;
import java.util.Map;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.intake.CallbackRequest;

/** Parses a callback's query strictly: every doubt is a 400, never a guess. */
final class BlockonomicsCallbackParser {

    /** 16 digits: more than all bitcoin in satoshi (2.1 x 10^15), and sums stay far from overflow. */
    private static final int VALUE_DIGITS = 16;
    private static final int TOKEN_LENGTH = 200;

    private BlockonomicsCallbackParser() {
    }

    static BlockonomicsCallback parse(CallbackRequest request) {
        Map<String, List<String>> query = request.query();
        int status = status(query);
        String valueText = required(query, "value");
        if (valueText.startsWith("-")) {
            throw new InvalidCallbackException("value must not be negative");
        }
        if (!isInteger(valueText, false, VALUE_DIGITS)) {
            throw new InvalidCallbackException("value must be a whole number of base units, at most 16 digits");
        }
        String address = required(query, "addr");
        if (!isToken(address)) {
            throw new InvalidCallbackException("addr is malformed");
        }
        String txid = required(query, "txid");
        if (!isToken(txid)) {
            throw new InvalidCallbackException("txid is malformed");
        }
        String cryptoText = optional(query, "crypto");
        Crypto crypto = cryptoText == null ? Crypto.BTC
                : Crypto.parse(cryptoText).orElseThrow(() -> new InvalidCallbackException("unknown crypto"));
        return new BlockonomicsCallback(crypto, status, address, Long.parseLong(valueText), txid,
                flag(query, "rbf"), flag(query, "testnet"));
    }

    /** An Order Hook callback: {@code status} and {@code order_id}, or the older {@code uuid}, or both when equal. */
    static OrderHookCallback parseOrderHook(CallbackRequest request) {
        Map<String, List<String>> query = request.query();
        int status = status(query);
        String orderId = optional(query, "order_id");
        String uuid = optional(query, "uuid");
        if (orderId != null && uuid != null && !orderId.equals(uuid)) {
            throw new InvalidCallbackException("order_id and uuid differ");
        }
        String id = orderId != null ? orderId : uuid;
        if (id == null || id.isEmpty()) {
            throw new InvalidCallbackException("missing order_id");
        }
        if (!isToken(id)) {
            throw new InvalidCallbackException("order_id is malformed");
        }
        return new OrderHookCallback(id, status);
    }

    /** The {@code status} parameter: a signed integer of at most 3 digits. */
    private static int status(Map<String, List<String>> query) {
        String status = required(query, "status");
        if (!isInteger(status, true, 3)) {
            throw new InvalidCallbackException("status must be an integer");
        }
        return Integer.parseInt(status);
    }

    private static String required(Map<String, List<String>> query, String name) {
        String value = optional(query, name);
        if (value == null || value.isEmpty()) {
            throw new InvalidCallbackException("missing " + name);
        }
        return value;
    }

    private static String optional(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidCallbackException("parameter " + name + " given more than once");
        }
        return values.get(0);
    }

    /** An optional flag as the official plugin reads it: any non-zero integer (or "true") is set. */
    private static boolean flag(Map<String, List<String>> query, String name) {
        String value = optional(query, name);
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (!isInteger(value, true, 9)) {
            throw new InvalidCallbackException(name + " must be an integer flag");
        }
        return Integer.parseInt(value) != 0;
    }

    /** {@code -?[0-9]{1,maxDigits}} ({@code -} only when {@code signed}), in ASCII digits. */
    private static boolean isInteger(String text, boolean signed, int maxDigits) {
        int start = signed && text.startsWith("-") ? 1 : 0;
        int digits = text.length() - start;
        if (digits < 1 || digits > maxDigits) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9:._-]{1,200}}: an address or transaction id, nothing that needs escaping. */
    static boolean isToken(String text) {
        if (text.isEmpty() || text.length() > TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == ':' || c == '.' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
